"""Exhibits that are PDFs, appended after the exhibit index: a bookmark each, every page stamped.

The stamp (Bates style: ``EX-0007 · page 2 of 5``) is drawn by WeasyPrint on a transparent page
the size of the exhibit's page and laid over it, so its font is embedded like the rest of the
package. Originals are spooled to a temporary folder one at a time; the ZIP keeps them unaltered.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError

from core.blobstore import CHUNK_SIZE, BlobStore
from narratives.package.document import AppendedExhibit, render_pdf
from narratives.package.exhibits import ExhibitEntry

STAMP_CSS = """
@page { margin: 0; }
body { margin: 0; font: 7pt "DejaVu Sans Mono", monospace; }
.stamp { break-before: page; height: 100%; position: relative; }
.stamp:first-child { break-before: auto; }
.label { position: absolute; right: 6mm; bottom: 4mm; background: #fff; color: #000;
         border: 0.5pt solid #000; padding: 0.6mm 1.6mm; }
"""


@dataclass(frozen=True)
class SpooledPdf:
    entry: ExhibitEntry
    path: Path
    sizes: tuple[tuple[float, float], ...]  # (width, height) in points, per page


def spool_pdf_exhibits(store: BlobStore, exhibits: list[ExhibitEntry],
                       folder: Path) -> tuple[dict[int, AppendedExhibit], list[SpooledPdf]]:
    """Copy each PDF exhibit out of the blob store (hash checked) and count its pages."""
    notes: dict[int, AppendedExhibit] = {}
    spooled: list[SpooledPdf] = []
    for entry in (e for e in exhibits if e.is_pdf):
        path = folder / f"{entry.file_name}"
        with store.open(entry.sha256) as reader, path.open("wb") as out:
            shutil.copyfileobj(reader, out, CHUNK_SIZE)
        try:
            sizes = _page_sizes(path)
        except (PyPdfError, ValueError, KeyError, OSError) as exc:
            notes[entry.number] = AppendedExhibit(entry.number, None, f"the PDF cannot be read ({exc})")
            continue
        if not sizes:
            notes[entry.number] = AppendedExhibit(entry.number, None, "the PDF has no pages")
            continue
        notes[entry.number] = AppendedExhibit(entry.number, len(sizes))
        spooled.append(SpooledPdf(entry, path, sizes))
    return notes, spooled


def _page_sizes(path: Path) -> tuple[tuple[float, float], ...]:
    reader = PdfReader(path)
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("it is encrypted with a password")
    return tuple((float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages)


def stamp_text(entry: ExhibitEntry, page: int, pages: int) -> str:
    return f"EX-{entry.number:04d} · page {page} of {pages}"


def stamps_html(spooled: list[SpooledPdf]) -> str:
    sizes = sorted({size for item in spooled for size in item.sizes})
    names = {size: f"p{index}" for index, size in enumerate(sizes)}
    rules = "".join(f"@page {names[s]} {{ size: {s[0]:.2f}pt {s[1]:.2f}pt; }}\n" for s in sizes)
    pages = "".join(
        f'<div class="stamp" style="page: {names[size]}"><span class="label">'
        f"{escape(stamp_text(item.entry, number, len(item.sizes)))}</span></div>"
        for item in spooled for number, size in enumerate(item.sizes, start=1))
    return f"<!DOCTYPE html><html><head><style>{STAMP_CSS}{rules}</style></head><body>{pages}</body></html>"


def append_exhibits(body_pdf: bytes, spooled: list[SpooledPdf]) -> bytes:
    """The package body with each PDF exhibit appended, stamped and bookmarked."""
    if not spooled:
        return body_pdf
    stamps = PdfReader(io.BytesIO(render_pdf(stamps_html(spooled), pdf_variant=None)))
    writer = PdfWriter(clone_from=io.BytesIO(body_pdf))
    parent = writer.add_outline_item(title="Appended exhibits", page_number=len(writer.pages))
    stamp_index = 0
    for item in spooled:
        reader = PdfReader(item.path)
        if reader.is_encrypted:
            reader.decrypt("")
        first = len(writer.pages)
        for page in reader.pages:
            added = writer.add_page(page)
            box = added.mediabox
            added.merge_transformed_page(stamps.pages[stamp_index],
                                         Transformation().translate(float(box.left), float(box.bottom)))
            stamp_index += 1
        writer.add_outline_item(title=f"Exhibit {item.entry.number}: {item.entry.title}", page_number=first,
                                parent=parent)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

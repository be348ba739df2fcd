"""Reading a package PDF back: outline titles, text, internal links, and pages drawn to PNG."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image
from pypdf import PdfReader


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def outline_titles(pdf: PdfReader) -> list[str]:
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))
    walk(pdf.outline)
    return titles


def all_text(pdf: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf.pages)


def squeezed(text: str) -> str:
    """The text without any blank space: a hash wrapped over two lines is found whole."""
    return re.sub(r"\s+", "", text)


def internal_links(pdf: PdfReader) -> int:
    count = 0
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            annot = annotation.get_object()
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and (annot.get("/Dest") is not None or (
                    action is not None and action.get("/S") == "/GoTo")):
                count += 1
    return count


def page_png(pdf_path: Path, page: int, out_prefix: Path, dpi: int = 50) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf_path), str(out_prefix)], check=True, timeout=60)
    return Image.open(f"{out_prefix}.png")


def ink_share(image: Image.Image) -> float:
    """Share of pixels that are not white: a blank or failed page has almost none."""
    gray = image.convert("L")
    histogram = gray.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)

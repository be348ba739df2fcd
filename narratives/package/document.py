"""The package PDF's body: Jinja templates under ``templates/package/`` rendered by WeasyPrint.

Nothing here reads the clock: every date printed comes from the package record, so rendering a
version again from the same study state gives the same document.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2
from markupsafe import Markup
from weasyprint import HTML

from narratives.package.compact import GL_CSV, approver_keys, gl_listing, trail_rows, uploader_keys
from narratives.package.content import PackageContent
from narratives.package.fetcher import ASSET_BASE, PackageFetcher
from studies.credit.form6765 import LINE_TEXT, SECTIONS
from studies.credit.money import dollars
from studies.credit.substantially_all import measure_label

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "package"
ASSETS = ("package.css",)
PDF_A = "pdf/a-3b"
_CSS_PLAIN = frozenset(" .,-_:;()/!?#@+")


@dataclass(frozen=True)
class PackageRecordFacts:
    """What the package record says about this build: printed on the cover and in the footer."""

    version: int
    is_final: bool
    created_at: dt.datetime
    preparer: str
    manifest_digest: str
    inputs_digest: str
    override_reason: str | None = None


@dataclass(frozen=True)
class AppendedExhibit:
    number: int
    pages: int | None  # None: not appended, see ``problem``
    problem: str = ""


@dataclass
class RenderOptions:
    pdf_variant: str | None = PDF_A
    appended: dict[int, AppendedExhibit] = field(default_factory=dict)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=_money, day=_day, css_string=css_string, when=_when, pct=_pct, figure=_figure)
    env.filters.update(day_of=_day_of, minute=_minute, size=_size, measure=measure_label)
    env.globals.update(trail_rows=trail_rows, approver_keys=approver_keys, uploader_keys=uploader_keys,
                       gl_csv=GL_CSV, gl_listing=gl_listing, money=_money)
    return env


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"${dollars(value)}"


def _figure(value: object, line: object) -> str:
    """A Form 6765 entry: dollars, the fixed-base percentage as given, a checked box as X."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "X" if value else ""
    if isinstance(value, Decimal):
        return f"{value:f}" if str(line) == "6" else _money(value)
    return str(value)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}%"


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def _day_of(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).date().isoformat() if value else "—"


def _minute(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M") if value else "—"


def _size(value: int) -> str:
    """Bytes as people read them; the exact size is in manifest.csv."""
    for unit, scale in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:,} B"


def _when(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string (for the running header's ``content``); safe inside ``<style>``."""
    escaped = "".join(c if c.isalnum() or c in _CSS_PLAIN else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')  # every character outside a harmless set is a CSS escape


def package_html(content: PackageContent, record: PackageRecordFacts, options: RenderOptions) -> str:
    return _environment().get_template("package.html").render(
        c=content, record=record, appended=options.appended, line_text=LINE_TEXT, sections=SECTIONS,
        asset_base=ASSET_BASE)


def asset_bytes() -> dict[str, bytes]:
    return {name: (TEMPLATES / name).read_bytes() for name in ASSETS}


def render_pdf(html: str, *, pdf_variant: str | None = PDF_A, fetcher: PackageFetcher | None = None) -> bytes:
    """The HTML as PDF bytes; only the package's assets can be loaded."""
    fetcher = fetcher or PackageFetcher(asset_bytes())
    out = io.BytesIO()
    with collector_paused():
        HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).write_pdf(
            out, pdf_variant=pdf_variant, uncompressed_pdf=False)
    return out.getvalue()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while WeasyPrint works.

    A long package allocates millions of small objects that live until the document is written;
    every full collection walks all of them again, for nothing (measured: about a tenth of the
    render). Reference counting still frees what goes; one collection afterwards takes the rest.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()

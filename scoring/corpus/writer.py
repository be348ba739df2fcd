"""Writing a corpus as canonical GL CSV (plus its label columns), plain or gzipped with stable bytes."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable
from pathlib import Path

from scoring.corpus.generate import DEFAULT_SEED, generate
from scoring.corpus.lines import Line

GL_COLUMNS = (
    "company",
    "industry",
    "date",
    "account_number",
    "account_name",
    "account_type",
    "vendor",
    "description",
    "amount",
)
LABEL_COLUMNS = ("label", "qre_category", "rule")
COLUMNS = GL_COLUMNS + LABEL_COLUMNS

STARTER_CORPUS = Path(__file__).resolve().parent.parent / "data" / "starter_corpus.csv.gz"


def csv_bytes(lines: Iterable[Line]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for line in lines:
        writer.writerow(
            (
                line.company,
                line.industry,
                line.date.isoformat(),
                line.account_number,
                line.account_name,
                line.account_type,
                line.vendor,
                line.description,
                f"{line.amount:.2f}",
                line.label,
                line.qre_category,
                line.rule,
            )
        )
    return buffer.getvalue().encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Gzip with no timestamp or file name in the header, so the same data always gives the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as stream:
        stream.write(data)
    return buffer.getvalue()


def write_corpus(
    path: str | Path, split: str = "train", seed: int = DEFAULT_SEED, companies: int | None = None
) -> Path:
    """Generate a split and write it to ``path`` as CSV; gzipped when the name ends in ``.gz``."""
    target = Path(path)
    data = csv_bytes(generate(split, seed, companies))
    if target.suffix == ".gz":
        data = gzip_bytes(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target

"""Other documents kept as exhibits: what they are, checked from their first bytes.

Accepted: PDF, images (PNG, JPEG, GIF, WebP, SVG), Office Open XML documents, and text
(Markdown, plain text, JSON, YAML, ...) that is valid UTF-8. Anything else is refused with the
reason, so binary junk never enters a study disguised as a ``.txt``.
"""

from __future__ import annotations

from pathlib import Path

from evidence.parsers import EvidenceParseError

SNIFF_BYTES = 64 * 1024
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OOXML = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
TEXT_TYPES = {".md": "text/markdown", ".markdown": "text/markdown", ".txt": "text/plain",
              ".rst": "text/x-rst", ".json": "application/json", ".jsonl": "application/x-ndjson",
              ".yaml": "application/yaml", ".yml": "application/yaml", ".csv": "text/csv",
              ".tsv": "text/tab-separated-values", ".log": "text/plain", ".html": "text/plain",
              ".ipynb": "application/x-ipynb+json", ".py": "text/x-python", ".svg": "image/svg+xml"}


def document_media_type(path: Path, source: str) -> str:
    """The media type of an acceptable document, or EvidenceParseError saying why it is refused."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        raise EvidenceParseError(source, "the file is empty")
    for magic, media_type in MAGIC:
        if head.startswith(magic):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        if suffix in OOXML and b"[Content_Types].xml" in head:
            return OOXML[suffix]
        raise EvidenceParseError(source, "a zip archive that is not an Office document; "
                                         "upload archives of evidence folders as .zip on their own")
    _check_text(path, head, source)
    return TEXT_TYPES.get(suffix, "text/plain")


def _check_text(path: Path, head: bytes, source: str) -> None:
    if b"\x00" in head:
        raise EvidenceParseError(source, "binary content of an unknown type; accepted documents are "
                                         "PDF, images, Office documents and UTF-8 text")
    data = path.read_bytes() if path.stat().st_size <= 16 * 2**20 else head
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if data is head and exc.start >= len(head) - 3:
            return
        line = data[: exc.start].count(b"\n") + 1
        raise EvidenceParseError(source, f"not UTF-8 text (byte {exc.start:,} is not valid UTF-8)",
                                 line=line) from exc

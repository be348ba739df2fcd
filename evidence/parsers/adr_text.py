"""Raw ADR input: bytes to checked text, and YAML front matter split from the Markdown body."""

from __future__ import annotations

import re
from typing import Any

import yaml

from evidence.parsers import EvidenceParseError

MAX_BYTES = 2 * 1024 * 1024
_SNIFF = 8192
_CONTROL = frozenset(chr(c) for c in range(32)) - frozenset("\t\n\r\f\v\x1b")
# `key: {some placeholder text}` as MADR's templates leave it; YAML would read a flow mapping.
_PLACEHOLDER_LINE = re.compile(r"^(\s*[A-Za-z][\w-]*\s*:)\s*\{[^{}:]*\}\s*$")


class _Loader(yaml.SafeLoader):
    """Safe YAML without implicit timestamps, so a bad ``date`` stays a string instead of failing."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def decode_text(data: str | bytes, source: str) -> str:
    """Checked, BOM-less, ``\\n``-separated text, or :class:`EvidenceParseError`."""
    text = _decode(data, source) if isinstance(data, bytes | bytearray) else _check_str(data, source)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EvidenceParseError(source, "empty file")
    if _looks_binary(text[:_SNIFF]):
        raise EvidenceParseError(source, "binary file, not Markdown")
    return text


def _decode(data: bytes | bytearray, source: str) -> str:
    raw = bytes(data)
    if len(raw) > MAX_BYTES:
        raise EvidenceParseError(source, "too large for an ADR")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EvidenceParseError(source, "UTF-16 text, not UTF-8", line=1)
    if b"\x00" in raw:
        raise EvidenceParseError(source, "binary file, not Markdown", line=_line_at(raw, raw.index(b"\x00")))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(raw, exc.start)
        raise EvidenceParseError(source, f"not UTF-8 text (byte {exc.start})", line=line) from None


def _check_str(text: str, source: str) -> str:
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise EvidenceParseError(source, "too large for an ADR")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise EvidenceParseError(source, "binary file, not Markdown", line=line)
    return text


def _line_at(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _looks_binary(sample: str) -> bool:
    controls = sum(1 for char in sample if char in _CONTROL)
    return controls > 8 and controls * 10 > len(sample)


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """``(front matter keys lowercased, Markdown body)``; no ``---`` block gives ``({}, text)``."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return {}, text
    data = _load_yaml([_PLACEHOLDER_LINE.sub(r"\1 null", line) for line in lines[1:end]], source)
    return data, "\n".join(lines[end + 1:])


def _load_yaml(lines: list[str], source: str) -> dict[str, Any]:
    try:
        data = yaml.load("\n".join(lines), Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else 1
        problem = exc.problem or "cannot be read"
        raise EvidenceParseError(source, f"malformed YAML front matter: {problem}", line=line) from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise EvidenceParseError(source, f"malformed YAML front matter: {exc}", line=1) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EvidenceParseError(source, "front matter is not a YAML mapping", line=2)
    return {key.strip().lower(): value for key, value in data.items() if isinstance(key, str)}

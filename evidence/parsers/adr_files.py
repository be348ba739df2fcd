"""The ADR folders of a repository checkout: adr-tools' ``.adr-dir``, log4brains, the usual places."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from evidence.parsers.adr_values import date_from_filename, number_from_filename

DEFAULT_DIRS = ("doc/adr", "docs/adr", "docs/decisions", "docs/architecture/decisions", "adr", "decisions")
SKIPPED_NAMES = frozenset({"readme.md", "index.md", "template.md", "adr-template.md"})
_CONFIG_LIMIT = 64 * 1024


def find_adr_files(root: Path) -> list[Path]:
    """Every ``*.md`` record in the ADR folders of ``root``, sorted.

    The folders are the union of the one ``.adr-dir`` names, the usual places and those of
    ``.log4brains.yml``; only folders inside ``root`` count. With none of them, ``root`` itself
    is taken as the folder, keeping the files named like records (``0001-…``, ``20250304-…``).
    """
    root = Path(root)
    folders = adr_folders(root)
    if not folders:
        return sorted(path for path in _markdown_files(root) if _record_name(path.name))
    return sorted({path for folder in folders for path in _markdown_files(folder)})


def adr_folders(root: Path) -> list[Path]:
    """Existing ADR folders of ``root``, configured ones first, without duplicates."""
    top = root.resolve()
    candidates = [*_adr_dir(root), *(root / name for name in DEFAULT_DIRS), *_log4brains_dirs(root)]
    found: dict[Path, Path] = {}
    for folder in candidates:
        try:
            resolved = folder.resolve()
        except (OSError, RuntimeError):
            continue
        if resolved.is_dir() and resolved.is_relative_to(top):
            found.setdefault(resolved, folder)
    return list(found.values())


def _markdown_files(folder: Path) -> Iterator[Path]:
    try:
        top, paths = folder.resolve(), list(folder.iterdir())
    except OSError:
        return
    for path in paths:
        if path.suffix.lower() != ".md" or path.name.lower() in SKIPPED_NAMES:
            continue
        if path.is_file() and path.resolve().parent == top:
            yield path


def _record_name(name: str) -> bool:
    return number_from_filename(name) is not None or date_from_filename(name) is not None


def _adr_dir(root: Path) -> list[Path]:
    text = _read_small(root / ".adr-dir")
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return [root / line] if line else []


def _log4brains_dirs(root: Path) -> list[Path]:
    try:
        config = yaml.safe_load(_read_small(root / ".log4brains.yml"))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return []
    project = _mapping(_mapping(config).get("project"))
    packages = project.get("packages") or _mapping(config).get("packages") or []
    entries = [project, *(_mapping(entry) for entry in packages)] if isinstance(packages, list) else [project]
    folders = (entry.get("adrFolder") for entry in entries)
    return [root / folder for folder in folders if isinstance(folder, str) and folder.strip()]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _read_small(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            return handle.read(_CONFIG_LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""

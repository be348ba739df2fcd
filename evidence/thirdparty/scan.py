"""One repository's HEAD, read for vendor SDKs and hub models: every mention, and what was skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from evidence.parsers.gitlog import resolve_git_dir
from evidence.thirdparty.findings import Mention, Skipped
from evidence.thirdparty.js_source import is_js, js_mentions
from evidence.thirdparty.manifests import ManifestError, manifest_kind, manifest_mentions
from evidence.thirdparty.python_source import python_mentions
from evidence.thirdparty.tree import ReadLimits, choose, head_commit, list_tree, read_blobs
from evidence.thirdparty.vendors import Catalog, catalog

# Installed or generated code is someone else's; it says nothing about what this repository uses.
IGNORED_FOLDERS = frozenset({"node_modules", "site-packages", ".venv", "venv", "vendor", "third_party",
                             "dist", "build", "__pycache__", ".tox", ".git"})
SKIPPED_LISTED = 200


@dataclass
class RepositoryScan:
    head: str | None
    files_read: int = 0
    mentions: list[Mention] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"head": self.head, "files_read": self.files_read, "mentions": len(self.mentions),
                "skipped": [s.as_json() for s in self.skipped[:SKIPPED_LISTED]],
                "skipped_count": len(self.skipped)}


def is_scanned(path: str) -> bool:
    parts = PurePosixPath(path).parts
    if any(part in IGNORED_FOLDERS for part in parts[:-1]):
        return False
    return manifest_kind(path) is not None or path.endswith((".py", ".ipynb")) or is_js(path)


def scan_repository(repository: Path, *, limits: ReadLimits | None = None,
                    vendors: Catalog | None = None) -> RepositoryScan:
    """Read HEAD's dependency files and source files (within ``limits``) for vendor use.

    ``repository`` is a work tree or a bare repository; only committed content is read.
    """
    known = vendors or catalog()
    git_dir = resolve_git_dir(repository)
    head = head_commit(git_dir)
    scan = RepositoryScan(head)
    if head is None:
        return scan
    chosen, skipped = choose(list_tree(git_dir, head), is_scanned, limits or ReadLimits())
    scan.skipped.extend(Skipped(path, reason) for path, reason in skipped)
    for entry, content in read_blobs(git_dir, chosen):
        scan.files_read += 1
        if b"\0" in content[:8000]:
            scan.skipped.append(Skipped(entry.path, "binary content"))
            continue
        try:
            scan.mentions.extend(file_mentions(entry.path, content.decode("utf-8", "replace"), known))
        except ManifestError as exc:
            scan.skipped.append(Skipped(entry.path, str(exc)))
    scan.mentions.sort(key=lambda m: (m.path, m.line, m.kind, m.vendor, m.model or ""))
    return scan


def file_mentions(path: str, text: str, vendors: Catalog) -> list[Mention]:
    if manifest_kind(path) is not None:
        return manifest_mentions(path, text, vendors)
    if path.endswith((".py", ".ipynb")):
        return python_mentions(path, text, vendors)
    return js_mentions(path, text, vendors)

"""The package manifest: the exhibits with their files, sizes and hashes, and the state they came from.

The manifest holds nothing about the act of building (no version, date or builder), so the same
study state gives the same manifest and the same digest, whichever version carries it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from typing import Any

from narratives.package.exhibits import ExhibitEntry

FORMAT = "fourpart-package/1"
CSV_COLUMNS = ("exhibit", "path", "size", "sha256", "title", "kind", "source", "source_path",
               "content_start", "content_end", "uploaded_by", "uploaded_at")


def build_manifest(*, study_slug: str, client: str, tax_year: int, inputs_digest: str,
                   exhibits: Sequence[ExhibitEntry]) -> dict[str, Any]:
    return {"format": FORMAT, "study": study_slug, "client": client, "tax_year": tax_year,
            "inputs_digest": inputs_digest, "exhibits": [entry.as_json() for entry in exhibits]}


def canonical_json(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def manifest_digest(manifest: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(manifest)).hexdigest()


def manifest_json_bytes(manifest: dict[str, Any]) -> bytes:
    """``manifest.json`` as the ZIP holds it: indented for people, same content as the digest covers."""
    return (json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def manifest_csv_bytes(manifest: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for e in manifest["exhibits"]:
        writer.writerow([e["number"], e["file"], e["size"], e["sha256"], e["title"], e["kind"], e["source"],
                         e["path"], e["content_start"] or "", e["content_end"] or "", e["uploaded_by"],
                         e["uploaded_at"] or ""])
    return out.getvalue().encode()

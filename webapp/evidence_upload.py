"""Turning a multi-file upload request into staged blobs for one ``evidence.ingest`` job.

A folder chosen in the browser arrives as many files whose names are their paths inside the
folder (``mlruns/0/abc/meta.yaml``); that path is kept, so the job can rebuild the folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO, cast

from werkzeug.datastructures import FileStorage

from core.blobstore import BlobStore, BlobTooLarge
from evidence.ingest.staging import StagedUpload, stage_upload
from evidence.parsers import EvidenceParseError


@dataclass
class StagedFiles:
    staged: list[StagedUpload] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def limit_text(max_bytes: int) -> str:
    return f"{max_bytes / 2**20:,.0f} MB"


def too_large_message(max_bytes: int) -> str:
    return (f"The upload is larger than the {limit_text(max_bytes)} limit of this server. Upload fewer "
            f"files at a time, or ask the administrator to raise FOURPART_MAX_UPLOAD_MB.")


def stage_files(store: BlobStore, files: Iterable[FileStorage], *, max_bytes: int) -> StagedFiles:
    """Put each uploaded file in the blob store; a refused file is reported by name, not fatal."""
    result = StagedFiles()
    for upload in files:
        name = (upload.filename or "").replace("\\", "/").lstrip("/")
        if not name:
            continue
        relative = name if "/" in name else None
        try:
            result.staged.append(stage_upload(store, cast(BinaryIO, upload.stream), name.rsplit("/", 1)[-1],
                                              max_size=max_bytes, relative_path=relative))
        except BlobTooLarge:
            result.refused.append(f"{name}: larger than the {limit_text(max_bytes)} upload limit")
        except EvidenceParseError as exc:
            result.refused.append(str(exc))
    return result

"""The ``evidence.git`` job: ingest a clone URL or an uploaded bundle in the background.

Parameters (build them with :func:`git_job_params`)::

    {"repo": "https://host/team/repo.git" | {"sha256": ..., "filename": ...},  # a staged bundle
     "rules": "<rules YAML text>" | None, "path": "<artifact path>" | None,
     "uploaded_by_id": int | None, "limits": {...}}

A staged bundle (:func:`evidence.ingest.staging.stage_upload`) is copied out of the blob store
into a scratch folder and ingested as a bundle file; afterwards it is discarded unless it
became the repository's original. The result is ``{"artifacts": [...], "failures": [...]}``
as for ``evidence.ingest``; progress is the count of commits read, then stored.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from core.jobs import JobContext, job_handler
from core.settings import get_settings
from evidence.ingest.git import ingest_git
from evidence.ingest.git_rules import RuleError, parse_rules
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure
from evidence.ingest.staging import StagedUpload, discard_unused, limits_of

JOB_KIND = "evidence.git"


def git_job_params(repo: str | StagedUpload, *, rules: str | None = None, path: str | None = None,
                   uploaded_by_id: int | None = None, limits: IngestLimits | None = None) -> dict[str, Any]:
    """The parameters of an ``evidence.git`` job; the limits of the accepting server travel with it."""
    params: dict[str, Any] = {"repo": dict(repo) if isinstance(repo, dict) else repo, "rules": rules,
                              "path": path, "uploaded_by_id": uploaded_by_id}
    if limits is not None:
        params["limits"] = {"max_file_bytes": limits.max_file_bytes, "max_files": limits.max_files,
                            "max_unpacked_bytes": limits.max_unpacked_bytes}
    return params


@job_handler(JOB_KIND)
def ingest_repository(context: JobContext) -> dict[str, Any]:
    if context.study_id is None:
        raise ValueError(f"{JOB_KIND} needs a study")
    params = context.params
    repo, staged = params.get("repo"), None
    if isinstance(repo, dict):
        filename = str(repo.get("filename") or "repository.bundle")
        staged = StagedUpload(sha256=str(repo["sha256"]), filename=filename,
                              path=str(repo.get("path") or filename))
    elif not isinstance(repo, str):
        raise ValueError(f"{JOB_KIND}: 'repo' must be a clone URL or a staged bundle")
    try:
        reported = _ingest(context, repo if isinstance(repo, str) else None, staged)
    finally:
        if staged is not None:
            discard_unused(context.db, context.blobs, [staged])
    return {"artifacts": [item.as_json() for item in reported if not isinstance(item, IngestFailure)],
            "failures": [item.as_json() for item in reported if isinstance(item, IngestFailure)]}


def _ingest(context: JobContext, url: str | None, staged: StagedUpload | None) -> list[Any]:
    params = context.params
    name = params.get("path") or (staged["filename"] if staged else None)
    try:
        rules = parse_rules(params["rules"], source="rules") if params.get("rules") else None
    except RuleError as exc:
        return [IngestFailure(name or str(url), str(exc))]
    limits = limits_of(params) or IngestLimits.from_settings(get_settings())
    with tempfile.TemporaryDirectory(prefix="fourpart-git-job-") as scratch:
        workdir = Path(scratch)
        source: str | Path = url if url is not None else _copy_out(context, staged, workdir)
        assert context.study_id is not None
        return ingest_git(context.db, context.blobs, context.study_id, source,
                          uploaded_by_id=params.get("uploaded_by_id"), rules=rules, path=name,
                          workdir=workdir / "work", limits=limits, progress=context.progress)


def _copy_out(context: JobContext, staged: StagedUpload | None, workdir: Path) -> Path:
    """The staged bundle as a file (git reads bundles from files only)."""
    assert staged is not None
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(staged["filename"]).name).lstrip(".-") or "repository.bundle"
    target = workdir / "upload" / safe
    target.parent.mkdir()
    with context.blobs.open(staged["sha256"]) as reader, target.open("wb") as out:
        shutil.copyfileobj(reader, out, 1 << 20)
    return target

"""GL jobs: store an uploaded ledger in its study and score it; score an import again; retrain the models."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobs import known_hashes
from core.blobstore import BlobStore
from core.db import Database
from core.jobs import QUEUED, RUNNING, Job, JobContext, job_handler
from scoring.blind import DEFAULT_BLIND_SHARE
from scoring.imports import GLUpload, Progress, import_gl, mapping_as_json, mapping_from_json
from scoring.models import GLImport
from scoring.pipeline import retrain
from scoring.registry import ModelsUnavailable
from scoring.scorer import score_gl_import
from scoring.training import TrainingConfig


class StagedGL(TypedDict):
    sha256: str
    filename: str
    path: str


def import_job_params(staged: StagedGL, upload: GLUpload) -> dict[str, Any]:
    """Parameters of a ``scoring.import_gl`` job; ``uploads`` keeps the staged blob from an orphan sweep."""
    return {"uploads": [dict(staged)], "company": upload.company, "industry": upload.industry,
            "mapping": mapping_as_json(upload.mapping) if upload.mapping else None,
            "blind_share": upload.blind_share, "imported_by_id": upload.imported_by_id}


@job_handler("scoring.import_gl")
def import_and_score(context: JobContext) -> dict[str, Any]:
    """Store the staged GL file as an import of the study, then score its lines and accounts."""
    if context.study_id is None:
        raise ValueError("scoring.import_gl needs a study")
    staged: StagedGL = context.params["uploads"][0]
    params = context.params
    upload = GLUpload(name=staged["filename"], imported_by_id=params.get("imported_by_id"),
                      company=str(params.get("company") or ""), industry=str(params.get("industry") or ""),
                      mapping=mapping_from_json(params["mapping"]) if params.get("mapping") else None,
                      blind_share=float(params.get("blind_share", DEFAULT_BLIND_SHARE)))
    try:
        with context.blobs.open(staged["sha256"]) as stream:
            data = stream.read()
        import_id = import_gl(context.db, context.blobs, context.study_id, data, upload,
                              progress=_scaled(context.progress, 0.0, 0.4))
    finally:
        discard_if_unused(context.db, context.blobs, staged["sha256"], except_job=context.job_id)
    scored = score_import(context.db, context.blobs, import_id, _scaled(context.progress, 0.4, 1.0))
    return {"import_id": import_id, **scored}


@job_handler("scoring.score_gl")
def score_again(context: JobContext) -> dict[str, Any]:
    """Score an import again (with the active models)."""
    import_id = int(context.params["import_id"])
    with context.db.transaction() as session:
        gl_import = session.get(GLImport, import_id)
        if gl_import is None or gl_import.study_id != context.study_id:
            raise ValueError(f"GL import {import_id} is not an import of this study")
    return {"import_id": import_id, **score_import(context.db, context.blobs, import_id, context.progress)}


@job_handler("scoring.retrain")
def retrain_models(context: JobContext) -> dict[str, Any]:
    """Train the next pair on the corpus and every reviewed decision, and make it the active pair.

    Parameters: ``embedding_model``, ``corpus`` (a labelled CSV path, or None for the starter corpus) and
    ``requested_by`` (a note stored with the models)."""
    params = context.params
    corpus = Path(params["corpus"]) if params.get("corpus") else None
    requested_by = params.get("requested_by") or "an administrator"
    pair, _ = retrain(context.db, context.blobs, embedding_model=str(params["embedding_model"]),
                      config=TrainingConfig(), corpus=corpus, progress=context.progress,
                      notes=f"retrained from the web app by {requested_by}")
    figures = {kind: {key: getattr(pair, kind).card["metrics"]["validation"][key]
                      for key in ("roc_auc", "precision_at_recall_0_5", "read_share_for_80pct")}
               for kind in ("expense", "account")}
    return {"version": pair.expense.version, "cross_validated": figures}


def score_import(db: Database, store: BlobStore, import_id: int, progress: Progress) -> dict[str, Any]:
    """Score one import in its own transaction; without usable models, say so instead."""
    try:
        with db.transaction() as session:
            gl_import = session.get_one(GLImport, import_id)
            score_gl_import(session, gl_import, progress=progress, store=store)
            return {"scored": True, "scoring_model_id": gl_import.scoring_model_id}
    except ModelsUnavailable as exc:
        progress(1.0, "stored; not scored")
        return {"scored": False, "reason": str(exc)}


def discard_if_unused(db: Database, store: BlobStore, sha256: str, *, except_job: int | None = None) -> None:
    """Remove a staged GL file that no stored row, and no other queued or running job, refers to."""
    with db.session(reading=True) as session:
        kept = sha256 in known_hashes(session, [sha256]) or _awaited(session, sha256, except_job)
    if not kept:
        store.discard(sha256)


def _awaited(session: Session, sha256: str, except_job: int | None) -> bool:
    query = select(Job.id, Job.params).where(Job.status.in_((QUEUED, RUNNING)))
    return any(job_id != except_job and sha256 in {upload.get("sha256") for upload in _uploads(params)}
               for job_id, params in session.execute(query))


def _uploads(params: object) -> list[dict[str, Any]]:
    uploads = params.get("uploads") if isinstance(params, dict) else None
    return [upload for upload in uploads if isinstance(upload, dict)] if isinstance(uploads, list) else []


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    def report(fraction: float, message: str) -> None:
        progress(start + (end - start) * fraction, message)
    return report

"""The JSON API under /api/v1, authenticated by per-study tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from core.jobs import Job
from studies.permissions import Permission
from webapp.access import api_view
from webapp.context import db_session, queue
from webapp.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(HTTPException)
def json_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    return jsonify(error={"status": status, "message": exc.description}), status


def _study_json() -> dict[str, Any]:
    study = g.study
    return {"id": study.id, "slug": study.slug, "title": study.title,
            "tax_year": study.tax_year, "organization": study.organization.name,
            "role": g.membership.role.value}


@bp.get("/studies/<int:study_id>")
@api_view(Permission.VIEW_STUDY)
def study() -> Response:
    return jsonify(_study_json())


@bp.get("/studies/<int:study_id>/jobs/<int:job_id>")
@api_view(Permission.VIEW_JOBS)
def job(job_id: int) -> Response:
    found = db_session().get(Job, job_id)
    if found is None or found.study_id != g.study.id:
        abort(404)
    progress = queue().progress(job_id)
    return jsonify(id=found.id, kind=found.kind, status=found.status, result=found.result,
                   error=found.error, progress=progress.fraction if progress else None,
                   message=progress.message if progress else None)

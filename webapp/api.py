"""The JSON API under /api/v1, authenticated by per-study tokens and described by OpenAPI 3.

Routes are declared with flask-smorest, whose schemas (``webapp.api_schemas``) both shape the
answers and build the OpenAPI document. Registering the blueprint the usual way
(``app.register_blueprint(bp)``) also builds that document for the app; it is served, without
a token, at ``GET /api/v1/openapi.json``. Every error answers ``{"error": {"status", "message"}}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar, cast

from flask import abort, current_app, g, jsonify, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_smorest import Api, Blueprint
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.wrappers import Response

from core.audit import current_actor
from core.blobstore import BlobTooLarge
from core.jobs import Job
from evidence.ingest.limits import IngestLimits
from evidence.ingest.staging import StagedUpload, discard_unused, ingest_job_params, stage_upload
from evidence.parsers import EvidenceParseError
from evidence.queries import ArtifactFilters, find_artifact, list_artifacts, revision_history
from studies.permissions import Permission
from webapp.access import api_view, public
from webapp.api_schemas import (
    ArtifactListArgsSchema,
    ArtifactListSchema,
    ArtifactSchema,
    ArtifactUploadSchema,
    ErrorSchema,
    JobAcceptedSchema,
    JobSchema,
    StudySchema,
)
from webapp.context import blob_store, database, db_session, queue, settings, start_job
from webapp.extensions import csrf

TOKEN_SCHEME = "studyToken"
FILES_PER_PUSH_AT_FULL_SIZE = 4
"""A push may carry this many files at the per-file limit; the whole request is capped at that."""

View = TypeVar("View", bound=Callable[..., Any])

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.errorhandler(HTTPException)
def json_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    body: dict[str, Any] = {"status": status, "message": exc.description}
    invalid = (getattr(exc, "data", None) or {}).get("messages")  # set by webargs for a 422
    if invalid:
        body["message"] = "Invalid request fields: " + "; ".join(_field_errors(invalid))
        body["fields"] = invalid
    return jsonify(error=body), status


def _field_errors(messages: dict[str, Any]) -> list[str]:
    return [f"{name}: {' '.join(map(str, problems))}"
            for fields in messages.values() for name, problems in fields.items()]


REFUSALS = {
    401: "No token, or a token that is unknown, revoked or expired.",
    403: "The token's owner has a role in this study without the permission this needs.",
    404: "The study, or the object asked for, is not one this token opens.",
}


def api_route(permission: Permission) -> Callable[[View], View]:
    """``api_view(permission)``, with the refusals it answers written into the OpenAPI document."""

    def decorate(view: View) -> View:
        guarded = api_view(permission)(view)
        for status, description in REFUSALS.items():
            guarded = bp.alt_response(status, schema=ErrorSchema, description=description)(guarded)
        return guarded

    return decorate


@bp.route("/studies/<int:study_id>", tags=["studies"])
@api_route(Permission.VIEW_STUDY)
@bp.response(200, StudySchema)
def study() -> dict[str, Any]:
    """The study the token belongs to, and the token owner's role in it"""
    return {"id": g.study.id, "slug": g.study.slug, "title": g.study.title,
            "tax_year": g.study.tax_year, "organization": g.study.organization.name,
            "role": g.membership.role.value}


@bp.route("/studies/<int:study_id>/jobs/<int:job_id>", tags=["jobs"])
@api_route(Permission.VIEW_JOBS)
@bp.response(200, JobSchema)
def job(job_id: int) -> dict[str, Any]:
    """A background job of the study: its status, progress and, once done, its result

    Poll it until `status` is `succeeded` or `failed`.
    """
    found = db_session().get(Job, job_id)
    if found is None or found.study_id != g.study.id:
        abort(404, description=f"Job {job_id} is not a job of this study.")
    progress = queue().progress(job_id)
    return {"id": found.id, "kind": found.kind, "status": found.status, "result": found.result,
            "error": found.error, "progress": progress.fraction if progress else None,
            "message": progress.message if progress else None}


@bp.route("/studies/<int:study_id>/artifacts", methods=["GET"], tags=["evidence"])
@api_route(Permission.VIEW_STUDY)
@bp.arguments(ArtifactListArgsSchema, location="query")
@bp.response(200, ArtifactListSchema)
def artifacts(args: dict[str, Any]) -> Any:
    """The study's evidence, newest upload first, one page at a time"""
    filters = ArtifactFilters(kind=args.get("kind"), source=args.get("source"), page=args["page"])
    return list_artifacts(db_session(), g.study.id, filters, per_page=args["per_page"])


@bp.route("/studies/<int:study_id>/artifacts/<int:artifact_id>", tags=["evidence"])
@api_route(Permission.VIEW_STUDY)
@bp.response(200, ArtifactSchema)
def artifact(artifact_id: int) -> dict[str, Any]:
    """One artifact with every revision, newest first"""
    session = db_session()
    found = find_artifact(session, g.study.id, artifact_id)
    if found is None:
        abort(404, description=f"Artifact {artifact_id} is not evidence of this study.")
    return {"artifact": found, "revisions": revision_history(session, found.id)}


PUSH_BODY = {"required": True, "content": {"multipart/form-data": {
    "schema": ArtifactUploadSchema, "encoding": {"file": {"contentType": "application/octet-stream"}}}}}


@bp.route("/studies/<int:study_id>/artifacts", methods=["POST"], tags=["evidence"])
@api_route(Permission.UPLOAD_EVIDENCE)
@bp.doc(requestBody=PUSH_BODY)
@bp.alt_response(400, schema=ErrorSchema, description="No 'file' part, 'path' fields that do not "
                 "pair with the files, or an unsafe path (absolute, '..').")
@bp.alt_response(413, schema=ErrorSchema, description="A file over the per-file limit (named in "
                 "the message), or a request over the per-push limit. Nothing was stored.")
@bp.response(202, JobAcceptedSchema, headers={"Location": {
    "description": "The job's URL", "schema": {"type": "string", "format": "uri"}}})
def push_artifacts() -> tuple[dict[str, Any], int, dict[str, str]]:
    """Push evidence files; they are ingested by a background job

    Each file is read for what it is (run log, ADR, ablation table, git bundle, document;
    zip and tar archives of folders are unpacked). Poll the job at `job.url` (also the
    `Location` header): its result lists each artifact stored, with `outcome` new,
    duplicate or revision, and each file refused, with the reason naming the file and line.
    """
    job_id = _start_ingest(_stage_all(_file_parts(), settings().max_upload_bytes))
    url = url_for("api.job", study_id=g.study.id, job_id=job_id, _external=True)
    return {"job": {"id": job_id, "url": url}}, 202, {"Location": url}


def _file_parts() -> list[tuple[FileStorage, str | None]]:
    """The request's 'file' parts, each with its 'path' field (paired by order) if sent."""
    per_file = settings().max_upload_bytes
    request.max_content_length = per_file * FILES_PER_PUSH_AT_FULL_SIZE + 2**20
    try:
        files, paths = request.files.getlist("file"), request.form.getlist("path")
    except RequestEntityTooLarge:
        abort(413, description=f"This request is {_megabytes(request.content_length or 0)} MB; one push "
              f"may carry {FILES_PER_PUSH_AT_FULL_SIZE} files of up to {settings().max_upload_mb} MB "
              "each. Push large files one per request. Nothing was stored.")
    if not files:
        sent = sorted(set(request.files) | set(request.form))
        abort(400, description="Send each file as a multipart/form-data part named 'file' (curl -F "
              f"'file=@run.jsonl'); this request has {', '.join(map(repr, sent)) or 'no parts'}.")
    if paths and len(paths) != len(files):
        abort(400, description=f"Send one 'path' field per 'file' part, in the same order, or none; "
              f"this request has {len(paths)} paths for {len(files)} files.")
    named: list[str | None] = list(paths) or [None] * len(files)
    return list(zip(files, named, strict=True))


def _stage_all(parts: list[tuple[FileStorage, str | None]], max_size: int) -> list[StagedUpload]:
    """Every file in the blob store for the job, or none of them (and an error naming the file)."""
    staged: list[StagedUpload] = []
    try:
        for part, path in parts:
            staged.append(_stage_one(part, path or None, max_size))
    except BaseException:
        discard_unused(database(), blob_store(), staged)
        raise
    return staged


def _stage_one(part: FileStorage, path: str | None, max_size: int) -> StagedUpload:
    name = part.filename or (path or "").rsplit("/", 1)[-1]
    if not name:
        abort(400, description="A 'file' part has no filename: give it one (curl does), or send its "
                               "'path' field.")
    try:
        return stage_upload(blob_store(), cast(BinaryIO, part.stream), name, max_size=max_size,
                            relative_path=path)
    except BlobTooLarge:
        abort(413, description=f"{path or name}: larger than the {settings().max_upload_mb} MB limit "
                               "per file (FOURPART_MAX_UPLOAD_MB). Nothing of this push was stored.")
    except EvidenceParseError as exc:
        abort(400, description=f"{exc}. Nothing of this push was stored.")


def _start_ingest(staged: list[StagedUpload]) -> int:
    """Submit the ingest job; if it cannot be submitted, the staged files go."""
    try:
        return start_job("evidence.ingest", actor=current_actor(), study_id=g.study.id,
                         params=ingest_job_params(staged, source="api", uploaded_by_id=g.api_token.user_id,
                                                   limits=IngestLimits.from_settings(settings())))
    except BaseException:
        discard_unused(database(), blob_store(), staged)
        raise


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f}"


@bp.route("/openapi.json", tags=["documentation"])
@bp.doc(security=[])
@bp.response(200, {"type": "object"}, description="This API's OpenAPI 3 document.")
@public
def openapi() -> Response:
    """The OpenAPI 3 description of this API (no token needed)"""
    return jsonify(current_app.extensions["fourpart.api"].spec.to_dict())


class FourpartApi(Api):
    """flask-smorest's Api, documenting our error shape and leaving the app's error pages alone."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """The blueprint answers its own errors as JSON; other pages keep their HTML error page."""


SPEC_OPTIONS: dict[str, Any] = {
    "title": "Fourpart API", "version": "1", "openapi_version": "3.0.3",
    "info": {"description": "Push evidence (run logs, ADRs, ablation tables, git bundles, documents) "
                            "into a study and read it back. Every route but this document needs a "
                            "study API token, made on the study's API tokens page."},
    "security": [{TOKEN_SCHEME: []}],
    "tags": [{"name": "evidence", "description": "Push and read the study's evidence"},
             {"name": "jobs", "description": "Follow background work such as an ingest"},
             {"name": "studies", "description": "The study a token belongs to"},
             {"name": "documentation", "description": "This document"}],
}


def _document(state: BlueprintSetupState) -> None:
    """Build the app's OpenAPI document from the routes above (what ``Api.register_blueprint``
    does, without registering the blueprint a second time)."""
    api = FourpartApi(spec_kwargs=dict(SPEC_OPTIONS))
    api.init_app(state.app)
    api.spec.components.security_scheme(TOKEN_SCHEME, {
        "type": "http", "scheme": "bearer",
        "description": "A study API token: 'Authorization: Bearer fp_...'. It opens one study only."})
    state.app.extensions["flask-smorest"]["blp_name_to_api"][bp.name] = api
    bp.register_views_in_doc(api, state.app, api.spec, name=bp.name, parameters=None)
    state.app.extensions["fourpart.api"] = api


bp.record_once(_document)  # last: it runs after every route above is in the app's URL map

"""What the JSON API accepts and answers, as marshmallow schemas; the OpenAPI document is built from them."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, pre_dump, validate

from evidence.models import ArtifactKind
from evidence.queries import ArtifactPage, ArtifactRow, RevisionRow

MAX_PER_PAGE = 200


class ErrorBodySchema(Schema):
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    message = fields.String(required=True, metadata={"description": "What went wrong, and what to do."})
    invalid = fields.Dict(data_key="fields", metadata={
        "description": "Only for 422: the invalid request fields, by location and name."})


class ErrorSchema(Schema):
    """Every error the API answers: ``{"error": {"status": 404, "message": "..."}}``."""

    error = fields.Nested(ErrorBodySchema, required=True)


class StudySchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    title = fields.String()
    tax_year = fields.Integer()
    organization = fields.String(metadata={"description": "The client company's name."})
    role = fields.String(metadata={"description": "The role of the token's owner in the study."})


class JobSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "e.g. evidence.ingest"})
    status = fields.String(validate=validate.OneOf(["queued", "running", "succeeded", "failed"]))
    result = fields.Dict(allow_none=True, metadata={
        "description": "Once succeeded. For evidence.ingest: {\"artifacts\": [...], \"failures\": "
                       "[{\"path\", \"error\"}]}; each artifact has id, revision_id, kind, sha256, "
                       "outcome (new, duplicate or revision), path, content dates, counts and warnings."})
    error = fields.String(allow_none=True, metadata={"description": "Why the job failed, once failed."})
    progress = fields.Float(allow_none=True, metadata={"description": "Fraction done, 0 to 1."})
    message = fields.String(allow_none=True, metadata={"description": "What the job is doing now."})


class JobLinkSchema(Schema):
    id = fields.Integer()
    url = fields.Url(metadata={"description": "Poll this for the job's status and result."})


class JobAcceptedSchema(Schema):
    job = fields.Nested(JobLinkSchema)


class ArtifactUploadSchema(Schema):
    """The multipart body of a push; documentation only (the view reads the parts itself)."""

    file = fields.List(Upload(), required=True, metadata={
        "description": "One part per file: a run log (JSONL, CSV, W&B CSV export, TensorBoard event "
                       "file, mlflow.db), a zip or tar of a run folder (mlruns/, wandb/run-*), an "
                       "ADR, an ablation CSV/XLSX, a git bundle or a document."})
    path = fields.List(fields.String(), metadata={
        "description": "Optional, one per file part in the same order: the file's relative path, "
                       "which is its identity in the study (a later push of new content at the "
                       "same path becomes a new revision). Defaults to the part's filename."})


class ArtifactListArgsSchema(Schema):
    kind = fields.Enum(ArtifactKind, by_value=True, metadata={"description": "Only this kind."})
    source = fields.String(metadata={
        "description": "Only this source: api, upload, cli, git, or git:<repository id>."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


class RevisionSchema(Schema):
    """One immutable original; dumped from an ``evidence.queries.RevisionRow``."""

    id = fields.Integer(attribute="revision.id")
    number = fields.Integer(attribute="revision.number")
    sha256 = fields.String(attribute="revision.blob_sha256")
    size = fields.Integer(attribute="revision.size", metadata={"description": "Bytes."})
    media_type = fields.String(attribute="revision.media_type")
    original_name = fields.String(attribute="revision.original_name")
    uploaded_at = fields.DateTime(attribute="revision.uploaded_at")
    uploaded_by = fields.String(attribute="uploaded_by", allow_none=True)
    content_start = fields.Date(attribute="revision.content_start", allow_none=True, metadata={
        "description": "Earliest date the content itself records (commit, run, decision date)."})
    content_end = fields.Date(attribute="revision.content_end", allow_none=True)
    counts = fields.Dict(attribute="revision.summary.counts", dump_default=dict, metadata={
        "description": "What was extracted: commits, decisions and options, runs and "
                       "runs_by_status, tables, variants, metrics."})
    summary = fields.Dict(attribute="revision.summary", metadata={
        "description": "Everything the ingest recorded about this revision, counts and warnings "
                       "included."})


class ArtifactFieldsSchema(Schema):
    id = fields.Integer(attribute="artifact.id")
    kind = fields.Enum(ArtifactKind, by_value=True, attribute="artifact.kind")
    source = fields.String(attribute="artifact.source")
    path = fields.String(attribute="artifact.path")
    title = fields.String(attribute="artifact.title")
    created_at = fields.DateTime(attribute="artifact.created_at")
    removed_at = fields.DateTime(attribute="artifact.removed_at", allow_none=True)
    removed_reason = fields.String(attribute="artifact.removed_reason", allow_none=True)


class ArtifactListItemSchema(ArtifactFieldsSchema):
    revision_count = fields.Integer()
    latest = fields.Nested(RevisionSchema, metadata={"description": "The newest revision."})

    @pre_dump
    def _with_latest(self, row: ArtifactRow, **_kwargs: Any) -> dict[str, Any]:
        return {"artifact": row.artifact, "revision_count": row.revision_count,
                "latest": RevisionRow(row.latest, row.uploaded_by)}


class PaginationSchema(Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer(metadata={"description": "Artifacts matching the filters."})
    pages = fields.Integer()


class ArtifactListSchema(Schema):
    """One page of artifacts; dumped from an ``evidence.queries.ArtifactPage``."""

    artifacts = fields.List(fields.Nested(ArtifactListItemSchema))
    pagination = fields.Nested(PaginationSchema)

    @pre_dump
    def _split(self, page: ArtifactPage, **_kwargs: Any) -> dict[str, Any]:
        return {"artifacts": page.rows, "pagination": page}


class ArtifactSchema(ArtifactFieldsSchema):
    """An artifact with every revision, newest first."""

    revisions = fields.List(fields.Nested(RevisionSchema))

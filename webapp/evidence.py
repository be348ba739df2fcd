"""Evidence pages: the list, upload, one artifact with what was extracted, and its originals."""

from __future__ import annotations

import base64
from typing import IO, Any, cast

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from core.blobstore import BlobNotFound
from evidence.fact_queries import GitFacts, RevisionFacts, RunFacts, revision_facts
from evidence.git_charts import commits_per_month
from evidence.ingest.limits import IngestLimits
from evidence.ingest.staging import ingest_job_params
from evidence.models import Artifact, ArtifactKind, Run
from evidence.previews import preview_of
from evidence.queries import (
    artifact_detail,
    artifact_sources,
    describe_counts,
    find_artifact,
    find_revision,
    list_artifacts,
)
from evidence.review import confirm_metric_directions
from evidence.run_charts import chart_keys, log_charts, run_metrics
from evidence.store import EvidenceError, remove_artifact
from studies.permissions import Permission
from webapp.access import study_view, user_actor
from webapp.context import blob_store, db_session, settings, start_job
from webapp.evidence_forms import (
    DIRECTION_CHOICES,
    KIND_LABELS,
    RemoveArtifactForm,
    UploadForm,
    filter_form,
    metric_directions,
)
from webapp.evidence_upload import limit_text, stage_files, too_large_message
from webapp.forms import ConfirmForm
from webapp.markdown import render_markdown

bp = Blueprint("evidence", __name__, url_prefix="/studies/<slug>/evidence")


@bp.app_template_global()
def kind_label(kind: ArtifactKind | str) -> str:
    return KIND_LABELS.get(ArtifactKind(kind), str(kind))


bp.add_app_template_filter(render_markdown, "markdown")
bp.add_app_template_filter(describe_counts, "evidence_counts")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc: RequestEntityTooLarge) -> tuple[Response, int] | Response:
    message = too_large_message(settings().max_upload_bytes)
    if _wants_json():
        return jsonify(error=message), 413
    flash(message, "danger")
    return redirect(url_for(".upload", slug=(request.view_args or {}).get("slug")), 303)


@bp.route("")
@study_view(Permission.VIEW_STUDY)
def index() -> str:
    session = db_session()
    form = filter_form(request.args).with_sources(artifact_sources(session, g.study.id))
    page = list_artifacts(session, g.study.id, form.filters())
    return render_template("evidence/list.html", form=form, page=page,
                           page_args={k: v for k, v in request.args.items() if k != "page"})


@bp.route("/upload", methods=["GET", "POST"])
@study_view(Permission.UPLOAD_EVIDENCE)
def upload() -> str | Response | tuple[str | Response, int]:
    form, max_bytes = UploadForm(), settings().max_upload_bytes
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        if status == 400 and _wants_json():
            return jsonify(error="The form expired; reload the page and upload again."), 400
        return render_template("evidence/upload.html", form=form, limit=limit_text(max_bytes),
                               max_bytes=max_bytes), status
    files = stage_files(blob_store(), request.files.getlist(form.files.name), max_bytes=max_bytes)
    if not files.staged:
        problems = files.refused or ["Choose at least one file or folder to upload."]
        if _wants_json():
            return jsonify(error=" ".join(problems), refused=files.refused), 400
        return render_template("evidence/upload.html", form=form, limit=limit_text(max_bytes),
                               max_bytes=max_bytes, problems=problems), 400
    job_id = start_job("evidence.ingest", actor=user_actor(), study_id=g.study.id, params=ingest_job_params(
        files.staged, source="upload", uploaded_by_id=current_user.id,
        limits=IngestLimits.from_settings(settings())))
    job_url = url_for("studies.job", slug=g.study.slug, job_id=job_id)
    if _wants_json():
        return jsonify(job_id=job_id, job_url=job_url, refused=files.refused)
    for problem in files.refused:
        flash(f"Not uploaded: {problem}", "warning")
    return redirect(job_url, 303)


def _artifact_or_404(artifact_id: int) -> Artifact:
    artifact = find_artifact(db_session(), g.study.id, artifact_id)
    if artifact is None:
        abort(404)
    return artifact


@bp.route("/<int:artifact_id>")
@study_view(Permission.VIEW_STUDY)
def artifact(artifact_id: int) -> str:
    session = db_session()
    detail = artifact_detail(session, _artifact_or_404(artifact_id))
    if detail is None:
        abort(404)
    facts = revision_facts(session, detail.artifact, detail.latest,
                           page=request.args.get("page", 1, type=int), commit=request.args.get("commit"))
    is_document = detail.artifact.kind is ArtifactKind.DOCUMENT
    preview = preview_of(blob_store(), detail.latest) if is_document else None
    return render_template("evidence/artifact.html", detail=detail, facts=facts, preview=preview,
                           remove_form=RemoveArtifactForm(), direction_choices=DIRECTION_CHOICES,
                           **_charts(facts))


def _charts(facts: RevisionFacts) -> dict[str, Any]:
    """The SVG charts of the page: a run log's metrics, a repository's commits per month."""
    if isinstance(facts, RunFacts):
        return {"charts": log_charts(facts.runs), "run_chart": _run_chart(facts)}
    if isinstance(facts, GitFacts) and facts.stats.months:
        return {"month_chart": commits_per_month(facts.stats.months)}
    return {}


def _run_chart(facts: RunFacts) -> tuple[Run, str] | None:
    """The run picked with ``?run=<id>`` and the chart of its own series (empty if it has none)."""
    chosen = next((run for run in facts.runs if run.id == request.args.get("run", type=int)), None)
    if chosen is None:
        return None
    keys = chart_keys([chosen])
    return chosen, run_metrics(chosen, keys) if keys else ""


@bp.route("/<int:artifact_id>/revisions/<int:number>/original")
@study_view(Permission.VIEW_STUDY)
def original(artifact_id: int, number: int) -> Response:
    revision = find_revision(db_session(), _artifact_or_404(artifact_id), number)
    if revision is None:
        abort(404)
    try:
        reader = blob_store().open(revision.blob_sha256)
    except BlobNotFound:
        abort(410, description=f"The original with SHA-256 {revision.blob_sha256} is missing from the "
                               "blob store; run the verification job and restore it from backup.")
    # The reader checks the SHA-256 as the last chunk goes out; a corrupted blob ends the
    # response early, and Content-Length tells the client it is incomplete.
    response = send_file(cast(IO[bytes], reader), mimetype=revision.media_type, as_attachment=True,
                         download_name=revision.original_name, conditional=False, etag=False, max_age=0)
    response.content_length = revision.size
    digest = base64.b64encode(bytes.fromhex(revision.blob_sha256)).decode()
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/<int:artifact_id>/remove", methods=["POST"])
@study_view(Permission.LINK_EVIDENCE)
def remove(artifact_id: int) -> Response:
    artifact, form = _artifact_or_404(artifact_id), RemoveArtifactForm()
    if not form.validate_on_submit():
        flash("Say why the evidence is removed; the reason goes in the audit file.", "danger")
        return redirect(url_for(".artifact", slug=g.study.slug, artifact_id=artifact.id), 303)
    try:
        remove_artifact(artifact, reason=form.reason.data or "", removed_by_id=current_user.id)
        db_session().commit()
        flash(f"“{artifact.title}” is removed from the evidence; its originals are kept.", "success")
    except EvidenceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".artifact", slug=g.study.slug, artifact_id=artifact.id), 303)


@bp.route("/<int:artifact_id>/metric-directions", methods=["POST"])
@study_view(Permission.LINK_EVIDENCE)
def confirm_directions(artifact_id: int) -> Response:
    session = db_session()
    detail = artifact_detail(session, _artifact_or_404(artifact_id))
    if detail is None or detail.artifact.kind is not ArtifactKind.ABLATION:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        count = confirm_metric_directions(session, detail.latest.id, metric_directions(request.form),
                                          user_id=current_user.id)
        session.commit()
        flash(f"{count} metric direction(s) confirmed." if count else
              "No direction chosen; pick higher or lower for the metrics you are sure of.",
              "success" if count else "info")
    except EvidenceError as exc:
        flash(str(exc), "danger")
    return redirect(url_for(".artifact", slug=g.study.slug, artifact_id=artifact_id, _anchor="ablation"), 303)

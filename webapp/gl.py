"""GL pages: upload (with the column mapping step), imports, accounts by score, lines, decisions, queue."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from core.jobs import Job
from core.users import User
from scoring.gl_import import GLImportError, NeedsMapping, preview_mapping, propose_mapping, read_gl
from scoring.gl_import.mapping import MappingProposal
from scoring.gl_import.raw import FIELDS
from scoring.models import GLAccount, GLExpense, GLImport
from scoring.review import CATEGORY_LABELS, DecisionError, decide_lines
from scoring.review_lists import (
    account_lines,
    account_rows,
    disagreements,
    find_account,
    find_import,
    study_imports,
    thresholds,
)
from scoring.tasks import import_job_params
from studies.models import BusinessComponent
from studies.permissions import Permission
from webapp.access import study_view, user_actor
from webapp.context import blob_store, database, db_session, queue, start_job
from webapp.gl_forms import (
    CATEGORY_CHOICES,
    FIELD_LABELS,
    MappingForm,
    UploadGLForm,
    decision_from_form,
    line_ids_from_form,
    mapping_from_form,
)
from webapp.gl_upload import PendingGL, drop, forget, pending_for, remember, stage_gl, staged_bytes

bp = Blueprint("gl", __name__, url_prefix="/studies/<slug>/gl")
GL_JOBS = ("scoring.import_gl", "scoring.score_gl", "scoring.retrain")


@bp.app_template_global()
def qre_category_label(category: Any) -> str:
    return CATEGORY_LABELS.get(category, str(category or ""))


@bp.route("")
@study_view(Permission.REVIEW_GL)
def index() -> str:
    return render_template("gl/imports.html", imports=study_imports(db_session(), g.study.id),
                           pending=pending_for(g.study.id))


@bp.route("/upload", methods=["GET", "POST"])
@study_view(Permission.REVIEW_GL)
def upload() -> str | Response | tuple[str, int]:
    form = UploadGLForm()
    if not form.validate_on_submit():
        return render_template("gl/upload.html", form=form), 400 if request.method == "POST" else 200
    data, name = form.file.data.read(), (form.file.data.filename or "ledger.csv").rsplit("/", 1)[-1]
    share = (form.blind_percent.data if form.blind_percent.data is not None else 10) / 100
    pending = PendingGL(g.study.id, stage_gl(blob_store(), data), name, form.industry.data or "", share)
    try:
        read_gl(data, name=name, industry=pending.industry)
    except NeedsMapping:
        remember(pending)
        return redirect(url_for(".mapping", slug=g.study.slug), 303)
    except GLImportError as error:
        drop(database(), blob_store(), pending)
        return render_template("gl/upload.html", form=form, error=error), 400
    return _start_import(pending)


def _start_import(pending: PendingGL, mapping: Any = None) -> Response:
    forget()
    job_id = start_job("scoring.import_gl", actor=user_actor(), study_id=g.study.id,
                       params=import_job_params(pending.staged(), pending.upload(current_user.id, mapping)))
    return redirect(url_for(".job", slug=g.study.slug, job_id=job_id), 303)


@bp.route("/upload/mapping", methods=["GET", "POST"])
@study_view(Permission.REVIEW_GL)
def mapping() -> str | Response | tuple[str, int]:
    pending = pending_for(g.study.id)
    data = staged_bytes(blob_store(), pending) if pending else None
    if pending is None or data is None:
        forget()
        flash("No upload is waiting for its columns to be mapped; upload the file again.", "warning")
        return redirect(url_for(".upload", slug=g.study.slug), 303)
    if request.form.get("action") == "cancel":
        drop(database(), blob_store(), pending)
        flash(f"{pending.filename} was not imported.", "info")
        return redirect(url_for(".index", slug=g.study.slug), 303)
    try:
        proposal = propose_mapping(data, name=pending.filename)
    except GLImportError as error:
        drop(database(), blob_store(), pending)
        return render_template("gl/upload.html", form=UploadGLForm(), error=error), 400
    form = MappingForm(header_row=proposal.mapping.header_row)
    if not form.validate_on_submit():
        return _mapping_page(form, pending, proposal, 400 if request.method == "POST" else 200)
    chosen = mapping_from_form(request.form, form.header_row.data or 1, proposal.mapping.sheet)
    try:
        if request.form.get("action") == "import":
            read_gl(data, name=pending.filename, mapping=chosen, industry=pending.industry)
            return _start_import(pending, chosen)
        proposal = preview_mapping(data, name=pending.filename, mapping=chosen)
    except GLImportError as error:
        return _mapping_page(form, pending, MappingProposal(proposal.header, chosen, proposal.preview), 400,
                             error=error)
    return _mapping_page(form, pending, proposal, 200)


def _mapping_page(form: MappingForm, pending: PendingGL, proposal: MappingProposal, status: int,
                  error: GLImportError | None = None) -> tuple[str, int]:
    return render_template("gl/mapping.html", form=form, pending=pending, proposal=proposal, error=error,
                           fields=FIELDS, field_labels=FIELD_LABELS), status


@bp.route("/jobs/<int:job_id>")
@study_view(Permission.REVIEW_GL)
def job(job_id: int) -> str | Response:
    found = db_session().get(Job, job_id)
    if found is None or found.study_id != g.study.id or found.kind not in GL_JOBS:
        abort(404)
    return render_template("gl/job.html", job=found, progress=queue().progress(job_id))


def _import_or_404(import_id: int) -> GLImport:
    found = find_import(db_session(), g.study.id, import_id)
    if found is None:
        abort(404)
    return found


@bp.route("/<int:import_id>")
@study_view(Permission.REVIEW_GL)
def accounts(import_id: int) -> str:
    session = db_session()
    gl_import = _import_or_404(import_id)
    cut = thresholds(session, gl_import)
    return render_template("gl/accounts.html", gl_import=gl_import,
                           rows=account_rows(session, gl_import, cut), cut=cut)


@bp.route("/<int:import_id>/score", methods=["POST"])
@study_view(Permission.REVIEW_GL)
def score(import_id: int) -> Response:
    gl_import = _import_or_404(import_id)
    job_id = start_job("scoring.score_gl", actor=user_actor(), study_id=g.study.id,
                       params={"import_id": gl_import.id})
    return redirect(url_for(".job", slug=g.study.slug, job_id=job_id), 303)


@bp.route("/<int:import_id>/accounts/<int:account_id>")
@study_view(Permission.REVIEW_GL)
def account(import_id: int, account_id: int) -> str:
    return _account_page(import_id, account_id)


def _account_page(import_id: int, account_id: int, errors: dict[str, str] | None = None) -> str:
    session = db_session()
    gl_import = _import_or_404(import_id)
    found = find_account(session, gl_import, account_id)
    if found is None:
        abort(404)
    cut = thresholds(session, gl_import)
    lines = account_lines(session, found, cut, page=request.args.get("page", 1, type=int))
    return render_template("gl/account.html", gl_import=gl_import, account=found, page=lines, cut=cut,
                           neighbours=_neighbours(gl_import, found),
                           **_review_context([row.line for row in lines.rows], errors))


def _projects() -> list[BusinessComponent]:
    query = select(BusinessComponent).where(BusinessComponent.study_id == g.study.id).order_by(
        BusinessComponent.code)
    return list(db_session().scalars(query))


def _neighbours(gl_import: GLImport, found: GLAccount) -> tuple[GLAccount | None, GLAccount | None]:
    session = db_session()
    ordered = [row.account for row in account_rows(session, gl_import, thresholds(session, gl_import))]
    index = next(i for i, item in enumerate(ordered) if item.id == found.id)
    return (ordered[index - 1] if index > 0 else None,
            ordered[index + 1] if index + 1 < len(ordered) else None)


@bp.route("/<int:import_id>/decisions", methods=["POST"])
@study_view(Permission.REVIEW_GL)
def decide(import_id: int) -> str | Response | tuple[str | Response, int]:
    session = db_session()
    gl_import = _import_or_404(import_id)
    ids = line_ids_from_form(request.form)
    try:
        lines = decide_lines(session, g.study.id, ids, decision_from_form(request.form),
                             user_id=current_user.id)
        if any(line.import_id != gl_import.id for line in lines):
            raise DecisionError({"lines": "not lines of this import"})
    except DecisionError as error:
        session.rollback()
        return _refused(import_id, error)
    session.commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(lines=[_line_json(line) for line in lines])
    flash(f"Decision recorded for {len(lines)} line{'s' if len(lines) != 1 else ''}.", "success")
    return redirect(_safe_back(request.form.get("back", "")) or _back_to(gl_import, lines), 303)


def _refused(import_id: int, error: DecisionError) -> tuple[str | Response, int]:
    if request.accept_mimetypes.best == "application/json":
        return jsonify(errors=error.errors), 400
    account_id = request.form.get("account_id", type=int)
    if account_id is not None:
        return _account_page(import_id, account_id, errors=error.errors), 400
    if request.form.get("from") == "queue":
        return _queue_page(import_id, errors=error.errors), 400
    abort(400, description=str(error))


def _safe_back(url: str) -> str:
    """Only a path of this site (never another host) to go back to."""
    return url if url.startswith("/") and not url.startswith(("//", "/\\")) else ""


def _deciders(lines: list[GLExpense]) -> dict[int, User]:
    ids = {line.decided_by_id for line in lines if line.decided_by_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db_session().scalars(select(User).where(User.id.in_(ids)))}


def _back_to(gl_import: GLImport, lines: list[GLExpense]) -> str:
    return url_for(".account", slug=g.study.slug, import_id=gl_import.id, account_id=lines[0].account_id)


def _line_json(line: GLExpense) -> dict[str, Any]:
    return {"id": line.id, "decision": "undecided" if line.qualified is None else
            ("qualified" if line.qualified else "not_qualified"),
            "html": render_template("gl/_decision.html", line=line, deciders=_deciders([line]),
                                    project_codes={p.id: p.code for p in _projects()})}


@bp.route("/<int:import_id>/disagreements")
@study_view(Permission.REVIEW_GL)
def queue_page(import_id: int) -> str:
    return _queue_page(import_id)


def _queue_page(import_id: int, errors: dict[str, str] | None = None) -> str:
    session = db_session()
    gl_import = _import_or_404(import_id)
    cut = thresholds(session, gl_import)
    items = disagreements(session, gl_import, cut)
    return render_template("gl/disagreements.html", gl_import=gl_import, rows=items, cut=cut,
                           **_review_context([item.line for item in items], errors))


def _review_context(lines: list[GLExpense], errors: dict[str, str] | None = None) -> dict[str, Any]:
    """What the decision bar and the line rows need."""
    projects = _projects()
    return {"projects": projects, "project_codes": {project.id: project.code for project in projects},
            "categories": CATEGORY_CHOICES, "errors": errors or {}, "given": request.form,
            "deciders": _deciders(lines)}

"""Narrative pages: drafts from the interviews, the editor, versions, diffs, review and approval."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from narratives.diff import diff_texts
from narratives.drafts import DraftAction, redraft, refresh_drafts
from narratives.errors import InputError, ReviewError
from narratives.guides import prong_info
from narratives.interviews import project_interviews
from narratives.models import Narrative, NarrativeVersion, Prong
from narratives.render import render_diff, render_narrative
from narratives.versions import (
    approve,
    approved_version,
    ensure_narrative,
    find_narrative,
    find_version,
    latest_version,
    project_narratives,
    return_to_draft,
    save_version,
    send_for_review,
    study_narratives,
    todo_count,
)
from studies.models import BusinessComponent
from studies.permissions import Permission
from studies.services import find_project
from webapp.access import study_view
from webapp.context import db_session
from webapp.forms import ConfirmForm
from webapp.narrative_forms import DiffForm, NarrativeForm

bp = Blueprint("narratives", __name__)
PROJECT = "/studies/<slug>/projects/<code>/narratives"
ONE = PROJECT + "/<prong>"
TAB = "narratives.index"


@bp.app_template_global()
def narrative_prong_label(prong: Prong | str) -> str:
    return prong_info(Prong(prong)).label


@bp.app_template_global()
def narrative_todos(version: NarrativeVersion | None) -> int:
    return todo_count(version.markdown) if version else 0


def _project(code: str) -> BusinessComponent:
    project = find_project(db_session(), g.study, code)
    if project is None:
        abort(404)
    return project


def _prong(value: str) -> Prong:
    try:
        return Prong(value)
    except ValueError:
        abort(404)


def _rendered(markdown: str | None) -> Markup:
    return render_narrative(markdown, lambda artifact_id: url_for(
        "evidence.artifact", slug=g.study.slug, artifact_id=artifact_id))


def _back(code: str, prong: Prong) -> Response:
    return redirect(url_for(".narrative", slug=g.study.slug, code=code, prong=prong.value), 303)


@bp.route("/studies/<slug>/narratives")
@study_view(Permission.VIEW_STUDY)
def index() -> str:
    by_project: dict[int, dict[Prong, Narrative]] = {}
    for narrative in study_narratives(db_session(), g.study.id):
        by_project.setdefault(narrative.project_id, {})[narrative.prong] = narrative
    return render_template("narratives/index.html", projects=g.study.projects, by_project=by_project,
                           prongs=list(Prong), latest_version=latest_version,
                           approved_version=approved_version)


@bp.route(PROJECT)
@study_view(Permission.VIEW_STUDY)
def project(code: str) -> str:
    found, session = _project(code), db_session()
    return render_template("narratives/project.html", project=found, prongs=list(Prong),
                           narratives=project_narratives(session, found),
                           interviews=project_interviews(session, found), latest_version=latest_version,
                           approved_version=approved_version, active_tab=TAB)


_DRAFT_WORDS = {DraftAction.CREATED: "drafted as version {v}",
                DraftAction.REFRESHED: "redrafted as version {v}",
                DraftAction.UNCHANGED: "unchanged (version {v})", DraftAction.KEPT: "kept: {reason}"}


@bp.route(PROJECT + "/draft", methods=["POST"])
@study_view(Permission.WRITE_NARRATIVES)
def draft(code: str) -> Response:
    found = _project(code)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    session = db_session()
    results = refresh_drafts(session, found, author_id=current_user.id)
    session.commit()
    words = [_DRAFT_WORDS[r.action].format(v=r.version, reason=r.reason) for r in results]
    parts = [f"{narrative_prong_label(r.prong)}: {said}" for r, said in zip(results, words, strict=True)]
    flash("Drafted from the interview answers and the project record. " + "; ".join(parts) + ".", "success")
    return redirect(url_for(".project", slug=g.study.slug, code=code), 303)


def _page(found: BusinessComponent, prong: Prong, narrative: Narrative | None, *,
          form: NarrativeForm | None = None, preview: str | None = None,
          status: int = 200) -> tuple[str, int]:
    latest = latest_version(narrative) if narrative else None
    approved = approved_version(narrative) if narrative else None
    if form is None:
        form = NarrativeForm(formdata=None, markdown=latest.markdown if latest else "",
                             base_number=str(latest.number) if latest else "")
    shown = preview if preview is not None else (latest.markdown if latest else None)
    versions = sorted(narrative.versions, key=lambda v: v.number, reverse=True) if narrative else []
    return render_template(
        "narratives/narrative.html", project=found, prong=prong, info=prong_info(prong), narrative=narrative,
        latest=latest, approved=approved, versions=versions, form=form, previewing=preview is not None,
        rendered=_rendered(shown) if shown else None, prongs=list(Prong), active_tab=TAB,
        own_latest=bool(latest and latest.author_id == current_user.id)), status


@bp.route(ONE)
@study_view(Permission.VIEW_STUDY)
def narrative(code: str, prong: str) -> tuple[str, int]:
    found, chosen = _project(code), _prong(prong)
    return _page(found, chosen, find_narrative(db_session(), found, chosen))


@bp.route(ONE, methods=["POST"])
@study_view(Permission.WRITE_NARRATIVES)
def edit(code: str, prong: str) -> Response | tuple[str, int]:
    found, chosen, form, session = _project(code), _prong(prong), NarrativeForm(), db_session()
    existing = find_narrative(session, found, chosen)
    if not form.validate_on_submit():
        expired = "The form expired; copy your text, reload the page and save again."
        form.markdown.errors = [*form.markdown.errors, expired]
        return _page(found, chosen, existing, form=form, status=400)
    if form.preview.data:
        return _page(found, chosen, existing, form=form, preview=form.markdown.data or "")
    try:
        version = save_version(session, ensure_narrative(session, found, chosen), form.markdown.data or "",
                               author_id=current_user.id, note=form.note.data or "", base_number=form.base())
    except InputError as exc:
        session.rollback()
        for field, message in exc.errors.items():
            form[field].errors = [*form[field].errors, message]
        return _page(found, chosen, find_narrative(session, found, chosen), form=form, status=400)
    session.commit()
    flash(f"Saved as version {version.number}, a draft.", "success")
    return _back(code, chosen)


def _existing(found: BusinessComponent, prong: Prong) -> Narrative:
    narrative = find_narrative(db_session(), found, prong)
    if narrative is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    return narrative


@bp.route(ONE + "/redraft", methods=["POST"])
@study_view(Permission.WRITE_NARRATIVES)
def redraft_one(code: str, prong: str) -> Response:
    found, chosen, session = _project(code), _prong(prong), db_session()
    narrative = _existing(found, chosen)
    try:
        number = redraft(session, found, narrative, author_id=current_user.id)
    except InputError as exc:
        flash(" ".join(exc.errors.values()), "info")
        return _back(code, chosen)
    session.commit()
    flash(f"Redrafted from the interview answers as version {number}.", "success")
    return _back(code, chosen)


def _review_step(code: str, prong: str, step: str) -> Response:
    found, chosen, session = _project(code), _prong(prong), db_session()
    narrative = _existing(found, chosen)
    try:
        if step == "submit":
            version = send_for_review(session, narrative, user_id=current_user.id)
            message = f"Version {version.number} is in review."
        elif step == "approve":
            version = approve(session, narrative, user_id=current_user.id)
            message = f"Version {version.number} is approved; it is the version the package carries."
        else:
            return_to_draft(session, narrative)
            message = "Sent back to draft."
    except ReviewError as exc:
        session.rollback()
        flash(str(exc), "danger")
        return _back(code, chosen)
    session.commit()
    flash(message, "success")
    return _back(code, chosen)


@bp.route(ONE + "/submit", methods=["POST"])
@study_view(Permission.WRITE_NARRATIVES)
def submit(code: str, prong: str) -> Response:
    return _review_step(code, prong, "submit")


@bp.route(ONE + "/approve", methods=["POST"])
@study_view(Permission.APPROVE_NARRATIVES)
def approve_latest(code: str, prong: str) -> Response:
    return _review_step(code, prong, "approve")


@bp.route(ONE + "/send-back", methods=["POST"])
@study_view(Permission.APPROVE_NARRATIVES)
def send_back(code: str, prong: str) -> Response:
    return _review_step(code, prong, "send_back")


def _narrative_or_404(code: str, prong: str) -> tuple[BusinessComponent, Prong, Narrative]:
    found, chosen = _project(code), _prong(prong)
    narrative = find_narrative(db_session(), found, chosen)
    if narrative is None:
        abort(404)
    return found, chosen, narrative


@bp.route(ONE + "/versions/<int:number>")
@study_view(Permission.VIEW_STUDY)
def version(code: str, prong: str, number: int) -> str:
    found, chosen, narrative = _narrative_or_404(code, prong)
    shown = find_version(narrative, number)
    if shown is None:
        abort(404)
    return render_template("narratives/version.html", project=found, prong=chosen, narrative=narrative,
                           version=shown, rendered=_rendered(shown.markdown),
                           approved=approved_version(narrative), latest=latest_version(narrative),
                           active_tab=TAB)


@bp.route(ONE + "/diff")
@study_view(Permission.VIEW_STUDY)
def diff(code: str, prong: str) -> str:
    found, chosen, narrative = _narrative_or_404(code, prong)
    form = DiffForm(request.args)
    latest = latest_version(narrative)
    new = find_version(narrative, form.new.data or (latest.number if latest else 0))
    old = find_version(narrative, form.old.data or ((new.number - 1) if new else 0))
    if old is None or new is None:
        abort(404, description="Choose two versions of this narrative to compare.")
    changes = diff_texts(old.markdown, new.markdown)
    table = render_diff(changes, f"Version {old.number}", f"Version {new.number}")
    return render_template("narratives/diff.html", project=found, prong=chosen, narrative=narrative, old=old,
                           new=new, changes=changes, table=table, versions=narrative.versions, active_tab=TAB)

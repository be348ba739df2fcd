"""Interview pages: start an interview of a project, answer its guide, with autosave."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from narratives.errors import InputError
from narratives.guides import Guide, guide_for
from narratives.interviews import (
    AnswerInput,
    answers_by_key,
    find_interview,
    project_interviews,
    record_answers,
    start_interview,
)
from narratives.models import Interview
from studies.models import BusinessComponent
from studies.permissions import Permission
from studies.sectors import sub_sectors
from studies.services import find_project
from webapp.access import study_view
from webapp.context import db_session
from webapp.forms import ConfirmForm
from webapp.narrative_forms import StartInterviewForm

bp = Blueprint("interviews", __name__, url_prefix="/studies/<slug>/projects/<code>/interviews")
TAB = "narratives.index"


def _project(code: str) -> BusinessComponent:
    project = find_project(db_session(), g.study, code)
    if project is None:
        abort(404)
    return project


def _interview(project: BusinessComponent, interview_id: int) -> Interview:
    interview = find_interview(db_session(), project, interview_id)
    if interview is None:
        abort(404)
    return interview


def _list_page(project: BusinessComponent, form: StartInterviewForm, status: int = 200) -> tuple[str, int]:
    interviews = project_interviews(db_session(), project)
    guide = guide_for(project.sub_sector)
    return render_template("interviews/index.html", project=project, interviews=interviews, form=form,
                           guide=guide, sector=sub_sectors().get(project.sub_sector),
                           question_count=len(guide.questions()), active_tab=TAB), status


@bp.route("")
@study_view(Permission.VIEW_STUDY)
def index(code: str) -> tuple[str, int]:
    return _list_page(_project(code), StartInterviewForm())


@bp.route("", methods=["POST"])
@study_view(Permission.CONDUCT_INTERVIEWS)
def start(code: str) -> Response | tuple[str, int]:
    project, form = _project(code), StartInterviewForm()
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400, description="The form expired; reload the page and start the interview again.")
    session = db_session()
    try:
        interview = start_interview(session, project, interviewer_id=current_user.id,
                                    interviewee_name=form.interviewee_name.data or "",
                                    interviewee_role=form.interviewee_role.data or "",
                                    held_on=form.held_on.data)
    except InputError as exc:
        session.rollback()
        for field, message in exc.errors.items():
            form[field].errors = [message]  # in place of WTForms' "Not a valid date value."
        return _list_page(project, form, 400)
    session.commit()
    return redirect(url_for(".interview", slug=g.study.slug, code=code, interview_id=interview.id), 303)


def _interview_page(project: BusinessComponent, interview: Interview, *,
                    typed: dict[str, AnswerInput] | None = None, errors: dict[str, str] | None = None,
                    status: int = 200) -> tuple[str, int]:
    guide = guide_for(project.sub_sector)
    saved = answers_by_key(interview)
    values = {q.key: AnswerInput(saved[q.key].answer, saved[q.key].quote) if q.key in saved
              else AnswerInput("") for q in guide.questions()}
    values.update(typed or {})
    last_saved = max((a.updated_at for a in saved.values()), default=None)
    answered = {key for key, answer in saved.items() if answer.answer or answer.quote}
    return render_template("interviews/interview.html", project=project, interview=interview, guide=guide,
                           values=values, errors=errors or {}, last_saved=last_saved, answered=answered,
                           form=ConfirmForm(), active_tab=TAB), status


@bp.route("/<int:interview_id>")
@study_view(Permission.VIEW_STUDY)
def interview(code: str, interview_id: int) -> tuple[str, int]:
    project = _project(code)
    return _interview_page(project, _interview(project, interview_id))


def _typed_answers(guide: Guide) -> dict[str, AnswerInput]:
    """The answers posted by the plain form: only questions whose fields were sent."""
    typed = {}
    for question in guide.questions():
        answer, quote = request.form.get(f"answer-{question.key}"), request.form.get(f"quote-{question.key}")
        if answer is not None or quote is not None:
            typed[question.key] = AnswerInput(answer or "", quote or "")
    return typed


@bp.route("/<int:interview_id>", methods=["POST"])
@study_view(Permission.CONDUCT_INTERVIEWS)
def save(code: str, interview_id: int) -> Response | tuple[str, int]:
    """Every answer at once: the page's own submit button, which works without JavaScript."""
    project = _project(code)
    interview = _interview(project, interview_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The form expired; reload the page and enter the answers again.")
    typed, session = _typed_answers(guide_for(project.sub_sector)), db_session()
    try:
        saved = record_answers(session, interview, guide_for(project.sub_sector), typed)
    except InputError as exc:
        session.rollback()
        return _interview_page(project, interview, typed=typed, errors=exc.errors, status=400)
    session.commit()
    if saved:
        latest = max(answer.updated_at for answer in saved)
        flash(f"Answers saved at {latest:%H:%M} UTC.", "success")
    return redirect(url_for(".interview", slug=g.study.slug, code=code, interview_id=interview_id), 303)


def _json_error(message: str, errors: dict[str, str] | None = None) -> tuple[Response, int]:
    return jsonify(error=message, errors=errors or {}), 400


@bp.route("/<int:interview_id>/answer", methods=["POST"])
@study_view(Permission.CONDUCT_INTERVIEWS)
def autosave(code: str, interview_id: int) -> Response | tuple[Response, int]:
    """One question's answer and quote, sent by ``interview_autosave.js`` while the person types."""
    project = _project(code)
    interview = _interview(project, interview_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("question_key"), str):
        return _json_error("Send JSON with question_key, answer and quote.")
    answer, quote = body.get("answer", ""), body.get("quote", "")
    if not isinstance(answer, str) or not isinstance(quote, str):
        return _json_error("answer and quote must be text.")
    session, key = db_session(), body["question_key"]
    try:
        [saved] = record_answers(session, interview, guide_for(project.sub_sector),
                                 {key: AnswerInput(answer, quote)})
    except InputError as exc:
        session.rollback()
        return _json_error("Not saved: " + " ".join(exc.errors.values()), exc.errors)
    session.commit()
    return jsonify(question_key=key, saved_at=saved.updated_at.isoformat())

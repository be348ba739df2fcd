"""Study pages: the list, the overview, members, API tokens, jobs and the audit trail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from core.audit import study_trail
from core.jobs import Job, study_jobs
from core.users import find_user
from narratives.readiness import run_readiness
from studies.models import ApiToken, Membership, Role
from studies.overview import study_overview
from studies.permissions import Permission, permissions_of
from studies.sectors import sub_sectors
from studies.services import (
    StudyError,
    add_member,
    find_project,
    memberships_for,
    remove_member,
    study_contractors,
    study_employees,
)
from studies.tokens import TokenError, issue_token, revoke_token, tokens_of
from webapp.access import signed_in, study_view, user_actor
from webapp.context import db_session, queue, start_job
from webapp.forms import AddMemberForm, ConfirmForm, NewTokenForm

bp = Blueprint("studies", __name__)


@bp.app_context_processor
def inject_permissions() -> dict[str, object]:
    membership = g.get("membership")
    return {"study": g.get("study"), "membership": membership,
            "perms": permissions_of(membership.role if membership else None),
            "Permission": Permission, "confirm_form": ConfirmForm()}


@bp.route("/")
@signed_in
def index() -> str:
    return render_template("studies/index.html", memberships=memberships_for(db_session(), current_user))


@bp.route("/studies/<slug>/")
@study_view(Permission.VIEW_STUDY)
def overview() -> str:
    session = db_session()
    return render_template("studies/overview.html", overview=study_overview(session, g.study),
                           readiness=run_readiness(session, g.study))


@bp.route("/studies/<slug>/projects/<code>")
@study_view(Permission.VIEW_STUDY)
def project(code: str) -> str:
    found = find_project(db_session(), g.study, code)
    if found is None:
        abort(404)
    findings = run_readiness(db_session(), g.study).for_project(found.code)
    return render_template("studies/project.html", project=found,
                           sector=sub_sectors().get(found.sub_sector), findings=findings)


@bp.route("/studies/<slug>/people")
@study_view(Permission.VIEW_PAYROLL)
def people() -> str:
    session = db_session()
    return render_template("studies/people.html", employees=study_employees(session, g.study),
                           contractors=study_contractors(session, g.study))


@bp.route("/studies/<slug>/members", methods=["GET", "POST"])
@study_view(Permission.MANAGE_MEMBERS)
def members() -> str | Response:
    form, session = AddMemberForm(), db_session()
    if form.validate_on_submit():
        user = find_user(session, form.email.data or "")
        if user is None:
            form.email.errors.append("No user has this e-mail; create the account first.")
        else:
            add_member(session, g.study, user, Role(form.role.data))
            session.commit()
            flash(f"{user.name} is now {form.role.data} of this study.", "success")
            return redirect(url_for(".members", slug=g.study.slug))
    return render_template("studies/members.html", form=form, memberships=g.study.memberships)


@bp.route("/studies/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@study_view(Permission.MANAGE_MEMBERS)
def remove_membership(membership_id: int) -> Response:
    session = db_session()
    membership = session.get(Membership, membership_id)
    if membership is None or membership.study_id != g.study.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            remove_member(session, membership)
            session.commit()
        except StudyError as exc:
            flash(str(exc), "danger")
    return redirect(url_for(".members", slug=g.study.slug))


@bp.route("/studies/<slug>/tokens", methods=["GET", "POST"])
@study_view(Permission.MANAGE_TOKENS)
def tokens() -> str:
    form, session, plaintext = NewTokenForm(), db_session(), None
    if form.validate_on_submit():
        try:
            _token, plaintext = issue_token(session, g.membership, form.name.data or "")
            session.commit()
        except TokenError as exc:
            form.name.errors.append(str(exc))
    return render_template("studies/tokens.html", form=form, plaintext=plaintext,
                           tokens=tokens_of(session, g.study.id, current_user.id))


@bp.route("/studies/<slug>/tokens/<int:token_id>/revoke", methods=["POST"])
@study_view(Permission.MANAGE_TOKENS)
def revoke(token_id: int) -> Response:
    session = db_session()
    token = session.get(ApiToken, token_id)
    if token is None or token.study_id != g.study.id or token.user_id != current_user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        revoke_token(token)
        session.commit()
        flash(f"Token {token.prefix}… is revoked.", "success")
    return redirect(url_for(".tokens", slug=g.study.slug))


@bp.route("/studies/<slug>/jobs")
@study_view(Permission.VIEW_JOBS)
def jobs() -> str:
    listed = study_jobs(db_session(), g.study.id)
    progress = {job.id: queue().progress(job.id) for job in listed if not job.done}
    return render_template("studies/jobs.html", jobs=listed, progress=progress)


@bp.route("/studies/<slug>/jobs/verify-evidence", methods=["POST"])
@study_view(Permission.VIEW_JOBS)
def verify_evidence() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job_id = start_job("evidence.verify", actor=user_actor(), study_id=g.study.id)
    flash(f"Job {job_id} re-checks every original of this study against its SHA-256.", "info")
    return redirect(url_for(".job", slug=g.study.slug, job_id=job_id))


@bp.route("/studies/<slug>/jobs/<int:job_id>")
@study_view(Permission.VIEW_JOBS)
def job(job_id: int) -> str:
    found = db_session().get(Job, job_id)
    if found is None or found.study_id != g.study.id:
        abort(404)
    return render_template("studies/job.html", job=found, progress=queue().progress(job_id))


@bp.route("/studies/<slug>/audit")
@study_view(Permission.VIEW_AUDIT_TRAIL)
def audit() -> str:
    return render_template("studies/audit.html", events=study_trail(db_session(), g.study.id))

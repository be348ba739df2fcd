"""Evidence links: the suggestions page, accept and reject, manual links, the suggestion job.

Also the template helpers other pages use: an artifact's links (``artifact_links``) and a
project's evidence section (``project_evidence``, with its timeline chart).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional, Regexp

from evidence.linking.decisions import LinkError, LinkNotFound, add_manual_link, decide_link
from evidence.linking.listing import (
    LinkFilter,
    LinkRow,
    artifact_link_rows,
    link_groups,
    linkable_artifacts,
    project_links,
    status_counts,
)
from evidence.linking.targets import Target, TargetType, study_targets
from evidence.models import Artifact, LinkStatus
from evidence.timeline import ProjectTimeline, project_timeline, timeline_svg
from narratives.models import Prong
from studies.models import BusinessComponent
from studies.permissions import Permission
from webapp.access import study_view, user_actor
from webapp.context import db_session, settings, start_job

bp = Blueprint("links", __name__, url_prefix="/studies/<slug>/evidence/links")

STATUS_CHOICES = ("suggested", "accepted", "rejected", "all")
PRONG_LABELS = {Prong.PERMITTED_PURPOSE: "Permitted purpose", Prong.TECHNOLOGICAL: "Technological in nature",
                Prong.UNCERTAINTY: "Elimination of uncertainty",
                Prong.EXPERIMENTATION: "Process of experimentation"}
TARGET_PATTERN = r"^(project|uncertainty|experiment):\d+$"


class SuggestForm(FlaskForm):
    similarity = BooleanField("Also by text similarity (slower: loads the language model)")


class DecideForm(FlaskForm):
    link_id = IntegerField(validators=[DataRequired()])
    decision = SelectField(choices=["accept", "reject"])
    next = HiddenField(validators=[Optional()])


PRONG_CHOICES = [SelectChoice("", "decide later"),
                 *(SelectChoice(prong.value, text) for prong, text in PRONG_LABELS.items())]


class ManualLinkForm(FlaskForm):
    artifact_id = IntegerField(validators=[DataRequired()])
    target = StringField(validators=[DataRequired(), Regexp(TARGET_PATTERN)])
    prong = SelectField(choices=PRONG_CHOICES, validators=[Optional()])
    next = HiddenField(validators=[Optional()])


@bp.route("")
@study_view(Permission.VIEW_STUDY)
def index() -> str:
    session = db_session()
    status = request.args.get("status", "suggested")
    status = status if status in STATUS_CHOICES else "suggested"
    target_type = request.args.get("target", "")
    target_type = target_type if target_type in {t.value for t in TargetType} else ""
    project = _project(request.args.get("project", ""))
    wanted = LinkFilter(status=LinkStatus(status) if status != "all" else None,
                        target_type=TargetType(target_type) if target_type else None,
                        project_id=project.id if project else None)
    groups, cut = link_groups(session, g.study.id, wanted)
    return render_template(
        "evidence/links.html", groups=groups, cut=cut, counts=status_counts(session, g.study.id),
        status=status, target_type=target_type, project=project, statuses=STATUS_CHOICES,
        artifacts=linkable_artifacts(session, g.study.id),
        suggest_form=SuggestForm(similarity=True), prong_labels=PRONG_LABELS, active_tab="evidence.index")


def _project(code: str) -> BusinessComponent | None:
    return next((p for p in g.study.projects if p.code == code), None) if code else None


@bp.route("/suggest", methods=["POST"])
@study_view(Permission.LINK_EVIDENCE)
def suggest() -> Response:
    form = SuggestForm()
    if not form.validate_on_submit():
        abort(400)
    params = {"similarity": bool(form.similarity.data), "embedding_model": settings().embedding_model}
    job_id = start_job("evidence.suggest_links", actor=user_actor(), study_id=g.study.id, params=params)
    flash(f"Job {job_id} suggests links from every artifact; decisions already made are kept.", "info")
    return redirect(url_for("studies.job", slug=g.study.slug, job_id=job_id), 303)


@bp.route("/decide", methods=["POST"])
@study_view(Permission.LINK_EVIDENCE)
def decide() -> Response:
    form = DecideForm()
    if not form.validate_on_submit():
        abort(400)
    session = db_session()
    try:
        link = decide_link(session, g.study.id, form.link_id.data or 0, accept=form.decision.data == "accept",
                           user_id=current_user.id)
    except LinkNotFound:
        abort(404)
    session.commit()
    flash(f"Link {link.id} {link.status.value}.", "success")
    return redirect(_next(form.next.data), 303)


@bp.route("/new", methods=["POST"])
@study_view(Permission.LINK_EVIDENCE)
def new() -> Response:
    form = ManualLinkForm()
    if not form.validate_on_submit():
        flash("Choose the evidence and what it supports.", "danger")
        return redirect(_next(form.next.data), 303)
    target_type, _, target_id = (form.target.data or "").partition(":")
    session = db_session()
    try:
        link = add_manual_link(session, g.study.id, artifact_id=form.artifact_id.data or 0,
                               target_type=target_type, target_id=int(target_id), user_id=current_user.id,
                               prong=form.prong.data or None)
    except LinkError as exc:
        flash(str(exc), "danger")
        return redirect(_next(form.next.data), 303)
    session.commit()
    flash(f"Link {link.id} added and accepted.", "success")
    return redirect(_next(form.next.data), 303)


def _next(requested: str | None) -> str:
    """Back to the page the form was on, if it is a page of this study; else the links page."""
    prefix = f"/studies/{g.study.slug}/"
    if requested and requested.startswith(prefix) and "//" not in requested and "\\" not in requested:
        return requested
    return url_for(".index", slug=g.study.slug)


# Template helpers for other pages ----------------------------------------------------------

@bp.app_template_global()
def artifact_links(artifact: Artifact) -> list[LinkRow]:
    """The links of one artifact (for ``evidence/_artifact_links.html``)."""
    return artifact_link_rows(db_session(), artifact.study_id, artifact.id)


@bp.app_template_global()
def link_targets() -> list[Target]:
    return study_targets(db_session(), g.study.id)


@bp.app_template_global()
def prong_label(value: str | None) -> str:
    return PRONG_LABELS.get(Prong(value), value) if value in {p.value for p in Prong} else ""


@dataclass(frozen=True)
class ProjectEvidence:
    accepted: list[LinkRow]
    pending: int
    timeline: ProjectTimeline
    chart: Markup
    with_suggested: bool


@bp.app_template_global()
def project_evidence(project: BusinessComponent) -> ProjectEvidence:
    """What the project page's evidence section shows; ``?suggested=1`` draws open suggestions faint."""
    session = db_session()
    with_suggested = request.args.get("suggested") == "1"
    links = project_links(session, project.study_id, project.id)
    timeline = project_timeline(session, project.id, include_suggested=with_suggested)
    chart = timeline_svg(timeline)
    return ProjectEvidence(links.accepted, links.pending, timeline, Markup(chart), with_suggested)

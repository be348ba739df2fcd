"""The readiness page: what an examiner would find, per project, each finding linked to its record."""

from __future__ import annotations

from flask import Blueprint, g, render_template, url_for

from narratives.readiness import Finding, run_readiness
from studies.permissions import Permission
from webapp.access import study_view
from webapp.context import db_session

bp = Blueprint("readiness", __name__)


def record_url(finding: Finding) -> str:
    """Where the record a finding names is fixed."""
    record, slug = finding.record, g.study.slug
    code = record.project or ""
    if record.type == "uncertainty":
        return url_for("studies.project", slug=slug, code=code, _anchor=f"uncertainty-{record.id}")
    if record.type == "experiment":
        return url_for("projects.edit_experiment", slug=slug, code=code, experiment_id=record.id)
    if record.type == "layer":
        return url_for("projects.edit_layer", slug=slug, code=code, layer_id=record.id)
    if record.type == "allocation":
        return url_for("studies.people", slug=slug)
    if finding.check == "narrative-unapproved":  # the narrative, or where it is to be written
        return url_for("narratives.narrative", slug=slug, code=code, prong=finding.detail["prong"])
    if record.type == "project":
        return url_for("studies.project", slug=slug, code=code)
    return url_for("studies.overview", slug=slug)


@bp.route("/studies/<slug>/readiness")
@study_view(Permission.VIEW_STUDY)
def index() -> str:
    report = run_readiness(db_session(), g.study)
    return render_template("studies/readiness.html", report=report, projects=g.study.projects,
                           record_url=record_url)

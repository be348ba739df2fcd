"""Project pages: create and edit projects, their uncertainties, experiments and layers."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from studies.models import BusinessComponent, Experiment, Layer, UncertaintyStatement
from studies.permissions import Permission
from studies.project_checks import InvalidInput
from studies.projects import (
    add_experiment,
    add_layer,
    add_uncertainty,
    create_project,
    delete_experiment,
    delete_layer,
    delete_uncertainty,
    find_experiment,
    find_layer,
    find_uncertainty,
    update_experiment,
    update_layer,
    update_project,
    update_uncertainty,
)
from studies.sectors import common_exclusions, sub_sectors
from studies.services import find_project
from webapp.access import study_view, user_actor
from webapp.context import db_session, start_job
from webapp.forms import ConfirmForm
from webapp.project_forms import (
    LAYER_KIND_LABELS,
    ExperimentForm,
    LayerForm,
    ProjectForm,
    UncertaintyForm,
    show_errors,
)

bp = Blueprint("projects", __name__, url_prefix="/studies/<slug>")

DETECT_JOB = "evidence.detect_third_party"


def _saved(form: FlaskForm, action: Callable[[], object]) -> bool:
    """Run ``action`` for a valid POST and commit; on refusal, roll back and show the errors."""
    if not form.validate_on_submit():
        return False
    session = db_session()
    try:
        action()
    except InvalidInput as exc:
        session.rollback()
        show_errors(form, exc)
        return False
    session.commit()
    return True


def _project(code: str) -> BusinessComponent:
    found = find_project(db_session(), g.study, code)
    if found is None:
        abort(404)
    return found


def _to_project(project: BusinessComponent, anchor: str | None = None) -> Response:
    return redirect(url_for("studies.project", slug=g.study.slug, code=project.code, _anchor=anchor))


# --- projects -----------------------------------------------------------------------------


@bp.route("/projects/new", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def new_project() -> str | Response:
    form, chosen = ProjectForm(), request.args.get("sub_sector", "")
    if request.method == "GET" and chosen not in sub_sectors():
        return render_template("projects/choose_sub_sector.html", sectors=sub_sectors())
    if request.method == "GET":
        form.sub_sector.data = chosen
    created: list[BusinessComponent] = []
    if _saved(form, lambda: created.append(create_project(db_session(), g.study, form.to_input()))):
        flash(f"Project {created[0].name} is created. Record its technical uncertainties next.", "success")
        return _to_project(created[0])
    return _project_page(form, "New project", url_for("studies.overview", slug=g.study.slug))


@bp.route("/projects/<code>/edit", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def edit_project(code: str) -> str | Response:
    project = _project(code)
    form = ProjectForm() if request.method == "POST" else ProjectForm(formdata=None).fill(project)
    if _saved(form, lambda: update_project(db_session(), g.study, project, form.to_input())):
        flash("The project is saved.", "success")
        return _to_project(project)
    cancel = url_for("studies.project", slug=g.study.slug, code=code)
    return _project_page(form, f"Edit {project.name}", cancel)


def _project_page(form: ProjectForm, heading: str, cancel: str) -> str:
    return render_template("projects/project_form.html", form=form, heading=heading, cancel=cancel,
                           sectors=sub_sectors(), common=common_exclusions())


# --- uncertainties ------------------------------------------------------------------------


def _uncertainty(project: BusinessComponent, uncertainty_id: int) -> UncertaintyStatement:
    found = find_uncertainty(db_session(), g.study, uncertainty_id)
    if found is None or found.project_id != project.id:
        abort(404)
    return found


@bp.route("/projects/<code>/uncertainties/new", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def new_uncertainty(code: str) -> str | Response:
    project, form = _project(code), UncertaintyForm()
    if _saved(form, lambda: add_uncertainty(db_session(), g.study, project.id, form.to_input())):
        flash("The uncertainty is recorded. Add the alternatives evaluated to resolve it.", "success")
        return _to_project(project, "uncertainties")
    return render_template("projects/uncertainty_form.html", form=form, project=project,
                           heading="New technical uncertainty")


@bp.route("/projects/<code>/uncertainties/<int:uncertainty_id>/edit", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def edit_uncertainty(code: str, uncertainty_id: int) -> str | Response:
    project = _project(code)
    uncertainty = _uncertainty(project, uncertainty_id)
    form = UncertaintyForm() if request.method == "POST" else UncertaintyForm(formdata=None).fill(uncertainty)
    if _saved(form, lambda: update_uncertainty(db_session(), g.study, uncertainty, form.to_input())):
        flash("The uncertainty is saved.", "success")
        return _to_project(project, f"uncertainty-{uncertainty.id}")
    return render_template("projects/uncertainty_form.html", form=form, project=project,
                           heading="Edit technical uncertainty")


@bp.route("/projects/<code>/uncertainties/<int:uncertainty_id>/delete", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def remove_uncertainty(code: str, uncertainty_id: int) -> str | Response:
    project = _project(code)
    uncertainty = _uncertainty(project, uncertainty_id)
    count = len(uncertainty.experiments)
    noun = "experiment is" if count == 1 else "experiments are"
    consequences = [f"Its {count} {noun} deleted with it."] if count else []
    return _confirm_delete(project, "this technical uncertainty", uncertainty.statement, consequences,
                           lambda: delete_uncertainty(db_session(), g.study, uncertainty), "uncertainties")


# --- experiments --------------------------------------------------------------------------


def _experiment(project: BusinessComponent, experiment_id: int) -> Experiment:
    found = find_experiment(db_session(), g.study, experiment_id)
    if found is None or found.uncertainty.project_id != project.id:
        abort(404)
    return found


@bp.route("/projects/<code>/uncertainties/<int:uncertainty_id>/experiments/new", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def new_experiment(code: str, uncertainty_id: int) -> str | Response:
    project = _project(code)
    uncertainty = _uncertainty(project, uncertainty_id)
    form = ExperimentForm().with_uncertainties(project.uncertainties)
    if request.method == "GET":
        form.uncertainty.data = uncertainty.id
    if _saved(form, lambda: add_experiment(db_session(), g.study, form.uncertainty.data, form.to_input())):
        flash("The experiment is recorded.", "success")
        return _to_project(project, f"uncertainty-{form.uncertainty.data}")
    return render_template("projects/experiment_form.html", form=form, project=project,
                           heading="New experiment")


@bp.route("/projects/<code>/experiments/<int:experiment_id>/edit", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def edit_experiment(code: str, experiment_id: int) -> str | Response:
    project = _project(code)
    experiment = _experiment(project, experiment_id)
    form = (ExperimentForm() if request.method == "POST" else ExperimentForm(formdata=None).fill(experiment))
    form.with_uncertainties(project.uncertainties)
    if _saved(form, lambda: update_experiment(db_session(), g.study, experiment, form.uncertainty.data,
                                              form.to_input())):
        flash("The experiment is saved.", "success")
        return _to_project(project, f"uncertainty-{experiment.uncertainty_id}")
    return render_template("projects/experiment_form.html", form=form, project=project,
                           heading="Edit experiment")


@bp.route("/projects/<code>/experiments/<int:experiment_id>/delete", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def remove_experiment(code: str, experiment_id: int) -> str | Response:
    project = _project(code)
    experiment = _experiment(project, experiment_id)
    return _confirm_delete(project, "this experiment", experiment.name, [],
                           lambda: delete_experiment(db_session(), g.study, experiment),
                           f"uncertainty-{experiment.uncertainty_id}")


# --- layers -------------------------------------------------------------------------------


def _layer(project: BusinessComponent, layer_id: int) -> Layer:
    found = find_layer(db_session(), g.study, layer_id)
    if found is None or found.project_id != project.id:
        abort(404)
    return found


def _layer_page(form: LayerForm, project: BusinessComponent, heading: str) -> str:
    return render_template("projects/layer_form.html", form=form, project=project, heading=heading,
                           common=common_exclusions(), sector=sub_sectors().get(project.sub_sector))


@bp.route("/projects/<code>/layers/new", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def new_layer(code: str) -> str | Response:
    project, form = _project(code), LayerForm()
    if request.method == "GET" and request.args.get("kind") in LAYER_KIND_LABELS:
        form.kind.data = request.args["kind"]
    if _saved(form, lambda: add_layer(db_session(), g.study, project.id, form.to_input())):
        flash("The layer is recorded.", "success")
        return _to_project(project, "layers")
    return _layer_page(form, project, "New layer")


@bp.route("/projects/<code>/layers/<int:layer_id>/edit", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def edit_layer(code: str, layer_id: int) -> str | Response:
    project = _project(code)
    layer = _layer(project, layer_id)
    form = LayerForm() if request.method == "POST" else LayerForm(formdata=None).fill(layer)
    if _saved(form, lambda: update_layer(db_session(), g.study, layer, form.to_input())):
        flash("The layer is saved.", "success")
        return _to_project(project, "layers")
    return _layer_page(form, project, "Edit layer")


@bp.route("/projects/<code>/layers/<int:layer_id>/delete", methods=["GET", "POST"])
@study_view(Permission.EDIT_PROJECTS)
def remove_layer(code: str, layer_id: int) -> str | Response:
    project = _project(code)
    layer = _layer(project, layer_id)
    return _confirm_delete(project, "this layer", layer.name, [],
                           lambda: delete_layer(db_session(), g.study, layer), "layers")


def _confirm_delete(project: BusinessComponent, what: str, text: str, consequences: list[str],
                    action: Callable[[], None], anchor: str) -> str | Response:
    form = ConfirmForm()
    if _saved(form, action):
        flash(f"Deleted {what.removeprefix('this ')}.", "success")
        return _to_project(project, anchor)
    return render_template("projects/confirm_delete.html", form=form, project=project, what=what,
                           text=text, consequences=consequences,
                           cancel=url_for("studies.project", slug=g.study.slug, code=project.code,
                                          _anchor=anchor))


# --- third-party model detection ----------------------------------------------------------


@bp.route("/third-party-models", methods=["POST"])
@study_view(Permission.EDIT_PROJECTS)
def detect_third_party() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    job_id = start_job(DETECT_JOB, actor=user_actor(), study_id=g.study.id)
    flash(f"Job {job_id} reads the study's repositories for vendor model SDKs and hub models, and "
          "proposes third-party layers with the files as evidence.", "info")
    return redirect(url_for("studies.job", slug=g.study.slug, job_id=job_id))

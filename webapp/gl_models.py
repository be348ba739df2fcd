"""The scoring models page: the stored versions with their cards' figures and curves; retrain, roll back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from scoring.evaluation import Metrics, pr_plot_svg
from scoring.registry import ModelsUnavailable, StoredVersion, activate_version, shipped_pair, stored_versions
from studies.permissions import Permission, can
from webapp.access import study_view, user_actor
from webapp.context import blob_store, db_session, settings, start_job

bp = Blueprint("gl_models", __name__, url_prefix="/studies/<slug>/gl/models")


@dataclass(frozen=True)
class VersionRow:
    """One pair as the page shows it: its version, cards, whether it is active, where it came from."""

    version: int
    expense: dict[str, Any]
    account: dict[str, Any]
    active: bool
    notes: str
    stored: bool  # False: the pair shipped with the code, not yet recorded in this database


@bp.route("")
@study_view(Permission.REVIEW_GL)
def index() -> str:
    rows = [_row(stored) for stored in stored_versions(db_session())]
    if not rows:
        shipped = shipped_pair()
        rows = [VersionRow(shipped.expense.version, shipped.expense.card, shipped.account.card, True,
                           "shipped with the code", stored=False)]
    active = next((row for row in rows if row.active), None)
    return render_template("gl/models.html", rows=rows, active=active,
                           curves=_curves(active) if active else {},
                           may_manage=can(g.membership.role, Permission.MANAGE_MODELS))


@bp.route("/retrain", methods=["POST"])
@study_view(Permission.MANAGE_MODELS)
def retrain() -> Response:
    corpus = settings().gl_training_corpus
    job_id = start_job("scoring.retrain", actor=user_actor(), study_id=g.study.id,
                       params={"embedding_model": settings().embedding_model,
                               "corpus": str(corpus) if corpus else None, "requested_by": current_user.email})
    return redirect(url_for("gl.job", slug=g.study.slug, job_id=job_id), 303)


@bp.route("/<int:version>/activate", methods=["POST"])
@study_view(Permission.MANAGE_MODELS)
def activate(version: int) -> Response:
    session = db_session()
    try:
        activate_version(session, version, blob_store())
    except ModelsUnavailable as exc:
        abort(404, str(exc))
    session.commit()
    flash(f"Version {version} is now the active pair; score an import again to use it.", "success")
    return redirect(url_for(".index", slug=g.study.slug), 303)


def _row(stored: StoredVersion) -> VersionRow:
    return VersionRow(stored.version, dict(stored.expense.card), dict(stored.account.card), stored.active,
                      stored.expense.notes, stored=True)


def _curves(row: VersionRow) -> dict[str, str]:
    """The precision-recall plot of each model of the active pair: cross-validated and held-out curves."""
    plots = {}
    for kind, card in (("expense", row.expense), ("account", row.account)):
        metrics = {label: Metrics.from_card(card["metrics"][part])
                   for part, label in (("validation", "cross-validated"), ("heldout", "held-out"))
                   if part in card.get("metrics", {})}
        if metrics:
            plots[kind] = pr_plot_svg(metrics, title=f"Precision-recall, {kind} model")
    return plots

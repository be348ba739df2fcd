"""Sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from core.audit import Actor, acting_as, record
from core.users import User, authenticate
from webapp.access import public, signed_in
from webapp.context import db_session, settings
from webapp.extensions import limiter, login_manager
from webapp.forms import ConfirmForm, SignInForm

bp = Blueprint("auth", __name__)
GENERIC_FAILURE = "E-mail or password is incorrect."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db_session().get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


def _email_key() -> str:
    return "signin:" + request.form.get("email", "").strip().lower()[:254]


def _login_limit() -> str:
    return settings().login_rate_limit


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("studies.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit("30 per hour", key_func=_email_key, methods=["POST"])
@public
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("studies.index"))
    form = SignInForm()
    if form.validate_on_submit():
        session = db_session()
        user = authenticate(session, form.email.data or "", form.password.data or "")
        if user is not None:
            with acting_as(Actor(f"user:{user.email}", user.id)):
                record(session, action="sign_in", study_id=None, record_type="users",
                       record_id=str(user.id), details={"ip": request.remote_addr})
            session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(GENERIC_FAILURE, "danger")
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out() -> Response:
    if ConfirmForm().validate_on_submit():
        logout_user()
    return redirect(url_for("auth.sign_in"))

"""The Flask app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

import webapp.models
import webapp.tasks  # noqa: F401  (every job handler is registered)
from core.blobstore import blob_store_from_settings
from core.db import Database
from core.jobs import JobQueue
from core.settings import Settings, get_settings
from studies.sectors import entity_type_label, sub_sector_label
from webapp import (
    api,
    auth,
    credit,
    evidence,
    gl,
    gl_models,
    interviews,
    links,
    narratives,
    package,
    projects,
    readiness,
    studies,
)
from webapp.context import close_session
from webapp.extensions import bootstrap, csrf, limiter, login_manager

ROOT = Path(__file__).resolve().parent.parent

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               queue: JobQueue | None = None) -> Flask:
    settings = settings or get_settings()
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(Path(__file__).parent / "static"))
    _configure(app, settings)
    db = db or Database(settings.database_url)
    app.extensions["fourpart.settings"] = settings
    app.extensions["fourpart.db"] = db
    blobs = blob_store_from_settings(settings)
    app.extensions["fourpart.blobs"] = blobs
    app.extensions["fourpart.queue"] = queue or JobQueue(
        db, blobs, settings.queue_url, settings.instance_path)
    _init_extensions(app)
    for blueprint in (auth.bp, studies.bp, evidence.bp, links.bp, projects.bp, interviews.bp, narratives.bp,
                      readiness.bp, package.bp, credit.bp, gl.bp, gl_models.bp, api.bp):
        app.register_blueprint(blueprint)
    app.jinja_env.filters.update(sub_sector=sub_sector_label, entity_type=entity_type_label)
    app.teardown_appcontext(close_session)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _error_page)
    return app


def _configure(app: Flask, settings: Settings) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_COOKIE_NAME="fourpart_session",
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage_url,
        RATELIMIT_HEADERS_ENABLED=True,
        BOOTSTRAP_SERVE_LOCAL=True,
        WTF_CSRF_TIME_LIMIT=None,
    )


def _init_extensions(app: Flask) -> None:
    bootstrap.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _error_page(exc: HTTPException) -> tuple[str, int] | tuple[Response, int]:
    if request.path.startswith("/api/"):  # unrouted API URLs answer JSON like the API does
        return api.json_error(exc)
    return render_template("error.html", error=exc), exc.code or 500

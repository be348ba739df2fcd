"""The CPA's package page: versions with who built them and their digests, builds as jobs, downloads.

Every download is written to the audit trail before the file goes out.
"""

from __future__ import annotations

from typing import IO, cast

from flask import Blueprint, abort, flash, g, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from core.audit import record
from core.blobstore import BlobNotFound
from core.jobs import study_jobs
from narratives.models import ExportPackage
from narratives.package import PackageRefused, find_package, study_packages
from narratives.package.build import package_name
from narratives.package.exhibits import user_labels
from narratives.package.rules import MAX_REASON, override_for
from narratives.readiness import run_readiness
from studies.permissions import Permission
from webapp.access import study_view, user_actor
from webapp.context import blob_store, db_session, queue, start_job

bp = Blueprint("package", __name__)
KINDS = {"pdf": ("pdf_sha256", "application/pdf"), "zip": ("zip_sha256", "application/zip")}


class BuildPackageForm(FlaskForm):
    kind = RadioField("Package", choices=[SelectChoice("draft", "Draft (watermarked DRAFT)"),
                                          SelectChoice("final", "Final")],
                      validators=[DataRequired("Choose a draft or a final package.")])
    override_reason = TextAreaField("Override reason (final over blocking findings only)",
                                    validators=[Length(max=MAX_REASON)])


@bp.route("/studies/<slug>/packages")
@study_view(Permission.DOWNLOAD_PACKAGE)
def index() -> str:
    session = db_session()
    packages = study_packages(session, g.study.id)
    jobs = [job for job in study_jobs(session, g.study.id, limit=20) if job.kind == "package.build"]
    return render_template(
        "package_pages/index.html", packages=packages, form=BuildPackageForm(kind="draft"),
        readiness=run_readiness(session, g.study), jobs=jobs,
        progress={job.id: queue().progress(job.id) for job in jobs if not job.done},
        builders=user_labels(session, {p.created_by_id for p in packages if p.created_by_id}))


@bp.route("/studies/<slug>/packages", methods=["POST"])
@study_view(Permission.BUILD_PACKAGE)
def build() -> Response:
    form = BuildPackageForm()
    back = redirect(url_for(".index", slug=g.study.slug))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
        return back
    final, reason = form.kind.data == "final", form.override_reason.data or None
    try:
        report = run_readiness(db_session(), g.study)
        override_for(report, final=final, reason=reason, user_id=current_user.id)
    except PackageRefused as exc:
        flash(str(exc), "danger")
        return back
    job_id = start_job("package.build", actor=user_actor(), study_id=g.study.id,
                       params={"final": final, "override_reason": reason, "user_id": current_user.id})
    flash(f"Job {job_id} builds the {'final' if final else 'draft'} package.", "info")
    return redirect(url_for("studies.job", slug=g.study.slug, job_id=job_id))


@bp.route("/studies/<slug>/packages/<int:version>/<any(pdf, zip):kind>")
@study_view(Permission.DOWNLOAD_PACKAGE)
def download(version: int, kind: str) -> Response:
    session = db_session()
    package = find_package(session, g.study.id, version)
    column, media_type = KINDS[kind]
    sha256 = getattr(package, column, None) if package else None
    if package is None or sha256 is None:
        abort(404)
    try:
        reader = blob_store().open(sha256)
    except BlobNotFound:
        abort(410, description=f"The package file with SHA-256 {sha256} is missing from the blob store.")
    _record_download(package, kind, sha256)
    name = f"{package_name(g.study, package.version, package.is_final)}.{kind}"
    response = send_file(cast(IO[bytes], reader), mimetype=media_type, as_attachment=True, download_name=name,
                         conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _record_download(package: ExportPackage, kind: str, sha256: str) -> None:
    session = db_session()
    record(session, action="download", study_id=g.study.id, record_type="export_packages",
           record_id=str(package.id), details={"version": package.version, "file": kind, "sha256": sha256})
    session.commit()

"""The CPA's package page: build a draft as a job, list it, download both files, each download audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from narratives.models import ExportPackage
from narratives.package import verify_zip
from studies.models import Role
from tests.narratives.package.small_study import build_small_study

pytestmark = pytest.mark.slow


def test_cpa_builds_lists_and_downloads_with_the_downloads_audited(
        app, client, session, db, make_user, make_study, sign_in, tmp_path: Path) -> None:
    cpa, author, approver = make_user(name="Casey CPA"), make_user(), make_user()
    study = make_study(members={cpa: Role.CPA})
    build_small_study(session, db, app.extensions["fourpart.blobs"], study, author, approver)
    sign_in(cpa)
    page = client.get(f"/studies/{study.slug}/packages")
    assert page.status_code == 200 and b"No package yet" in page.data and b">Package</a>" in page.data
    refused = client.post(f"/studies/{study.slug}/packages", data={"kind": "final"}, follow_redirects=True)
    assert b"A final package is refused" in refused.data
    started = client.post(f"/studies/{study.slug}/packages", data={"kind": "draft"})
    assert started.status_code == 302 and "/jobs/" in started.headers["Location"]
    package = session.scalars(select(ExportPackage).where(ExportPackage.study_id == study.id)).one()
    listed = client.get(f"/studies/{study.slug}/packages")
    assert package.manifest_digest.encode() in listed.data and b"Casey CPA" in listed.data
    # no certificate is configured: not sealed, and the page does not say it is
    assert package.sealed_by is None and b'data-testid="package-sealed"' not in listed.data
    pdf = client.get(f"/studies/{study.slug}/packages/1/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    archive = client.get(f"/studies/{study.slug}/packages/1/zip")
    (tmp_path / "p.zip").write_bytes(archive.data)
    assert verify_zip(tmp_path / "p.zip").ok
    assert client.get(f"/studies/{study.slug}/packages/9/zip").status_code == 404
    downloads = session.scalars(select(AuditEvent).where(AuditEvent.study_id == study.id,
                                                         AuditEvent.action == "download")).all()
    assert sorted(e.changes["file"] for e in downloads) == ["pdf", "zip"]
    assert all(e.actor_user_id == cpa.id for e in downloads)

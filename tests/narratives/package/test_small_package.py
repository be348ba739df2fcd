"""Packages of a small hand-made study, on both databases: numbering, appended PDFs, GL schedule, rules."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.blobstore import LocalBlobStore
from narratives.models import ExportPackage
from narratives.package import (
    BuildRequest,
    PackageRefused,
    build_package,
    rerender_pdf,
    study_packages,
    verify_zip,
)
from narratives.package.content import study_exhibits
from narratives.package.seal import SealingKey, SealingUnavailable
from tests.narratives.package.pdf_reading import (
    all_text,
    ink_share,
    outline_titles,
    page_png,
    reader,
    squeezed,
)
from tests.narratives.package.small_study import LONG_NAME, SmallStudy, build_small_study


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def small(session, db, store, make_user, make_study) -> SmallStudy:
    author, approver = make_user(name="Ada Author"), make_user(name="Bea Approver")
    return build_small_study(session, db, store, make_study(), author, approver)


def test_exhibits_are_the_cited_and_linked_evidence_numbered_by_artifact(session, small: SmallStudy) -> None:
    entries = study_exhibits(session, small.study)
    ids = small.artifacts
    assert [e.artifact_id for e in entries] == sorted([ids["memo.pdf"], ids["notes.md"]])
    assert [e.number for e in entries] == [1, 2]
    assert entries[0].file_name.startswith("EX-0001-")


@pytest.mark.slow
def test_draft_appends_pdf_exhibits_stamped_and_bookmarked(db, store, small: SmallStudy,
                                                            tmp_path: Path) -> None:
    built = build_package(db, store, small.study.id, BuildRequest(user_id=small.author.id))
    pdf = reader(store.read_bytes(built.pdf_sha256))
    titles = outline_titles(pdf)
    memo = next(e for e in study_exhibits_of(db, small) if e.artifact_id == small.artifacts["memo.pdf"])
    assert "Appended exhibits" in titles and f"Exhibit {memo.number}: memo.pdf title" in titles
    assert any(t.startswith("Citation retrieval") for t in titles)
    last_two = [pdf.pages[i].extract_text() for i in (-2, -1)]
    assert f"EX-{memo.number:04d} · page 1 of 2" in last_two[0] and "Exhibit page 1" in last_two[0]
    assert f"EX-{memo.number:04d} · page 2 of 2" in last_two[1]
    text = all_text(pdf)
    assert "DRAFT" in text and "Lambda Labs" in text and "GL line 42" in text  # GL schedule
    assert "failed" in text and "removed, not in this package" in text
    for entry in study_exhibits_of(db, small):
        assert entry.sha256 in squeezed(text)
    assert verify_zip(_zip_file(store, built.zip_sha256, tmp_path)).ok


def study_exhibits_of(db, small: SmallStudy):
    with db.session(reading=True) as session:
        return study_exhibits(session, session.merge(small.study))


def _zip_file(store, sha256: str, tmp_path: Path) -> Path:
    path = tmp_path / "package.zip"
    path.write_bytes(store.read_bytes(sha256))
    return path


@pytest.mark.slow
def test_project_pages_wrap_long_names_inside_the_page(db, store, small: SmallStudy, tmp_path: Path) -> None:
    built = build_package(db, store, small.study.id, BuildRequest())
    path = tmp_path / "package.pdf"
    path.write_bytes(store.read_bytes(built.pdf_sha256))
    pdf = reader(path.read_bytes())
    assert squeezed(f"Hybrid {LONG_NAME}") in squeezed(all_text(pdf))  # wrapped, every character printed
    for page in range(1, len(pdf.pages) + 1):
        image = page_png(path, page, tmp_path / f"page-{page}", dpi=30)
        assert ink_share(image) > 0.002, f"page {page} is blank"
        width, height = image.size
        margin = image.crop((int(width * 0.96), 0, width, height)).convert("L")
        assert margin.getextrema()[0] > 200, f"page {page}: something is drawn into the right margin"


@pytest.mark.slow
def test_final_is_refused_over_blocking_findings_unless_a_named_user_overrides(
        db, store, small: SmallStudy) -> None:
    with pytest.raises(PackageRefused, match="blocking finding"):
        build_package(db, store, small.study.id, BuildRequest(final=True))
    with pytest.raises(PackageRefused, match="name the person"):
        build_package(db, store, small.study.id, BuildRequest(final=True, override_reason="Reviewed by CPA"))
    reason = "Narratives for three prongs are with the client; the claim stands on the experiments."
    built = build_package(db, store, small.study.id,
                          BuildRequest(final=True, override_reason=reason, user_id=small.approver.id))
    text = all_text(reader(store.read_bytes(built.pdf_sha256)))
    assert "DRAFT" not in text
    assert squeezed(reason) in squeezed(text) and "Bea Approver" in text
    with db.session(reading=True) as session:
        package = session.get_one(ExportPackage, built.package_id)
        assert package.is_final and package.override_reason == reason
        assert package.created_by_id == small.approver.id
        assert session.scalars(select(AuditEvent).where(AuditEvent.record_type == "export_packages")).first()


@pytest.mark.slow
def test_same_state_same_manifest_and_a_rerender_matches_the_version(db, store, small: SmallStudy) -> None:
    first = build_package(db, store, small.study.id, BuildRequest())
    second = build_package(db, store, small.study.id, BuildRequest())
    assert (first.version, second.version) == (1, 2)
    assert first.manifest_digest == second.manifest_digest
    with db.session(reading=True) as session:
        manifests = [session.get_one(ExportPackage, b.package_id).manifest for b in (first, second)]
    assert manifests[0] == manifests[1]
    assert rerender_pdf(db, store, first.package_id) == store.read_bytes(first.pdf_sha256)


@pytest.mark.slow
def test_zip_holds_every_exhibit_by_number_with_manifests(db, store, small: SmallStudy) -> None:
    built = build_package(db, store, small.study.id, BuildRequest())
    archive = zipfile.ZipFile(io.BytesIO(store.read_bytes(built.zip_sha256)))
    names = archive.namelist()
    root = names[0].split("/")[0]
    assert names == sorted(names)
    tags = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt", "README.txt")
    assert {f"{root}/{n}" for n in (*tags, "data/manifest.json", "data/manifest.csv")} <= set(names)
    exhibits = [n for n in names if "/data/exhibits/" in n]
    assert [n.rsplit("/", 1)[1][:8] for n in exhibits] == ["EX-0001-", "EX-0002-"]
    csv_text = archive.read(f"{root}/data/manifest.csv").decode()
    assert csv_text.splitlines()[0].startswith("exhibit,path,size,sha256")
    gl_lines = archive.read(f"{root}/data/schedules/gl-lines.csv").decode().splitlines()
    assert gl_lines[0].startswith("line,component,category,vendor") and "GL line 42" in gl_lines[1]
    assert {i.date_time for i in archive.infolist()} == {archive.infolist()[0].date_time}


@pytest.mark.slow
def test_two_builds_at_once_each_get_their_own_version(db, store, small: SmallStudy) -> None:
    """A second build that starts while the first renders takes the next number; both complete."""
    inner: list = []

    def start_another(_fraction: float, message: str) -> None:
        if message == "rendering the PDF" and not inner:
            inner.append(build_package(db, store, small.study.id, BuildRequest()))
    outer = build_package(db, store, small.study.id, BuildRequest(), progress=start_another)
    assert (outer.version, inner[0].version) == (1, 2)
    assert "-v1-draft" in outer.zip_name and "-v2-draft" in inner[0].zip_name
    with db.session(reading=True) as session:
        assert [p.version for p in study_packages(session, small.study.id)] == [2, 1]


@pytest.mark.slow
def test_a_failed_build_gives_its_version_number_back(db, store, small: SmallStudy) -> None:
    broken_key = SealingKey(b"not a PKCS#12 file", b"passphrase")
    with pytest.raises(SealingUnavailable):
        build_package(db, store, small.study.id, BuildRequest(), sealing=broken_key)
    with db.session(reading=True) as session:
        rows = session.scalars(select(ExportPackage).where(ExportPackage.study_id == small.study.id))
        assert rows.all() == []
    assert build_package(db, store, small.study.id, BuildRequest()).version == 1

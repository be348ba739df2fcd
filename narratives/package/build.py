"""Building a package version: read the study, render the PDF, bag the ZIP, store both, record it.

The study is read in one read-only session; a short transaction reserves the version number
(``versions.py``: builds running at once each get their own); the long work (rendering, sealing,
zipping) holds no write lock; one short transaction then stores the blobs on the reserved row.
A build that fails gives its number back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.blobstore import BlobStore
from core.db import Database, utcnow
from narratives.models import ExportPackage
from narratives.package.appendix import append_exhibits, spool_pdf_exhibits
from narratives.package.bag import BagFile, in_memory, write_bag
from narratives.package.compact import GL_CSV, gl_csv_bytes
from narratives.package.content import PackageContent, gather
from narratives.package.document import PDF_A, PackageRecordFacts, RenderOptions, package_html, render_pdf
from narratives.package.exhibits import user_labels
from narratives.package.manifest import (
    build_manifest,
    manifest_csv_bytes,
    manifest_digest,
    manifest_json_bytes,
)
from narratives.package.rules import override_for
from narratives.package.seal import SealingKey, seal_pdf
from narratives.package.versions import (
    attach_files,
    completed,
    release_version,
    reserve_version,
)
from studies.models import Study

Progress = Callable[[float, str], None]
NO_PREPARER = "Fourpart (no person recorded)"


@dataclass(frozen=True)
class BuildRequest:
    final: bool = False
    override_reason: str | None = None
    user_id: int | None = None  # who builds; for a final package over blocking findings, who overrides


@dataclass(frozen=True)
class BuiltPackage:
    package_id: int
    version: int
    is_final: bool
    manifest_digest: str
    pdf_sha256: str
    zip_sha256: str
    pdf_name: str
    zip_name: str
    exhibits: int
    sealed: bool = False

    def as_json(self) -> dict[str, object]:
        return {"package_id": self.package_id, "version": self.version, "final": self.is_final,
                "manifest_digest": self.manifest_digest, "pdf_sha256": self.pdf_sha256,
                "zip_sha256": self.zip_sha256, "exhibits": self.exhibits, "sealed": self.sealed}


def package_name(study: Study | PackageContent, version: int, final: bool) -> str:
    slug, year = ((study.slug, study.tax_year) if isinstance(study, Study)
                  else (study.client.study_slug, study.client.tax_year))
    return f"fourpart-{slug}-{year}-v{version}{'' if final else '-draft'}"


def build_package(db: Database, store: BlobStore, study_id: int, request: BuildRequest,
                  progress: Progress | None = None, sealing: SealingKey | None = None) -> BuiltPackage:
    """Build and record the next version; with ``sealing``, the PDF carries the firm's signature."""
    report = progress or (lambda _fraction, _message: None)
    report(0.02, "reading the study")
    created_at = utcnow()
    with db.session(reading=True) as session:
        content = gather(session, session.get_one(Study, study_id))
        reason = override_for(content.readiness, final=request.final, reason=request.override_reason,
                              user_id=request.user_id)
        preparer = user_labels(session, {request.user_id} if request.user_id else set()).get(
            request.user_id or 0, NO_PREPARER)
    inputs_digest = content.digest()
    manifest = build_manifest(study_slug=content.client.study_slug, client=content.client.name,
                              tax_year=content.client.tax_year, inputs_digest=inputs_digest,
                              exhibits=content.exhibits)
    digest = manifest_digest(manifest)
    reserved = reserve_version(db, study_id, is_final=request.final, inputs_digest=inputs_digest,
                               manifest_digest=digest, manifest=manifest, override_reason=reason,
                               created_by_id=request.user_id, created_at=created_at)
    version = reserved.version
    record = PackageRecordFacts(version, request.final, created_at, preparer, digest, inputs_digest, reason)
    name = package_name(content, version, request.final)
    try:
        with tempfile.TemporaryDirectory(prefix="fourpart-package-") as folder:
            pdf = render_package_pdf(store, content, record, Path(folder), report)
            if sealing is not None:
                report(0.68, "sealing the PDF with the firm's certificate")
                pdf = seal_pdf(pdf, sealing, reason=_seal_reason(content, record))
            zip_path = Path(folder) / "package.zip"
            with zip_path.open("wb") as out:
                write_bag(out, bag_name=name, payload=_payload(store, content, manifest, pdf, name),
                          bag_info=_bag_info(content, record), readme=_readme(content, record, name),
                          when=created_at, progress=lambda f, m: report(0.7 + 0.25 * f, m))
            report(0.96, "storing the PDF and the ZIP")
            package = attach_files(db, store, reserved.package_id, pdf, zip_path,
                                   sealed_by=sealing.subject() if sealing is not None else None)
    except BaseException:
        release_version(db, reserved.package_id)
        raise
    report(1.0, f"version {version} built")
    return BuiltPackage(package.id, version, request.final, record.manifest_digest, package.pdf_sha256 or "",
                        package.zip_sha256 or "", f"{name}.pdf", f"{name}.zip", len(content.exhibits),
                        sealing is not None)


def _seal_reason(content: PackageContent, record: PackageRecordFacts) -> str:
    return (f"IRC §41 audit-defense file, {content.client.name}, tax year {content.client.tax_year}, "
            f"version {record.version}; manifest SHA-256 {record.manifest_digest}")


def render_package_pdf(store: BlobStore, content: PackageContent, record: PackageRecordFacts, folder: Path,
                       report: Progress) -> bytes:
    """The package PDF: the body from the templates, then the PDF exhibits appended and stamped.

    The body is PDF/A-3b unless PDF exhibits are appended: those are copied as their authors made
    them, so the combined file does not claim a conformance no one checked.
    """
    report(0.1, "reading the PDF exhibits")
    notes, spooled = spool_pdf_exhibits(store, list(content.exhibits), folder)
    report(0.2, "rendering the PDF")
    html = package_html(content, record, RenderOptions(appended=notes))
    body = render_pdf(html, pdf_variant=None if spooled else PDF_A)
    report(0.6, f"appending {len(spooled)} PDF exhibits" if spooled else "PDF rendered")
    return append_exhibits(body, spooled)


def rerender_pdf(db: Database, store: BlobStore, package_id: int) -> bytes:
    """The PDF of a recorded version rendered again from the study as it is now, dated as the record.

    Unsealed: a sealed version's file is these bytes followed by the seal (an incremental update).
    """
    with db.session(reading=True) as session:
        package = session.get_one(ExportPackage, package_id)
        content = gather(session, session.get_one(Study, package.study_id))
        preparer = user_labels(session, {package.created_by_id} if package.created_by_id else set()).get(
            package.created_by_id or 0, NO_PREPARER)
    record = PackageRecordFacts(package.version, package.is_final, package.created_at, preparer,
                                package.manifest_digest or "", package.inputs_digest, package.override_reason)
    with tempfile.TemporaryDirectory(prefix="fourpart-package-") as folder:
        return render_package_pdf(store, content, record, Path(folder), lambda _f, _m: None)


def _payload(store: BlobStore, content: PackageContent, manifest: dict[str, object], pdf: bytes,
             name: str) -> list[BagFile]:
    files = [in_memory(f"{name}.pdf", pdf), in_memory("manifest.json", manifest_json_bytes(manifest)),
             in_memory("manifest.csv", manifest_csv_bytes(manifest)),
             in_memory(GL_CSV, gl_csv_bytes(content.gl.lines))]
    files += [BagFile(e.zip_path, e.size, e.sha256, partial(store.open, e.sha256)) for e in content.exhibits]
    return files


def _bag_info(content: PackageContent, record: PackageRecordFacts) -> dict[str, str]:
    return {"Source-Organization": content.client.name, "Bagging-Date": record.created_at.date().isoformat(),
            "External-Identifier": f"{content.client.study_slug} v{record.version}",
            "External-Description": f"IRC §41 audit-defense file, tax year {content.client.tax_year}, "
                                    f"{'final' if record.is_final else 'draft'}",
            "Bag-Software-Agent": "Fourpart", "Manifest-Digest": record.manifest_digest,
            "Inputs-Digest": record.inputs_digest}


def _readme(content: PackageContent, record: PackageRecordFacts, name: str) -> str:
    return (f"{content.client.name}: IRC §41 research credit audit-defense file, tax year "
            f"{content.client.tax_year}\nPackage version {record.version} "
            f"({'final' if record.is_final else 'DRAFT'}), built {record.created_at.isoformat()} by "
            f"{record.preparer}.\n\n"
            f"data/{name}.pdf            the package (narratives, schedules, Form 6765, exhibit index)\n"
            "data/exhibits/EX-NNNN-*    every exhibit original, unaltered, named by its exhibit number\n"
            "data/manifest.json|.csv    exhibit number, path, size, SHA-256, source and dates\n"
            f"data/{GL_CSV}  every approved general-ledger line of the GL schedule\n"
            "manifest-sha256.txt        SHA-256 of every payload file (BagIt, RFC 8493)\n"
            "tagmanifest-sha256.txt     SHA-256 of the tag files\n\n"
            f"Manifest digest (SHA-256 of manifest.json in canonical form): {record.manifest_digest}\n"
            "Check the bag with `fourpart package verify <this zip>` or any BagIt validator "
            "(e.g. `bagit.py --validate` on the unzipped folder).\n")


def study_packages(session: Session, study_id: int) -> list[ExportPackage]:
    return list(session.scalars(select(ExportPackage).where(ExportPackage.study_id == study_id, completed())
                                .order_by(ExportPackage.version.desc())))


def find_package(session: Session, study_id: int, version: int) -> ExportPackage | None:
    return session.scalars(select(ExportPackage).where(ExportPackage.study_id == study_id, completed(),
                                                       ExportPackage.version == version)).one_or_none()


"""Package version numbers, safe when builds run at once.

The number is printed inside the PDF and names the ZIP, so it must be known before rendering.
A build therefore reserves it first: a short transaction inserts the version's row without files
(the unique study/version constraint settles a race; the loser takes the next number). The files
are attached when the build ends; a build that fails gives its reservation back. Rows without
files are builds still running: they are not listed and cannot be downloaded.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.blobs import fresh_blobs
from core.blobstore import BlobStore
from core.db import Database
from narratives.models import ExportPackage

ATTEMPTS = 20


class VersionTaken(RuntimeError):
    """No version number could be reserved: other builds kept taking the next one."""


@dataclass(frozen=True)
class Reservation:
    package_id: int
    version: int


def next_version(session: Session, study_id: int) -> int:
    latest = session.scalar(select(func.max(ExportPackage.version)).where(ExportPackage.study_id == study_id))
    return (latest or 0) + 1


def reserve_version(db: Database, study_id: int, **fields: Any) -> Reservation:
    """Insert the next version's row (``fields``: the ExportPackage columns known before rendering)."""
    for _attempt in range(ATTEMPTS):
        try:
            with db.transaction() as session:
                package = ExportPackage(study_id=study_id, version=next_version(session, study_id), **fields)
                session.add(package)
                session.flush()
                return Reservation(package.id, package.version)
        except IntegrityError:
            continue  # another build took this number between our read and our insert
    raise VersionTaken(f"no package version could be reserved after {ATTEMPTS} attempts; build again")


def attach_files(db: Database, store: BlobStore, package_id: int, pdf: bytes,
                 zip_path: Path, *, sealed_by: str | None = None) -> ExportPackage:
    """Store the PDF and the ZIP and attach them to the reserved version: the build is complete.
    ``sealed_by`` names the certificate that sealed the PDF, if one did."""
    with fresh_blobs(db, store) as blobs, db.transaction() as session:
        pdf_blob = blobs.put(session, io.BytesIO(pdf), media_type="application/pdf")
        with zip_path.open("rb") as stream:
            zip_blob = blobs.put(session, stream, media_type="application/zip")
        package = session.get_one(ExportPackage, package_id)
        package.pdf_sha256, package.zip_sha256 = pdf_blob.sha256, zip_blob.sha256
        package.sealed_by = sealed_by
        session.flush()
        return package


def release_version(db: Database, package_id: int) -> None:
    """Give a failed build's reservation back (its row never had files)."""
    with db.transaction() as session:
        package = session.get(ExportPackage, package_id)
        if package is not None and package.pdf_sha256 is None:
            session.delete(package)


def completed() -> Any:
    """The condition that a package row is a finished version, not a build in progress."""
    return ExportPackage.pdf_sha256.is_not(None)

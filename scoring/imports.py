"""Storing an uploaded general ledger in a study: its original, its accounts and its lines, all or nothing.

The file is read whole first (:func:`scoring.gl_import.read_gl`): a file with a bad row raises
:class:`GLImportError` before anything is written. Then one transaction writes the original's blob row,
the :class:`GLImport`, its accounts and every line; if it fails, the blob it added is taken back
(:func:`core.blobs.fresh_blobs`), so there is never an orphan blob nor a half-imported ledger.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.audit import record
from core.blobs import fresh_blobs
from core.blobstore import BlobStore
from core.db import Database
from scoring.blind import DEFAULT_BLIND_SHARE, choose_blind_accounts
from scoring.gl_import import ColumnMapping, GLFile, GLLine, read_gl
from scoring.models import GLAccount, GLExpense, GLImport

Progress = Callable[[float, str], None]
INSERT_CHUNK = 5_000
MEDIA_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


@dataclass(frozen=True)
class GLUpload:
    """What the person said about the file: its name, the defaults for company and industry, a mapping."""

    name: str
    imported_by_id: int | None = None
    company: str = ""
    industry: str = ""
    mapping: ColumnMapping | None = None
    blind_share: float = DEFAULT_BLIND_SHARE


def import_gl(db: Database, store: BlobStore, study_id: int, data: bytes, upload: GLUpload, *,
              progress: Progress | None = None) -> int:
    """Read and store one GL file; returns the new import's id. GLImportError (NeedsMapping for an
    unknown layout) when the file cannot be read; nothing is stored then."""
    report = progress or _no_progress
    report(0.0, f"reading {upload.name}")
    gl = read_gl(data, name=upload.name, mapping=upload.mapping, company=upload.company,
                 industry=upload.industry)
    report(0.3, f"read {len(gl.lines):,} lines from {upload.name}")
    with fresh_blobs(db, store) as blobs, db.transaction() as session:
        blob = blobs.put(session, io.BytesIO(data), media_type=_media_type(data))
        gl_import = _new_import(session, study_id, gl, upload, blob.sha256)
        accounts = _store_accounts(session, gl_import, gl.lines)
        _store_lines(session, gl_import, accounts, gl.lines, report)
        choose_blind_accounts(session, gl_import, list(accounts.values()), upload.blind_share)
        record(session, action="import_gl", study_id=study_id, record_type="gl_imports",
               record_id=str(gl_import.id), details={"lines": len(gl.lines), "accounts": len(accounts),
                                                     "sha256": blob.sha256, "format": gl.format})
        report(1.0, f"stored {len(gl.lines):,} lines in {len(accounts):,} accounts")
        return gl_import.id
    raise AssertionError("unreachable: the transaction re-raises")


def reading_of(gl: GLFile, mapping: ColumnMapping | None) -> dict[str, Any]:
    """How the file was read, kept on the import so it can be explained (and read again the same way)."""
    return {"header_row": gl.header_row, "sheet": gl.sheet, "columns": list(gl.columns),
            "day_first": gl.day_first, "decimal_comma": gl.decimal_comma,
            "mapping": mapping_as_json(mapping) if mapping is not None else None}


def mapping_as_json(mapping: ColumnMapping) -> dict[str, Any]:
    return {"columns": dict(mapping.columns), "header_row": mapping.header_row, "sheet": mapping.sheet}


def mapping_from_json(value: dict[str, Any]) -> ColumnMapping:
    columns = value.get("columns") or {}
    return ColumnMapping({str(k): str(v) for k, v in columns.items()}, int(value.get("header_row") or 1),
                         value.get("sheet"))


def _new_import(session: Session, study_id: int, gl: GLFile, upload: GLUpload, sha256: str) -> GLImport:
    gl_import = GLImport(study_id=study_id, original_name=upload.name[:300], blob_sha256=sha256,
                         source_format=gl.format, row_count=len(gl.lines),
                         imported_by_id=upload.imported_by_id,
                         company=_most_common([line.company for line in gl.lines], upload.company)[:200],
                         industry=_most_common([line.industry for line in gl.lines], upload.industry)[:200],
                         reading=reading_of(gl, upload.mapping), blind_share=upload.blind_share)
    session.add(gl_import)
    session.flush()
    return gl_import


def _store_accounts(session: Session, gl_import: GLImport,
                    lines: Sequence[GLLine]) -> dict[tuple[str, str], GLAccount]:
    accounts: dict[tuple[str, str], GLAccount] = {}
    for line in lines:
        key = _account_key(line)
        account = accounts.get(key)
        if account is None:
            account = GLAccount(study_id=gl_import.study_id, import_id=gl_import.id, number=key[0],
                                name=key[1], account_type=line.account_type[:80])
            accounts[key] = account
        elif not account.account_type and line.account_type:
            account.account_type = line.account_type[:80]
    session.add_all(accounts.values())
    session.flush()
    return accounts


def _store_lines(session: Session, gl_import: GLImport, accounts: dict[tuple[str, str], GLAccount],
                 lines: Sequence[GLLine], report: Progress) -> None:
    """Lines go in by bulk insert (one audit event for the import, not one per line)."""
    for start in range(0, len(lines), INSERT_CHUNK):
        chunk = lines[start:start + INSERT_CHUNK]
        rows = [{"study_id": gl_import.study_id, "import_id": gl_import.id,
                 "account_id": accounts[_account_key(line)].id, "row_number": line.row_number,
                 "posted_on": line.posted_on, "vendor": line.vendor[:300], "description": line.description,
                 "amount": line.amount, "extra": dict(line.extra)} for line in chunk]
        session.execute(insert(GLExpense), rows)
        done = start + len(chunk)
        report(0.3 + 0.7 * done / len(lines), f"stored {done:,} of {len(lines):,} lines")


def _account_key(line: GLLine) -> tuple[str, str]:
    return line.account_number.strip()[:40], line.account_name.strip()[:200]


def _most_common(values: list[str], default: str) -> str:
    counted = Counter(value.strip() for value in values if value.strip())
    return counted.most_common(1)[0][0] if counted else default.strip()


def _media_type(data: bytes) -> str:
    return MEDIA_TYPES["xlsx" if data.startswith(b"PK") else "csv"]


def _no_progress(_fraction: float, _message: str) -> None:
    return None

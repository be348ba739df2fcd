"""Storing a GL in a study: original, accounts and lines at once, or nothing at all; the mapping step."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.blobs import BlobRecord
from core.blobstore import LocalBlobStore
from scoring.blind import blind_count
from scoring.gl_import import ColumnMapping, GLImportError, NeedsMapping
from scoring.imports import GLUpload, import_gl
from scoring.models import GLAccount, GLExpense, GLImport
from tests.scoring.gl_helpers import BAD_CSV, UNKNOWN_LAYOUT, accounts_of, canonical_csv, lines_of


@pytest.fixture
def store(tmp_path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def study(make_study):
    return make_study()


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_canonical_gl_is_stored_with_its_original_accounts_and_lines(db, session, store, study,
                                                                        make_user) -> None:
    user = make_user()
    data = canonical_csv()
    import_id = import_gl(db, store, study.id, data, GLUpload("ledger.csv", imported_by_id=user.id))
    gl_import = session.get_one(GLImport, import_id)
    sha = hashlib.sha256(data).hexdigest()
    assert (gl_import.blob_sha256, gl_import.source_format, gl_import.row_count) == (sha, "canonical", 8)
    assert (gl_import.company, gl_import.industry, gl_import.imported_by_id) == ("Acme AI, Inc.", "Software",
                                                                                 user.id)
    assert session.get(BlobRecord, sha) is not None
    with store.open(sha) as stream:
        assert stream.read() == data  # the original, byte for byte
    accounts = accounts_of(session, import_id)
    assert sorted(accounts) == ["4000", "6120", "6150", "6300", "6400", "6500"]
    assert accounts["6120"].name == "Cloud Compute - R&D" and accounts["4000"].account_type == "Income"
    lines = lines_of(session, import_id)
    assert [line.row_number for line in lines] == list(range(2, 10))
    assert lines[0].amount == Decimal("14210.44") and lines[0].account_id == accounts["6120"].id
    assert lines[-1].amount == Decimal("-25000.00")
    assert {line.study_id for line in lines} == {study.id}
    assert gl_import.reading["header_row"] == 1 and gl_import.reading["mapping"] is None
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "import_gl")).all()
    assert [event.changes["lines"] for event in events] == [8]


def test_a_file_with_bad_rows_stores_nothing_and_leaves_no_blob(db, session, store, study) -> None:
    before = (_count(session, GLImport), _count(session, GLAccount), _count(session, GLExpense),
              _count(session, BlobRecord))
    with pytest.raises(GLImportError) as excinfo:
        import_gl(db, store, study.id, BAD_CSV, GLUpload("bad.csv"))
    assert [(p.row_number, p.column) for p in excinfo.value.problems] == [(3, "amount"), (4, "date")]
    after = (_count(session, GLImport), _count(session, GLAccount), _count(session, GLExpense),
             _count(session, BlobRecord))
    assert after == before
    assert list(store.iter_hashes()) == []


def test_a_failure_while_writing_takes_the_fresh_blob_back(db, session, store, study, monkeypatch) -> None:
    import scoring.imports as imports

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full while writing lines")

    monkeypatch.setattr(imports, "choose_blind_accounts", broken)  # fails after lines were inserted
    with pytest.raises(RuntimeError, match="disk full"):
        import_gl(db, store, study.id, canonical_csv(), GLUpload("ledger.csv"))
    assert _count(session, GLImport) == 0 and _count(session, GLExpense) == 0
    assert _count(session, BlobRecord) == 0
    assert list(store.iter_hashes()) == []


def test_an_unknown_layout_needs_a_mapping_and_is_stored_with_the_confirmed_one(db, session, store,
                                                                                 study) -> None:
    with pytest.raises(NeedsMapping) as excinfo:
        import_gl(db, store, study.id, UNKNOWN_LAYOUT, GLUpload("export.csv"))
    assert excinfo.value.proposal.missing == ["account"]  # "Ledger" is not a name it knows
    assert list(store.iter_hashes()) == [] and _count(session, GLImport) == 0
    mapping = ColumnMapping({"date": "When", "account": "Ledger", "vendor": "Who", "description": "What",
                             "amount": "Value"}, header_row=1)
    import_id = import_gl(db, store, study.id, UNKNOWN_LAYOUT,
                          GLUpload("export.csv", mapping=mapping, company="Helix", industry="AI for biology"))
    gl_import = session.get_one(GLImport, import_id)
    assert gl_import.source_format == "mapped"
    assert gl_import.reading["mapping"] == {"columns": dict(mapping.columns), "header_row": 1, "sheet": None}
    assert (gl_import.company, gl_import.industry) == ("Helix", "AI for biology")
    stored = sorted(accounts_of(session, import_id).values(), key=lambda a: a.number)
    assert [(a.number, a.name) for a in stored] == [("6120", "Cloud Services"), ("6150", "Lab Supplies"),
                                                    ("6700", "Legal Fees")]


def test_two_imports_of_the_same_file_share_one_original(db, session, store, study, make_study) -> None:
    other = make_study()
    first = import_gl(db, store, study.id, canonical_csv(), GLUpload("a.csv"))
    second = import_gl(db, store, other.id, canonical_csv(), GLUpload("b.csv"))
    assert session.get_one(GLImport, first).blob_sha256 == session.get_one(GLImport, second).blob_sha256
    assert len(list(store.iter_hashes())) == 1
    assert {line.study_id for line in lines_of(session, second)} == {other.id}


@pytest.mark.parametrize(("share", "accounts", "expected"), [(0.0, 6, 0), (0.1, 6, 1), (0.5, 6, 3),
                                                            (1.0, 6, 6), (0.1, 40, 4), (0.2, 0, 0)])
def test_blind_count(share: float, accounts: int, expected: int) -> None:
    assert blind_count(share, accounts) == expected


def test_the_blind_share_is_flagged_deterministically_per_import(db, session, store, study) -> None:
    import_id = import_gl(db, store, study.id, canonical_csv(), GLUpload("a.csv", blind_share=0.5))
    blind = sorted(a.number for a in accounts_of(session, import_id).values() if a.blind_review)
    assert len(blind) == 3
    from scoring.blind import choose_blind_accounts
    gl_import = session.get_one(GLImport, import_id)
    again = choose_blind_accounts(session, gl_import, list(accounts_of(session, import_id).values()), 0.5)
    assert sorted(a.number for a in again) == blind  # the same accounts every time for this import
    none = import_gl(db, store, study.id, canonical_csv(), GLUpload("b.csv", blind_share=0.0))
    assert not any(a.blind_review for a in accounts_of(session, none).values())
    with pytest.raises(ValueError, match="between 0 and 1"):
        import_gl(db, store, study.id, canonical_csv(), GLUpload("c.csv", blind_share=1.5))

"""Ingesting files and folders: kinds from content, facts with the original, nothing half-stored."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from core.blobstore import LocalBlobStore
from evidence.ingest import facts
from evidence.ingest.files import ingest_files, ingest_path
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import (
    AblationMetric,
    AblationVariant,
    Artifact,
    ArtifactKind,
    ArtifactRevision,
    Decision,
    DecisionOption,
    Run,
)
from evidence.store import Outcome
from tests.evidence.runs.builders import COMMIT, write_experiment, write_run

ADR_DATA = Path(__file__).parent / "data" / "adr"
LIMITS = IngestLimits(max_file_bytes=2 * 2**20, max_unpacked_bytes=8 * 2**20, max_files=500)


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def study_id(make_study) -> int:
    return make_study().id


def ingest(db, store, study_id, path: Path, **options) -> list[IngestResult | IngestFailure]:
    return list(ingest_path(db, store, study_id, path, uploaded_by_id=None, limits=LIMITS, **options))


def only_result(reported: list) -> IngestResult:
    assert len(reported) == 1 and isinstance(reported[0], IngestResult), reported
    return reported[0]


def mlruns(root: Path) -> Path:
    experiment = write_experiment(root / "mlruns", "1", "citerag-retrieval")
    write_run(experiment, "a" * 32, name="bm25", metrics={"recall_at_10": f"{1736000000000} 0.61 0\n"},
              tags={"mlflow.source.git.commit": COMMIT, "mlflow.user": "priya@lexbridge.ai"})
    write_run(experiment, "b" * 32, status="FAILED", name="colbert-oom",
              metrics={"loss": "1736000000000 2.5 0\n1736000060000 nan 1\n"})
    write_run(experiment, "c" * 32, status="KILLED", name="dense-only")
    return root / "mlruns"


def ablation_xlsx(path: Path, recall: float = 0.71) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "retrieval"
    sheet.append(["variant", "retriever", "recall@10", "latency_ms"])
    sheet.append(["baseline", "bm25", 0.61, 40])
    sheet.append(["hybrid-rrf", "bm25+dense", recall, 55])
    sheet.append(["dense-only", "dense", 0.66, 48])
    book.save(path)
    return path


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_run_folder_becomes_one_artifact_with_every_run_failed_ones_included(db, store, study_id,
                                                                                tmp_path, session):
    result = only_result(ingest(db, store, study_id, mlruns(tmp_path)))
    assert (result.kind, result.outcome, result.path) == (ArtifactKind.RUN_LOG, Outcome.NEW, "mlruns")
    assert result.counts["runs_by_status"] == {"failed": 1, "finished": 1, "killed": 1}
    assert str(result.content_start) == "2025-01-04"
    runs = {run.name: run for run in session.scalars(select(Run))}
    assert runs["bm25"].source_commit == COMMIT
    assert runs["bm25"].metrics["recall_at_10"]["final"] == 0.61
    assert runs["colbert-oom"].metrics["loss"]["final"] == "NaN"  # the divergence is kept, as text
    assert "priya@lexbridge.ai" not in json.dumps(runs["bm25"].tags)  # personal data redacted
    with tarfile.open(fileobj=io.BytesIO(store.read_bytes(result.sha256))) as packed:
        assert any(name.endswith("/meta.yaml") for name in packed.getnames())


def test_the_same_folder_again_is_a_duplicate_and_changed_content_a_revision(db, store, study_id,
                                                                              tmp_path, session):
    folder = mlruns(tmp_path / "a")
    first = only_result(ingest(db, store, study_id, folder))
    copy = tmp_path / "b" / "mlruns"
    shutil.copytree(folder, copy)  # new times on disk, same content: packing ignores times
    again = only_result(ingest(db, store, study_id, copy))
    assert (again.outcome, again.artifact_id, again.sha256) == (Outcome.DUPLICATE, first.artifact_id,
                                                                first.sha256)
    assert again.counts == first.counts
    write_run(copy / "1", "d" * 32, name="hybrid-rrf")
    revised = only_result(ingest(db, store, study_id, copy))
    assert (revised.outcome, revised.artifact_id) == (Outcome.REVISION, first.artifact_id)
    assert revised.counts["runs"] == 4
    assert count(session, Run) == 3 + 4  # the first revision keeps its facts
    assert count(session, ArtifactRevision) == 2


def test_adrs_of_both_templates_keep_their_considered_options(db, store, study_id, tmp_path, session):
    folder = tmp_path / "decisions"
    shutil.copytree(ADR_DATA / "madr3", folder)
    reported = ingest(db, store, study_id, folder)
    assert reported and all(isinstance(item, IngestResult) for item in reported)
    assert {item.kind for item in reported} == {ArtifactKind.ADR}
    assert count(session, Decision) == len(reported)
    assert count(session, DecisionOption) == sum(item.counts["options"] for item in reported) > 0
    nygard = next((ADR_DATA / "nygard").glob("*.md"))
    result = only_result(ingest(db, store, study_id, nygard))
    assert result.kind is ArtifactKind.ADR and result.counts["decisions"] == 1


def test_an_ablation_workbook_records_variants_metrics_and_directions(db, store, study_id, tmp_path,
                                                                     session):
    result = only_result(ingest(db, store, study_id, ablation_xlsx(tmp_path / "ablation.xlsx")))
    assert result.kind is ArtifactKind.ABLATION
    assert result.counts["variants"] == 3
    variants = {row.name: row for row in session.scalars(select(AblationVariant))}
    assert variants["baseline"].is_baseline
    assert variants["hybrid-rrf"].metrics["recall@10"]["value"] == 0.71
    directions = {row.name: row.better.value for row in session.scalars(select(AblationMetric))}
    assert directions["latency_ms"] == "lower"


def test_documents_are_kept_and_junk_is_refused_with_the_reason(db, store, study_id, tmp_path, session):
    (tmp_path / "design.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    (tmp_path / "notes.txt").write_text("Tried ColBERT; it ran out of memory.\n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"ok\nna\xefve\n")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    reported = {item.path: item for item in ingest(db, store, study_id, tmp_path, relative="upload")
                if item.path != "upload/blobs"}
    assert isinstance(reported["upload/design.pdf"], IngestResult)
    assert isinstance(reported["upload/notes.txt"], IngestResult)
    assert reported["upload/latin1.txt"].message == (
        "upload/latin1.txt, line 2: not UTF-8 text (byte 5 is not valid UTF-8)")
    assert "binary content" in reported["upload/blob.txt"].message
    stored_paths = set(session.scalars(select(Artifact.path)))
    assert "upload/latin1.txt" not in stored_paths and "upload/blob.txt" not in stored_paths


def test_a_refused_file_leaves_no_row_and_no_blob(db, store, study_id, tmp_path, session):
    bad = tmp_path / "runs.jsonl"
    bad.write_text('{"run": "a", "step": 1, "loss": 0.5}\n{"run": "a", "step": 2, "loss": \n',
                   encoding="utf-8")
    failure = ingest(db, store, study_id, bad)
    assert len(failure) == 1 and isinstance(failure[0], IngestFailure)
    assert "runs.jsonl" in failure[0].message and "line 2" in failure[0].message
    assert count(session, Artifact) == 0
    assert list(store.iter_hashes()) == []


def test_a_failure_while_writing_facts_takes_back_the_blob(db, store, study_id, tmp_path, session,
                                                          monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full while writing runs")

    monkeypatch.setattr(facts, "write_runs", broken)
    with pytest.raises(RuntimeError):
        ingest(db, store, study_id, mlruns(tmp_path))
    assert count(session, Artifact) == 0 and count(session, Run) == 0
    assert list(store.iter_hashes()) == []


def test_a_zip_of_a_run_folder_is_unpacked_and_named_after_the_archive(db, store, study_id, tmp_path):
    folder = mlruns(tmp_path / "src")
    archive = tmp_path / "run-42.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted(folder.rglob("*")):
            bundle.write(path, path.relative_to(folder.parent).as_posix())
    result = only_result(ingest(db, store, study_id, archive))
    assert (result.kind, result.path) == (ArtifactKind.RUN_LOG, "run-42.zip/mlruns")


@pytest.mark.parametrize("entry", ["../escape.txt", "/etc/passwd", "a/../../b.txt", "..\\\\win.txt"])
def test_archive_entries_that_climb_out_are_refused(db, store, study_id, tmp_path, entry):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("fine.txt", "fine\n")
        bundle.writestr(zipfile.ZipInfo(entry), "gotcha\n")
    [failure] = ingest(db, store, study_id, archive)
    assert isinstance(failure, IngestFailure) and "unsafe entry name" in failure.message
    assert not (tmp_path.parent / "escape.txt").exists()
    assert list(store.iter_hashes()) == []


def test_a_zip_bomb_stops_at_the_unpacked_limit(db, store, study_id, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("zeros.csv", b"0" * (LIMITS.max_unpacked_bytes + 1))
    [failure] = ingest(db, store, study_id, archive)
    assert isinstance(failure, IngestFailure) and "zip bomb" in failure.message


def test_symbolic_links_are_not_followed(db, store, study_id, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "secret").symlink_to("/etc/hostname")
    (folder / "readme.md").write_text("# Notes\n", encoding="utf-8")
    reported = {item.path: item for item in ingest(db, store, study_id, folder)}
    assert isinstance(reported["docs/readme.md"], IngestResult)
    assert "symbolic link" in reported["docs/secret"].message


def test_a_file_over_the_limit_is_refused_before_reading(db, store, study_id, tmp_path):
    big = tmp_path / "huge.txt"
    big.write_bytes(b"a" * (LIMITS.max_file_bytes + 1))
    [failure] = ingest(db, store, study_id, big)
    assert isinstance(failure, IngestFailure) and "over the" in failure.message


def test_uploaded_files_of_a_folder_are_put_back_together(db, store, study_id, tmp_path):
    folder = mlruns(tmp_path)
    files = [(path.relative_to(tmp_path).as_posix(), path.open("rb"))
             for path in sorted(folder.rglob("*")) if path.is_file()]
    files.append(("../../etc/passwd", io.BytesIO(b"root:x:0:0\n")))
    reported = ingest_files(db, store, study_id, files, uploaded_by_id=None, source="upload", limits=LIMITS)
    kinds = sorted((type(item).__name__, getattr(item, "path", "")) for item in reported)
    assert kinds == [("IngestFailure", "../../etc/passwd"), ("IngestResult", "mlruns")]

"""Hostile files through the whole ingest: a result or a clear refusal, never a crash or a leak."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from core.blobstore import LocalBlobStore
from evidence.ingest.files import ingest_path
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure, IngestResult
from evidence.models import ArtifactRevision

LIMITS = IngestLimits(max_file_bytes=1 << 20, max_unpacked_bytes=4 << 20, max_files=200)
SUFFIXES = st.sampled_from([".csv", ".xlsx", ".md", ".jsonl", ".txt", ".zip", ".tar.gz", ".pdf",
                            ".bundle", ".db", ""])
CONTENT = st.one_of(
    st.binary(max_size=2048),
    st.binary(max_size=512).map(lambda tail: b"PK\x03\x04" + tail),
    st.binary(max_size=512).map(lambda tail: b"# v2 git bundle\n" + tail),
    st.binary(max_size=512).map(lambda tail: b"SQLite format 3\x00" + tail),
    st.text(alphabet="# 1.Title\nStatus:Accepted-,;|\t\"{}[]:0123456789abc", max_size=600).map(str.encode),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=CONTENT, suffix=SUFFIXES)
def test_random_files_are_stored_or_refused_with_their_name(db, session, make_study, content: bytes,
                                                             suffix: str) -> None:
    study_id = make_study().id
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"input{suffix}"
        path.write_bytes(content)
        store = LocalBlobStore(Path(scratch) / "blobs")
        reported = list(ingest_path(db, store, study_id, path, uploaded_by_id=None, limits=LIMITS))
        for item in reported:
            assert isinstance(item, IngestResult | IngestFailure)
            if isinstance(item, IngestFailure):
                assert "input" in item.message
        stored = session.scalar(select(func.count()).select_from(ArtifactRevision).where(
            ArtifactRevision.study_id == study_id))
        assert len(list(store.iter_hashes())) == stored

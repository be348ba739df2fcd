"""Embedding many GL strings: each distinct string once, longest first, through the persisted cache when
there is a database, in chunks so progress can be shown."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from core.db import Database
from core.embeddings import Embedder

CHUNK = 4096  # distinct strings per cache round trip and progress step

Progress = Callable[[float, str], None]
Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class TextVectors:
    """The vectors of the distinct texts and, per input text, the row of its vector."""

    vectors: np.ndarray
    row_of: dict[str, int]

    def rows(self, texts: Sequence[str]) -> np.ndarray:
        return np.fromiter((self.row_of[text] for text in texts), dtype=np.int64, count=len(texts))

    def of(self, texts: Sequence[str]) -> np.ndarray:
        return self.vectors[self.rows(texts)]


def encoder(embedder: Embedder, cache: Database | Session | None) -> Encode:
    """How to encode: through the cache table in its own transactions (a Database), inside the caller's
    transaction (a Session), or without a cache (None)."""
    if isinstance(cache, Database):
        database = cache
        return lambda texts: embedder.encode_cached(database, texts)
    if isinstance(cache, Session):
        session = cache
        return lambda texts: embedder.encode_in_session(session, texts)
    return embedder.encode


def embed_distinct(texts: Sequence[str], encode: Encode, *, progress: Progress | None = None) -> TextVectors:
    """Embed each distinct text once, longest first, in chunks (progress after each)."""
    distinct = sorted(dict.fromkeys(texts), key=len, reverse=True)
    parts = []
    for start in range(0, len(distinct), CHUNK):
        chunk = distinct[start:start + CHUNK]
        parts.append(encode(chunk))
        if progress is not None:
            done = start + len(chunk)
            progress(done / len(distinct), f"embedded {done:,} of {len(distinct):,} distinct strings")
    vectors = np.vstack(parts) if parts else encode([])
    return TextVectors(vectors, {text: row for row, text in enumerate(distinct)})

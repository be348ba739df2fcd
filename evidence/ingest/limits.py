"""How much one ingest may read, and the progress callback every ingestor accepts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.settings import Settings
from evidence.parsers.runs import ReadLimits

Progress = Callable[[float, str], None]
"""Called with the fraction done (0..1) and a sentence saying what is happening."""


def no_progress(_fraction: float, _message: str) -> None:
    return None


@dataclass(frozen=True)
class IngestLimits:
    """``max_file_bytes`` caps any one file; ``max_unpacked_bytes`` caps a folder or archive in all."""

    max_file_bytes: int = 512 * 2**20
    max_files: int = 100_000
    max_unpacked_bytes: int = 2 * 2**30

    @classmethod
    def from_settings(cls, settings: Settings) -> IngestLimits:
        return cls(max_file_bytes=settings.max_upload_bytes,
                   max_unpacked_bytes=max(settings.max_upload_bytes * 4, 2**30))

    @property
    def read_limits(self) -> ReadLimits:
        return ReadLimits(max_file_bytes=self.max_file_bytes, max_files=self.max_files)

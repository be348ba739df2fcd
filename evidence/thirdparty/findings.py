"""What detection finds: mentions of a vendor in files, grouped into findings per vendor and model."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

PART_REF_LIMIT = 120  # EvidenceLink.part_ref


class MentionKind(enum.StrEnum):
    DEPENDENCY = "dependency"  # a dependency file declares the vendor's package
    IMPORT = "import"  # source code imports the vendor's SDK
    MODEL = "model"  # a string literal names one of the vendor's models
    CALL = "call"  # a call loads a hub model (or the library's default checkpoint)


@dataclass(frozen=True)
class Mention:
    """One line of one file that shows a vendor in use."""

    path: str
    line: int
    kind: MentionKind
    vendor: str  # the vendor's key in the catalog
    text: str  # the line, trimmed
    model: str | None = None

    @property
    def ref(self) -> str:
        """``path:line``, cut from the left to fit an evidence link's part reference."""
        ref = f"{self.path}:{self.line}"
        return ref if len(ref) <= PART_REF_LIMIT else "…" + ref[-(PART_REF_LIMIT - 1):]

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "kind": self.kind.value, "text": self.text,
                "model": self.model}


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class Finding:
    """A vendor (and model, where one is named) in use in one repository, for one project or none."""

    artifact_id: int | None
    vendor: str
    label: str
    model: str | None
    project_id: int | None
    mentions: tuple[Mention, ...]

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.path for m in self.mentions))

    def as_json(self) -> dict[str, Any]:
        return {"artifact_id": self.artifact_id, "vendor": self.vendor, "label": self.label,
                "model": self.model, "project_id": self.project_id,
                "mentions": [m.as_json() for m in self.mentions]}


def clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

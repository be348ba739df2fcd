"""Turning the drafts of ``drafting`` into narrative versions, without overwriting a person's work.

"Draft narratives" creates the narratives a project lacks and refreshes those that are
still an untouched draft. A narrative a person edited, sent for review or approved is
kept as it is; "Redraft from answers" on that narrative replaces its text on purpose
(as a new version, so the old text stays one click away).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.orm import Session

from narratives.drafting import draft_all, draft_markdown, gather_facts
from narratives.errors import InputError
from narratives.models import Narrative, NarrativeState, Prong, VersionOrigin
from narratives.versions import ensure_narrative, latest_version, save_version
from studies.models import BusinessComponent


class DraftAction(enum.StrEnum):
    CREATED = "created"
    REFRESHED = "refreshed"
    UNCHANGED = "unchanged"
    KEPT = "kept"


@dataclass(frozen=True)
class DraftResult:
    prong: Prong
    action: DraftAction
    version: int
    reason: str = ""


def _kept_reason(narrative: Narrative) -> str | None:
    latest = latest_version(narrative)
    if latest is None:
        return None
    if narrative.state == NarrativeState.APPROVED:
        return f"version {latest.number} is approved"
    if narrative.state == NarrativeState.IN_REVIEW:
        return f"version {latest.number} is in review"
    if latest.origin == VersionOrigin.EDITED:
        return f"version {latest.number} has a person's edits"
    return None


def refresh_drafts(session: Session, project: BusinessComponent, *,
                   author_id: int | None) -> list[DraftResult]:
    """Draft every prong from the answers and facts; the module docstring says what is kept."""
    texts = draft_all(gather_facts(session, project))
    results = []
    for prong, text in texts.items():
        narrative = ensure_narrative(session, project, prong)
        latest = latest_version(narrative)
        reason = _kept_reason(narrative)
        if latest is not None and latest.markdown == text:
            results.append(DraftResult(prong, DraftAction.UNCHANGED, latest.number))
        elif reason is not None and latest is not None:
            results.append(DraftResult(prong, DraftAction.KEPT, latest.number, reason))
        else:
            version = save_version(session, narrative, text, author_id=author_id,
                                   origin=VersionOrigin.DRAFTED,
                                   note="Drafted from the interview answers and the project record.")
            action = DraftAction.CREATED if latest is None else DraftAction.REFRESHED
            results.append(DraftResult(prong, action, version.number))
    return results


def redraft(session: Session, project: BusinessComponent, narrative: Narrative, *,
            author_id: int | None) -> int:
    """Replace the narrative's text with a fresh draft, as a new version; returns its number."""
    text = draft_markdown(gather_facts(session, project), narrative.prong)
    latest = latest_version(narrative)
    if latest is not None and latest.markdown == text:
        message = f"A fresh draft is the same as version {latest.number}; nothing to redraft."
        raise InputError({"markdown": message})
    return save_version(session, narrative, text, author_id=author_id, origin=VersionOrigin.DRAFTED,
                        note="Redrafted from the interview answers and the project record.").number

"""Narrative versions and their review: draft -> in review -> approved.

Every save writes a new version; none is ever changed (``narratives.models`` refuses it).
Approval is given to the latest version, by someone other than its author. Editing an
approved narrative starts a new draft; the approved version stays "the approved version",
the one the package carries, until a later version is approved.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from narratives.errors import InputError, ReviewError
from narratives.interviews import clean_text
from narratives.models import Narrative, NarrativeState, NarrativeVersion, Prong, VersionOrigin
from studies.models import BusinessComponent

MAX_MARKDOWN = 100_000
MAX_NOTE = 300
TODO_MARK = "TODO:"


def find_narrative(session: Session, project: BusinessComponent, prong: Prong) -> Narrative | None:
    return session.scalars(
        select(Narrative).where(Narrative.project_id == project.id, Narrative.study_id == project.study_id,
                                Narrative.prong == prong)
        .options(selectinload(Narrative.versions))).one_or_none()


def project_narratives(session: Session, project: BusinessComponent) -> dict[Prong, Narrative]:
    rows = session.scalars(select(Narrative).where(
        Narrative.project_id == project.id, Narrative.study_id == project.study_id)
        .options(selectinload(Narrative.versions)))
    return {row.prong: row for row in rows}


def study_narratives(session: Session, study_id: int) -> list[Narrative]:
    return list(session.scalars(select(Narrative).where(Narrative.study_id == study_id)
                                .options(selectinload(Narrative.versions))))


def ensure_narrative(session: Session, project: BusinessComponent, prong: Prong) -> Narrative:
    narrative = find_narrative(session, project, prong)
    if narrative is None:
        narrative = Narrative(study_id=project.study_id, project_id=project.id, prong=prong,
                              state=NarrativeState.DRAFT, versions=[])
        session.add(narrative)
        session.flush()
    return narrative


def latest_version(narrative: Narrative) -> NarrativeVersion | None:
    return max(narrative.versions, key=lambda v: v.number, default=None)


def approved_version(narrative: Narrative) -> NarrativeVersion | None:
    """The latest approved version: what the package carries, even while a newer draft is edited."""
    approved = [v for v in narrative.versions if v.approved_at is not None]
    return max(approved, key=lambda v: v.number, default=None)


def find_version(narrative: Narrative, number: int) -> NarrativeVersion | None:
    return next((v for v in narrative.versions if v.number == number), None)


def todo_count(markdown: str) -> int:
    return sum(1 for line in markdown.splitlines() if TODO_MARK in line)


def _text_errors(markdown: str, note: str) -> dict[str, str]:
    errors = {}
    if not markdown:
        errors["markdown"] = "The narrative is empty; write the text before saving."
    elif len(markdown) > MAX_MARKDOWN:
        errors["markdown"] = (f"The narrative is {len(markdown):,} characters long; at most "
                              f"{MAX_MARKDOWN:,} fit. Cite long material as an exhibit instead.")
    if len(note) > MAX_NOTE:
        errors["note"] = f"The change note is {len(note)} characters long; at most {MAX_NOTE} fit."
    elif "\n" in note:
        errors["note"] = "The change note must fit on one line."
    return errors


def save_version(session: Session, narrative: Narrative, markdown: str, *, author_id: int | None,
                 note: str = "", origin: VersionOrigin = VersionOrigin.EDITED,
                 base_number: int | None = None) -> NarrativeVersion:
    """A new version with this text; the narrative goes (back) to draft.

    ``base_number`` is the version the writer started from: if someone saved a newer one
    meanwhile, nothing is saved and the writer is told, so no one's edit is lost silently.
    """
    markdown, note = clean_text(markdown) + "\n", clean_text(note)
    errors = _text_errors(markdown.strip(), note)
    latest = latest_version(narrative)
    if not errors and latest is not None and base_number is not None and base_number != latest.number:
        errors["markdown"] = (f"Version {latest.number} was saved after you opened version {base_number}; "
                              "your text was not saved. Compare the two, then save again.")
    if not errors and latest is not None and latest.markdown == markdown:
        errors["markdown"] = f"Nothing changed since version {latest.number}; there is nothing to save."
    if errors:
        raise InputError(errors)
    version = NarrativeVersion(study_id=narrative.study_id, narrative=narrative,
                               number=(latest.number if latest else 0) + 1, markdown=markdown,
                               origin=origin, note=note, author_id=author_id, created_at=utcnow())
    session.add(version)
    narrative.state = NarrativeState.DRAFT
    narrative.submitted_by_id, narrative.submitted_at = None, None
    session.flush()
    return version


def send_for_review(session: Session, narrative: Narrative, *, user_id: int) -> NarrativeVersion:
    latest = latest_version(narrative)
    if latest is None:
        raise ReviewError("This narrative has no text yet; draft or write it before sending it for review.")
    if narrative.state != NarrativeState.DRAFT:
        raise ReviewError(f"Version {latest.number} is already {_state_words(narrative.state)}; "
                          "only a draft can be sent for review.")
    narrative.state = NarrativeState.IN_REVIEW
    narrative.submitted_by_id, narrative.submitted_at = user_id, utcnow()
    session.flush()
    return latest


def approve(session: Session, narrative: Narrative, *, user_id: int) -> NarrativeVersion:
    """Approve the latest version; refused to its own author and outside review."""
    latest = latest_version(narrative)
    if latest is None or narrative.state != NarrativeState.IN_REVIEW:
        state = _state_words(narrative.state) if latest else "empty"
        raise ReviewError(f"Only a narrative in review can be approved; this one is {state}.")
    if latest.author_id == user_id:
        raise ReviewError(f"You wrote version {latest.number}, the latest version. Approval must come from "
                          "someone other than its author: ask another reviewer.")
    latest.approved_by_id, latest.approved_at = user_id, utcnow()
    narrative.state = NarrativeState.APPROVED
    session.flush()
    return latest


def return_to_draft(session: Session, narrative: Narrative) -> None:
    """A reviewer sends the narrative back for more work; nothing is approved."""
    if narrative.state != NarrativeState.IN_REVIEW:
        state = _state_words(narrative.state)
        raise ReviewError(f"Only a narrative in review can be sent back; this one is {state}.")
    narrative.state = NarrativeState.DRAFT
    narrative.submitted_by_id, narrative.submitted_at = None, None
    session.flush()


def _state_words(state: NarrativeState) -> str:
    return {NarrativeState.DRAFT: "a draft", NarrativeState.IN_REVIEW: "in review",
            NarrativeState.APPROVED: "approved"}[state]

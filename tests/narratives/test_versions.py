"""Versions, review and approval: draft -> in review -> approved, never by the last author."""

from __future__ import annotations

import pytest

from narratives.drafts import DraftAction, redraft, refresh_drafts
from narratives.errors import InputError, ReviewError
from narratives.models import FrozenVersionError, NarrativeState, Prong, VersionOrigin
from narratives.versions import (
    MAX_MARKDOWN,
    approve,
    approved_version,
    ensure_narrative,
    find_narrative,
    latest_version,
    return_to_draft,
    save_version,
    send_for_review,
    todo_count,
)


def _narrative(session, world, text: str = "## Purpose\n\nFirst text.\n"):
    narrative = ensure_narrative(session, world.project, Prong.PERMITTED_PURPOSE)
    save_version(session, narrative, text, author_id=world.interviewer.id)
    session.commit()
    return narrative


def test_each_save_is_a_new_numbered_version(backend, session, world) -> None:
    narrative = _narrative(session, world)
    second = save_version(session, narrative, "## Purpose\n\nSecond text.", author_id=world.reviewer.id,
                          note="tightened", base_number=1)
    session.commit()
    assert [v.number for v in narrative.versions] == [1, 2]
    assert (second.note, second.origin, second.markdown) == ("tightened", VersionOrigin.EDITED,
                                                             "## Purpose\n\nSecond text.\n")
    assert latest_version(narrative) is second


def test_empty_oversized_unchanged_and_stale_saves_are_refused(backend, session, world) -> None:
    narrative = _narrative(session, world)
    cases = [("  \n ", {}, "The narrative is empty"),
             ("x" * (MAX_MARKDOWN + 1), {}, "at most 100,000 fit"),
             ("## Purpose\n\nFirst text.", {}, "Nothing changed since version 1"),
             ("new", {"note": "two\nlines"}, "must fit on one line"),
             ("new", {"base_number": 0}, "Version 1 was saved after you opened version 0")]
    for text, extra, message in cases:
        with pytest.raises(InputError, match=message):
            save_version(session, narrative, text, author_id=world.interviewer.id, **extra)
    assert [v.number for v in narrative.versions] == [1]


def test_the_path_to_approval_and_who_may_approve(backend, session, world) -> None:
    narrative = _narrative(session, world)
    with pytest.raises(ReviewError, match="Only a narrative in review can be approved; this one is a draft"):
        approve(session, narrative, user_id=world.reviewer.id)
    send_for_review(session, narrative, user_id=world.interviewer.id)
    assert (narrative.state, narrative.submitted_by_id) == (NarrativeState.IN_REVIEW, world.interviewer.id)
    with pytest.raises(ReviewError, match="already in review"):
        send_for_review(session, narrative, user_id=world.interviewer.id)
    with pytest.raises(ReviewError, match="You wrote version 1, the latest version"):
        approve(session, narrative, user_id=world.interviewer.id)
    assert narrative.state == NarrativeState.IN_REVIEW and approved_version(narrative) is None
    version = approve(session, narrative, user_id=world.reviewer.id)
    session.commit()
    assert narrative.state == NarrativeState.APPROVED
    assert (version.approved_by_id, approved_version(narrative)) == (world.reviewer.id, version)


def test_editing_an_approved_narrative_starts_a_draft_and_keeps_the_approved_version(
        backend, session, world) -> None:
    narrative = _narrative(session, world)
    send_for_review(session, narrative, user_id=world.interviewer.id)
    approved = approve(session, narrative, user_id=world.reviewer.id)
    session.commit()
    draft = save_version(session, narrative, "## Purpose\n\nChanged after approval.",
                         author_id=world.reviewer.id)
    session.commit()
    session.expire_all()
    narrative = find_narrative(session, world.project, Prong.PERMITTED_PURPOSE)
    assert narrative.state == NarrativeState.DRAFT and narrative.submitted_by_id is None
    assert approved_version(narrative).number == approved.number == 1
    assert approved_version(narrative).markdown == "## Purpose\n\nFirst text.\n"
    assert latest_version(narrative).number == draft.number == 2
    # The reviewer wrote version 2: now the interviewer may approve it, and it becomes the approved one.
    send_for_review(session, narrative, user_id=world.reviewer.id)
    with pytest.raises(ReviewError, match="You wrote version 2"):
        approve(session, narrative, user_id=world.reviewer.id)
    approve(session, narrative, user_id=world.interviewer.id)
    assert approved_version(narrative).number == 2


def test_a_saved_version_cannot_be_changed(backend, session, world) -> None:
    narrative = _narrative(session, world)
    version = latest_version(narrative)
    version.markdown = "rewritten history"
    with pytest.raises(FrozenVersionError, match="tried to change markdown"):
        session.flush()
    session.rollback()
    send_for_review(session, narrative, user_id=world.interviewer.id)
    approved = approve(session, narrative, user_id=world.reviewer.id)
    session.commit()
    approved.approved_by_id = world.interviewer.id
    with pytest.raises(FrozenVersionError, match="approval cannot change"):
        session.flush()


def test_a_reviewer_can_send_it_back(backend, session, world) -> None:
    narrative = _narrative(session, world)
    with pytest.raises(ReviewError, match="Only a narrative in review can be sent back"):
        return_to_draft(session, narrative)
    send_for_review(session, narrative, user_id=world.interviewer.id)
    return_to_draft(session, narrative)
    assert narrative.state == NarrativeState.DRAFT and narrative.submitted_at is None


def test_draft_narratives_creates_refreshes_and_keeps_peoples_work(backend, session, world) -> None:
    results = refresh_drafts(session, world.project, author_id=world.interviewer.id)
    session.commit()
    assert [(r.prong, r.action, r.version) for r in results] == [(p, DraftAction.CREATED, 1) for p in Prong]
    again = refresh_drafts(session, world.project, author_id=world.interviewer.id)
    assert {r.action for r in again} == {DraftAction.UNCHANGED}
    experimentation = find_narrative(session, world.project, Prong.EXPERIMENTATION)
    assert todo_count(experimentation.versions[0].markdown) > 0
    save_version(session, experimentation, "My own words.", author_id=world.interviewer.id)
    world.project.description = "Hybrid retrieval over case law and statutes."
    session.commit()
    results = {r.prong: r for r in refresh_drafts(session, world.project, author_id=world.interviewer.id)}
    assert results[Prong.PERMITTED_PURPOSE].action == DraftAction.REFRESHED
    assert results[Prong.PERMITTED_PURPOSE].version == 2
    assert (results[Prong.EXPERIMENTATION].action, results[Prong.EXPERIMENTATION].reason) == (
        DraftAction.KEPT, "version 2 has a person's edits")
    assert latest_version(experimentation).markdown == "My own words.\n"
    number = redraft(session, world.project, experimentation, author_id=world.interviewer.id)
    assert number == 3 and latest_version(experimentation).origin == VersionOrigin.DRAFTED
    with pytest.raises(InputError, match="same as version 3"):
        redraft(session, world.project, experimentation, author_id=world.interviewer.id)

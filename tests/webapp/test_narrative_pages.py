"""Narrative pages: drafting, the editor, history and diff, review and approval, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from narratives.guides import guide_for
from narratives.interviews import AnswerInput, record_answers, start_interview
from narratives.models import Narrative, NarrativeState, Prong
from narratives.versions import approved_version, find_narrative, latest_version
from studies.models import Role
from tests.narratives.conftest import add_project, build_world
from tests.narratives.test_diff_and_render import assert_inert
from tests.webapp.test_interview_pages import signed_in_as

ATTACK = ("Typed: <script>alert(1)</script> and <img src=x onerror=alert(1)> and [x](javascript:alert(1)) "
          "and [EX-9](exhibit:9)")


@pytest.fixture
def world(session, make_user, make_study):
    built = build_world(session, make_user, make_study,
                        members={"Eli Engineer": Role.ENGINEER, "Carmen CPA": Role.CPA})
    interview = start_interview(session, built.project, interviewer_id=built.interviewer.id,
                                interviewee_name="Priya Raman", interviewee_role="Staff ML engineer",
                                held_on=dt.date(2025, 11, 4))
    record_answers(session, interview, guide_for(built.project.sub_sector),
                   {"ain.rag_alternatives": AnswerInput("Dense, hybrid and ColBERT.", "Hybrid won.")})
    session.commit()
    return built


def _url(world, prong: Prong | None = None, tail: str = "") -> str:
    base = f"/studies/{world.study.slug}/projects/{world.project.code}/narratives"
    return f"{base}/{prong.value}{tail}" if prong else f"{base}{tail}"


def _narrative(session, world, prong: Prong) -> Narrative:
    session.expire_all()
    return find_narrative(session, world.project, prong)


def _draft(client, world) -> None:
    response = client.post(_url(world, tail="/draft"))
    assert response.status_code == 303


def test_drafting_creates_four_narratives_that_cite_exhibits_as_links(app, session, world) -> None:
    client = signed_in_as(app, world.interviewer)
    _draft(client, world)
    overview = client.get(_url(world)).get_data(as_text=True)
    assert "drafted as version 1" in overview and overview.count('data-testid="narrative-state"') == 4
    page = client.get(_url(world, Prong.EXPERIMENTATION)).get_data(as_text=True)
    runs = world.artifacts["runs"].id
    assert f'href="/studies/{world.study.slug}/evidence/{runs}" class="exhibit-ref"' in page
    assert "Dense, hybrid and ColBERT." in page
    assert "Priya Raman, Staff ML engineer, interviewed 2025-11-04" in page
    assert 'data-testid="todo-warning"' in page
    assert all(_narrative(session, world, p).state == NarrativeState.DRAFT for p in Prong)
    study_page = client.get(f"/studies/{world.study.slug}/narratives").get_data(as_text=True)
    assert study_page.count("state-draft") == 4


def test_editing_preview_and_the_refusals_of_the_editor(app, session, world) -> None:
    client = signed_in_as(app, world.interviewer)
    _draft(client, world)
    url = _url(world, Prong.PERMITTED_PURPOSE)
    preview = client.post(url, data={"markdown": "## Only a preview", "preview": "1", "base_number": "1"})
    assert preview.status_code == 200 and "Preview of your unsaved text" in preview.get_data(as_text=True)
    assert len(_narrative(session, world, Prong.PERMITTED_PURPOSE).versions) == 1
    empty = client.post(url, data={"markdown": "   ", "save": "1", "base_number": "1"})
    assert empty.status_code == 400 and "The narrative is empty" in empty.get_data(as_text=True)
    long_note = client.post(url, data={"markdown": "new text", "note": "n" * 301, "base_number": "1"})
    assert long_note.status_code == 400 and 'data-testid="note-error"' in long_note.get_data(as_text=True)
    saved = client.post(url, data={"markdown": "## Purpose\n\nOur words.", "note": "rewrote",
                                   "base_number": "1"})
    assert saved.status_code == 303
    stale = client.post(url, data={"markdown": "older tab's text", "base_number": "1"})
    stale_page = stale.get_data(as_text=True)
    assert stale.status_code == 400 and "Version 2 was saved after you opened version 1" in stale_page
    assert "older tab&#39;s text</textarea>" in stale_page  # the writer's text is still there
    narrative = _narrative(session, world, Prong.PERMITTED_PURPOSE)
    assert [v.number for v in narrative.versions] == [1, 2] and latest_version(narrative).note == "rewrote"


def test_review_self_approval_refused_and_a_second_user_approves(app, session, world) -> None:
    writer = signed_in_as(app, world.interviewer)
    _draft(writer, world)
    url = _url(world, Prong.UNCERTAINTY)
    assert writer.post(url + "/submit").status_code == 303
    page = writer.get(url).get_data(as_text=True)
    assert 'data-testid="in-review"' in page and 'data-testid="cannot-self-approve"' in page
    refused = writer.post(url + "/approve", follow_redirects=True).get_data(as_text=True)
    assert ("You wrote version 1, the latest version. Approval must come from someone other than its author"
            in refused)
    assert _narrative(session, world, Prong.UNCERTAINTY).state == NarrativeState.IN_REVIEW
    reviewer = signed_in_as(app, world.reviewer)
    approved = reviewer.post(url + "/approve", follow_redirects=True).get_data(as_text=True)
    assert "Version 1 is approved" in approved and 'data-testid="approved-version"' in approved
    narrative = _narrative(session, world, Prong.UNCERTAINTY)
    assert narrative.state == NarrativeState.APPROVED
    assert approved_version(narrative).approved_by_id == world.reviewer.id


def test_editing_an_approved_narrative_keeps_the_approved_version(app, session, world) -> None:
    writer, reviewer = signed_in_as(app, world.interviewer), signed_in_as(app, world.reviewer)
    _draft(writer, world)
    url = _url(world, Prong.TECHNOLOGICAL)
    writer.post(url + "/submit")
    reviewer.post(url + "/approve")
    edited = writer.post(url, data={"markdown": "## Changed after approval", "base_number": "1"})
    assert edited.status_code == 303
    page = writer.get(url).get_data(as_text=True)
    assert "version 2 is a newer draft and is not yet approved" in page
    version_page = writer.get(url + "/versions/1").get_data(as_text=True)
    assert 'data-testid="version-approved"' in version_page
    assert "An approved version never changes" in version_page
    narrative = _narrative(session, world, Prong.TECHNOLOGICAL)
    assert narrative.state == NarrativeState.DRAFT and approved_version(narrative).number == 1


def test_history_and_a_readable_escaped_diff(app, session, world) -> None:
    client = signed_in_as(app, world.interviewer)
    _draft(client, world)
    url = _url(world, Prong.PERMITTED_PURPOSE)
    old_text = latest_version(_narrative(session, world, Prong.PERMITTED_PURPOSE)).markdown
    new_text = old_text.replace("over case law.", "over case law and statutes.")
    client.post(url, data={"markdown": new_text + "\n" + ATTACK, "base_number": "1"})
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="history"' in page and "changes from v1" in page
    diff = client.get(url + "/diff?old=1&new=2")
    html = diff.get_data(as_text=True)
    assert diff.status_code == 200
    assert "<ins>law and statutes.</ins>" in html and "<del>law.</del>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert client.get(url + "/diff?old=1&new=9").status_code == 404


def test_script_and_html_in_a_narrative_stay_inert_everywhere(app, session, world) -> None:
    client = signed_in_as(app, world.interviewer)
    url = _url(world, Prong.PERMITTED_PURPOSE)
    assert client.post(url, data={"markdown": ATTACK, "note": "<b>note</b>"}).status_code == 303
    client.post(url, data={"markdown": ATTACK + "\n\nmore", "base_number": "1"})
    for path in ("", "/versions/1", "/diff?old=1&new=2"):
        html = client.get(url + path).get_data(as_text=True)
        body = html[html.index("<main"):]
        assert_inert(body)
        assert "<script>alert" not in body and "<img src=x" not in body and "<b>note</b>" not in body
    rendered = client.get(url).get_data(as_text=True)
    assert f'href="/studies/{world.study.slug}/evidence/9"' in rendered  # an exhibit reference still links


def test_who_may_read_write_and_approve(app, session, world, make_user) -> None:
    writer = signed_in_as(app, world.interviewer)
    _draft(writer, world)
    writer.post(_url(world, Prong.EXPERIMENTATION, "/submit"))
    engineer = signed_in_as(app, world.users["Eli Engineer"])
    page = engineer.get(_url(world, Prong.EXPERIMENTATION))
    assert page.status_code == 200 and 'data-testid="narrative-editor"' not in page.get_data(as_text=True)
    assert engineer.post(_url(world, Prong.EXPERIMENTATION), data={"markdown": "x"}).status_code == 403
    assert engineer.post(_url(world, tail="/draft")).status_code == 403
    assert engineer.post(_url(world, Prong.PERMITTED_PURPOSE, "/submit")).status_code == 403
    cpa = signed_in_as(app, world.users["Carmen CPA"])
    assert 'data-testid="approve"' not in cpa.get(_url(world, Prong.EXPERIMENTATION)).get_data(as_text=True)
    assert cpa.post(_url(world, Prong.EXPERIMENTATION, "/approve")).status_code == 403
    assert _narrative(session, world, Prong.EXPERIMENTATION).state == NarrativeState.IN_REVIEW
    outsider = signed_in_as(app, make_user())
    for path in ("", "/draft"):
        assert outsider.get(_url(world, tail=path)).status_code == 404
    assert outsider.get(_url(world, Prong.EXPERIMENTATION)).status_code == 404
    assert outsider.post(_url(world, Prong.EXPERIMENTATION, "/approve")).status_code == 404


def test_an_empty_first_save_creates_nothing(app, session, world) -> None:
    client = signed_in_as(app, world.interviewer)
    response = client.post(_url(world, Prong.UNCERTAINTY), data={"markdown": " ", "save": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.index('data-testid="markdown-error"') < page.index('id="markdown" name="markdown"')
    assert _narrative(session, world, Prong.UNCERTAINTY) is None


def test_a_narrative_of_another_study_or_an_unknown_prong_is_not_found(app, session, world,
                                                                       make_study) -> None:
    other = make_study(members={world.interviewer: Role.INTERVIEWER})
    add_project(session, other, code="elsewhere")
    session.commit()
    client = signed_in_as(app, world.interviewer)
    mine = f"/studies/{world.study.slug}/projects/elsewhere/narratives"
    assert client.get(mine).status_code == 404
    assert client.post(f"{mine}/permitted_purpose", data={"markdown": "x"}).status_code == 404
    assert client.get(_url(world) + "/not_a_prong").status_code == 404
    assert client.get(_url(world, Prong.UNCERTAINTY, "/versions/1")).status_code == 404
    assert client.post(_url(world, Prong.UNCERTAINTY, "/submit")).status_code == 404


def test_the_project_page_links_to_interviews_and_narratives(app, world) -> None:
    client = signed_in_as(app, world.users["Eli Engineer"])
    page = client.get(f"/studies/{world.study.slug}/projects/{world.project.code}").get_data(as_text=True)
    assert f'href="{_url(world)}"' in page
    assert f'href="/studies/{world.study.slug}/projects/{world.project.code}/interviews"' in page
    assert ">Narratives</a>" in client.get(f"/studies/{world.study.slug}/").get_data(as_text=True)

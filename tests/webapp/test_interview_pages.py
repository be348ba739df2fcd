"""Interview pages: start, answer with autosave or the plain form, and every refusal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from narratives.interviews import MAX_ANSWER, answers_by_key, start_interview
from narratives.models import Interview, InterviewAnswer
from studies.models import Role
from tests.conftest import PASSWORD
from tests.narratives.conftest import add_project, build_world

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def world(session, make_user, make_study):
    return build_world(session, make_user, make_study,
                       members={"Eli Engineer": Role.ENGINEER, "Carmen CPA": Role.CPA})


def _base(world) -> str:
    return f"/studies/{world.study.slug}/projects/{world.project.code}/interviews"


def _interview(session, world) -> Interview:
    interview = start_interview(session, world.project, interviewer_id=world.interviewer.id,
                                interviewee_name="Priya Raman", interviewee_role="Staff ML engineer",
                                held_on=dt.date(2025, 11, 4))
    session.commit()
    return interview


def signed_in_as(app, user):
    """A fresh client signed in as ``user`` (sign-in leaves an already signed-in client as it is)."""
    client = app.test_client()
    assert client.post("/sign-in", data={"email": user.email, "password": PASSWORD}).status_code == 302
    return client


def _answers(session) -> int:
    return session.scalar(select(func.count()).select_from(InterviewAnswer))


def test_an_interviewer_starts_an_interview_and_sees_the_tailored_guide(client, sign_in, world) -> None:
    sign_in(world.interviewer)
    response = client.post(_base(world), data={"interviewee_name": "Priya Raman", "held_on": "2025-11-04",
                                               "interviewee_role": "Staff ML engineer"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Interview with Priya Raman" in page
    assert "Which alternatives to off-the-shelf RAG were evaluated" in page
    assert 'name="answer-ain.rag_alternatives"' in page and 'name="quote-ain.rag_alternatives"' in page
    assert "interview_autosave.js" in page and "Nothing saved yet" in page
    listing = client.get(_base(world)).get_data(as_text=True)
    assert "Priya Raman" in listing and 'data-testid="interviews-table"' in listing


def test_empty_names_and_a_future_date_are_refused_next_to_the_fields(client, sign_in, session,
                                                                       world) -> None:
    sign_in(world.interviewer)
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(_base(world), data={"interviewee_name": "  ", "interviewee_role": "Engineer",
                                               "held_on": future})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'data-testid="error-interviewee_name"' in page and "Enter the interviewee" in page
    assert 'data-testid="error-held_on"' in page and "is in the future" in page
    bad_date = client.post(_base(world), data={"interviewee_name": "A", "interviewee_role": "B",
                                               "held_on": "11/04"})
    assert bad_date.status_code == 400 and 'data-testid="error-held_on"' in bad_date.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Interview)) == 0


def test_autosave_saves_one_answer_and_says_when(client, sign_in, session, world) -> None:
    interview = _interview(session, world)
    sign_in(world.interviewer)
    url = f"{_base(world)}/{interview.id}/answer"
    response = client.post(url, json={"question_key": "ain.why_not_rag", "answer": "Recall was 0.68.",
                                      "quote": "It missed paraphrases."})
    assert response.status_code == 200
    assert response.json["question_key"] == "ain.why_not_rag"
    assert dt.datetime.fromisoformat(response.json["saved_at"]).tzinfo is not None
    session.expire_all()
    saved = answers_by_key(session.get(Interview, interview.id))["ain.why_not_rag"]
    assert (saved.answer, saved.quote) == ("Recall was 0.68.", "It missed paraphrases.")
    page = client.get(f"{_base(world)}/{interview.id}").get_data(as_text=True)
    assert "Recall was 0.68." in page and "data-saved-at=" in page


def test_autosave_refuses_bad_input_with_the_field_named(client, sign_in, session, world) -> None:
    interview = _interview(session, world)
    sign_in(world.interviewer)
    url = f"{_base(world)}/{interview.id}/answer"
    too_long = client.post(url, json={"question_key": "pp.component", "answer": "x" * (MAX_ANSWER + 1)})
    assert too_long.status_code == 400
    assert "at most 10,000 fit" in too_long.json["errors"]["answer-pp.component"]
    unknown = client.post(url, json={"question_key": "infra.scaling_limits", "answer": "x"})
    assert unknown.status_code == 400 and "not a question" in unknown.json["error"]
    assert client.post(url, data="not json", content_type="application/json").status_code == 400
    assert client.post(url, json={"question_key": "pp.component", "answer": 5}).status_code == 400
    assert _answers(session) == 0


def test_the_plain_form_saves_all_answers_or_none(client, sign_in, session, world) -> None:
    interview = _interview(session, world)
    sign_in(world.interviewer)
    url = f"{_base(world)}/{interview.id}"
    bad = client.post(url, data={"answer-pp.component": "CiteRAG", "quote-exp.alternatives": "short",
                                 "answer-exp.alternatives": "x" * (MAX_ANSWER + 1)})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Nothing was saved" in page
    assert 'data-error-for="answer-exp.alternatives"' in page
    assert ">CiteRAG</textarea>" in page  # what was typed is kept
    assert _answers(session) == 0
    good = client.post(url, data={"answer-pp.component": "CiteRAG", "quote-pp.component": "It cites."})
    assert good.status_code == 303
    assert "Answers saved at" in client.get(url).get_data(as_text=True)
    assert _answers(session) == 1


def test_an_answer_for_another_studys_interview_is_not_found(client, sign_in, session, world,
                                                             make_study) -> None:
    other_study = make_study(members={world.interviewer: Role.INTERVIEWER})
    other_project = add_project(session, other_study, code="elsewhere")
    session.commit()
    theirs = start_interview(session, other_project, interviewer_id=None, interviewee_name="X",
                             interviewee_role="Y", held_on=dt.date(2025, 1, 1))
    session.commit()
    sign_in(world.interviewer)
    answer = {"question_key": "pp.component", "answer": "sneaky"}
    assert client.post(f"{_base(world)}/{theirs.id}/answer", json=answer).status_code == 404
    assert client.post(f"{_base(world)}/{theirs.id}", data={"answer-pp.component": "x"}).status_code == 404
    assert client.get(f"{_base(world)}/{theirs.id}").status_code == 404
    assert client.get(f"/studies/{world.study.slug}/projects/nope/interviews").status_code == 404
    assert _answers(session) == 0


def test_who_may_read_and_who_may_answer(app, session, world, make_user) -> None:
    interview = _interview(session, world)
    url = f"{_base(world)}/{interview.id}"
    client = signed_in_as(app, world.users["Eli Engineer"])
    page = client.get(url)
    assert page.status_code == 200 and "<textarea" not in page.get_data(as_text=True)
    answer = {"question_key": "pp.component", "answer": "x"}
    assert client.post(f"{url}/answer", json=answer).status_code == 403
    assert client.post(url, data={"answer-pp.component": "x"}).status_code == 403
    assert client.post(_base(world), data={"interviewee_name": "a", "interviewee_role": "b",
                                           "held_on": "2025-01-01"}).status_code == 403
    client = signed_in_as(app, make_user())
    assert client.get(url).status_code == 404
    assert client.get(_base(world)).status_code == 404


def test_typed_script_and_html_are_shown_as_text(app, client, sign_in, session, world) -> None:
    sign_in(world.interviewer)
    started = client.post(_base(world), data={"interviewee_name": SCRIPT, "interviewee_role": IMG,
                                              "held_on": "2025-11-04"})
    url = started.headers["Location"]
    client.post(url, data={"answer-pp.component": "[x](javascript:alert(1)) " + IMG,
                           "quote-pp.component": SCRIPT})
    for page in (client.get(url).get_data(as_text=True), client.get(_base(world)).get_data(as_text=True)):
        assert SCRIPT not in page and IMG not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The read-only view shows the answers as text too.
    page = signed_in_as(app, world.users["Eli Engineer"]).get(url).get_data(as_text=True)
    assert SCRIPT not in page and IMG not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_autosave_needs_the_pages_csrf_token_in_its_header(app, session, world) -> None:
    interview = _interview(session, world)
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    client.post("/sign-in", data={"email": world.interviewer.email, "password": PASSWORD,
                                  "csrf_token": token})
    page = client.get(f"{_base(world)}/{interview.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    url, answer = f"{_base(world)}/{interview.id}/answer", {"question_key": "pp.component", "answer": "x"}
    assert client.post(url, json=answer).status_code == 400
    assert client.post(url, json=answer, headers={"X-CSRFToken": token}).status_code == 200

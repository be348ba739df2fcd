"""Starting interviews and recording answers: all or nothing, and every bad field named."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from narratives.errors import InputError
from narratives.guides import guide_for
from narratives.interviews import (
    MAX_ANSWER,
    MAX_QUOTE,
    AnswerInput,
    answers_by_key,
    find_interview,
    project_interviews,
    record_answers,
    start_interview,
)
from narratives.models import InterviewAnswer, Prong
from tests.narratives.conftest import add_project

TODAY = dt.date(2025, 11, 20)


def _start(session, world, **overrides):
    fields = {"interviewer_id": world.interviewer.id, "interviewee_name": " Priya Raman ",
              "interviewee_role": "Staff ML engineer", "held_on": dt.date(2025, 11, 4), "today": TODAY}
    return start_interview(session, world.project, **{**fields, **overrides})


def test_an_interview_is_started_with_clean_names(backend, session, world) -> None:
    interview = _start(session, world)
    session.commit()
    assert (interview.interviewee_name, interview.study_id) == ("Priya Raman", world.study.id)
    assert project_interviews(session, world.project) == [interview]


def test_empty_names_and_a_future_date_are_each_named(backend, session, world) -> None:
    with pytest.raises(InputError) as caught:
        _start(session, world, interviewee_name="  ", interviewee_role="x" * 201,
               held_on=TODAY + dt.timedelta(days=1))
    assert set(caught.value.errors) == {"interviewee_name", "interviewee_role", "held_on"}
    assert "in the future" in caught.value.errors["held_on"]
    assert "at most 200" in caught.value.errors["interviewee_role"]
    with pytest.raises(InputError, match="held_on: Enter the date"):
        _start(session, world, held_on=None)
    assert project_interviews(session, world.project) == []


def test_answers_are_saved_updated_and_keyed_by_question(backend, session, world) -> None:
    interview = _start(session, world)
    guide = guide_for(world.project.sub_sector)
    record_answers(session, interview, guide, {
        "pp.component": AnswerInput("CiteRAG\r\n", ""),
        "ain.why_not_rag": AnswerInput("Recall too low.", "Off-the-shelf RAG topped out at 0.68."),
    })
    session.commit()
    record_answers(session, interview, guide, {"pp.component": AnswerInput("CiteRAG retrieval", "")})
    session.commit()
    saved = answers_by_key(interview)
    assert saved["pp.component"].answer == "CiteRAG retrieval"
    assert saved["ain.why_not_rag"].prong == Prong.UNCERTAINTY
    assert saved["ain.why_not_rag"].quote == "Off-the-shelf RAG topped out at 0.68."
    count = session.scalar(select(func.count()).select_from(InterviewAnswer)
                           .where(InterviewAnswer.interview_id == interview.id))
    assert count == 2


def test_one_bad_answer_saves_none_and_names_every_bad_field(backend, session, world) -> None:
    interview = _start(session, world)
    session.commit()
    guide = guide_for(world.project.sub_sector)
    with pytest.raises(InputError) as caught:
        record_answers(session, interview, guide, {
            "pp.component": AnswerInput("fine", ""),
            "exp.alternatives": AnswerInput("x" * (MAX_ANSWER + 1), "q" * (MAX_QUOTE + 1)),
            "infra.scaling_limits": AnswerInput("another sub-sector's question", ""),
        })
    assert set(caught.value.errors) == {"answer-exp.alternatives", "quote-exp.alternatives",
                                        "answer-infra.scaling_limits"}
    refused = caught.value.errors["answer-infra.scaling_limits"]
    assert "not a question of this project's interview guide" in refused
    session.rollback()
    assert answers_by_key(interview) == {}


def test_an_interview_is_found_only_through_its_own_project(backend, session, world, make_study) -> None:
    interview = _start(session, world)
    other_study = make_study()
    other_project = add_project(session, other_study, code="citerag")
    sibling = add_project(session, world.study, code="verdict")
    session.commit()
    assert find_interview(session, world.project, interview.id) is interview
    assert find_interview(session, other_project, interview.id) is None
    assert find_interview(session, sibling, interview.id) is None
    assert find_interview(session, world.project, interview.id + 1000) is None

"""Interviews: who was asked, when, and what they answered to the guide's questions.

Every write checks all of its input before it changes anything, so a bad field leaves the
database as it was; the error names each bad field with a message a person can act on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.db import utcnow
from narratives.errors import InputError
from narratives.guides import Guide
from narratives.models import Interview, InterviewAnswer
from studies.models import BusinessComponent

MAX_NAME = 200  # ShortText
MAX_ANSWER = 10_000
MAX_QUOTE = 2_000


@dataclass(frozen=True)
class AnswerInput:
    answer: str
    quote: str = ""


def clean_text(value: str | None) -> str:
    """Line endings made uniform and surrounding blank space dropped: what a person meant to type."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _short_text_error(value: str, label: str) -> str | None:
    if not value:
        return f"Enter the {label}."
    if len(value) > MAX_NAME:
        return f"The {label} is {len(value)} characters long; at most {MAX_NAME} fit."
    if "\n" in value:
        return f"The {label} must fit on one line."
    return None


def interview_errors(name: str, role: str, held_on: dt.date | None, today: dt.date) -> dict[str, str]:
    errors = {field: message for field, message in (
        ("interviewee_name", _short_text_error(name, "interviewee's name")),
        ("interviewee_role", _short_text_error(role, "interviewee's role")),
    ) if message}
    if held_on is None:
        errors["held_on"] = "Enter the date the interview was held (YYYY-MM-DD)."
    elif held_on > today:
        errors["held_on"] = f"{held_on.isoformat()} is in the future; record an interview once it was held."
    return errors


def start_interview(session: Session, project: BusinessComponent, *, interviewer_id: int | None,
                    interviewee_name: str, interviewee_role: str, held_on: dt.date | None,
                    today: dt.date | None = None) -> Interview:
    name, role = clean_text(interviewee_name), clean_text(interviewee_role)
    errors = interview_errors(name, role, held_on, today or utcnow().date())
    if errors:
        raise InputError(errors)
    assert held_on is not None
    interview = Interview(study_id=project.study_id, project_id=project.id, interviewer_id=interviewer_id,
                          interviewee_name=name, interviewee_role=role, held_on=held_on)
    session.add(interview)
    session.flush()
    return interview


def find_interview(session: Session, project: BusinessComponent, interview_id: int) -> Interview | None:
    """The interview, only if it belongs to this project (and so to this project's study)."""
    interview = session.get(Interview, interview_id)
    if interview is None or interview.project_id != project.id or interview.study_id != project.study_id:
        return None
    return interview


def project_interviews(session: Session, project: BusinessComponent) -> list[Interview]:
    """The project's interviews, oldest first, with their answers loaded."""
    query = (select(Interview)
             .where(Interview.project_id == project.id, Interview.study_id == project.study_id)
             .options(selectinload(Interview.answers), selectinload(Interview.interviewer))
             .order_by(Interview.held_on, Interview.id))
    return list(session.scalars(query))


def answers_by_key(interview: Interview) -> dict[str, InterviewAnswer]:
    return {answer.question_key: answer for answer in interview.answers}


def _answer_errors(guide: Guide, key: str, given: AnswerInput) -> dict[str, str]:
    if guide.question(key) is None:
        return {f"answer-{key}": f"{key!r} is not a question of this project's interview guide."}
    errors = {}
    if len(given.answer) > MAX_ANSWER:
        errors[f"answer-{key}"] = (f"The answer is {len(given.answer):,} characters long; at most "
                                   f"{MAX_ANSWER:,} fit. Split it, or upload the notes as evidence.")
    if len(given.quote) > MAX_QUOTE:
        errors[f"quote-{key}"] = (f"The quote is {len(given.quote):,} characters long; at most "
                                  f"{MAX_QUOTE:,} fit. Quote the key sentences only.")
    return errors


def record_answers(session: Session, interview: Interview, guide: Guide,
                   given: Mapping[str, AnswerInput]) -> list[InterviewAnswer]:
    """Save answers by question key: all of them, or none if any is bad.

    Field names in errors are ``answer-<key>`` and ``quote-<key>``, as the interview form names them.
    """
    cleaned = {key: AnswerInput(clean_text(value.answer), clean_text(value.quote))
               for key, value in given.items()}
    errors: dict[str, str] = {}
    for key, value in cleaned.items():
        errors.update(_answer_errors(guide, key, value))
    if errors:
        raise InputError(errors)
    existing = answers_by_key(interview)
    saved = []
    for key, value in cleaned.items():
        answer = existing.get(key)
        if answer is None:
            question = guide.question(key)
            assert question is not None
            answer = InterviewAnswer(study_id=interview.study_id, interview=interview, question_key=key,
                                     prong=question.prong)
            session.add(answer)
        if answer.answer != value.answer or answer.quote != value.quote:
            answer.answer, answer.quote = value.answer, value.quote
            answer.updated_at = utcnow()
        saved.append(answer)
    session.flush()
    return saved

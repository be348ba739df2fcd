"""Drafts cite accepted evidence as exhibits, quote people by name, and write TODOs for gaps."""

from __future__ import annotations

import datetime as dt

from narratives.drafting import draft_all, gather_facts
from narratives.guides import guide_for
from narratives.interviews import AnswerInput, record_answers, start_interview
from narratives.models import Prong
from studies.models import Role
from tests.narratives.conftest import add_project


def _interview(session, world) -> None:
    interview = start_interview(session, world.project, interviewer_id=world.interviewer.id,
                                interviewee_name="Priya Raman", interviewee_role="Staff ML engineer",
                                held_on=dt.date(2025, 11, 4))
    record_answers(session, interview, guide_for(world.project.sub_sector), {
        "ain.rag_alternatives": AnswerInput("Dense only, hybrid RRF and ColBERT.",
                                            "Dense alone missed statute cites.\nHybrid fixed it."),
        "pp.component": AnswerInput("", "CiteRAG answers with citations."),
    })
    session.commit()


def test_drafts_cite_accepted_exhibits_on_their_prong_only(backend, session, world) -> None:
    drafts = draft_all(gather_facts(session, world.project))
    adr, runs, rejected = (world.artifacts[k].id for k in ("adr", "runs", "rejected"))
    uncertainty, experimentation = drafts[Prong.UNCERTAINTY], drafts[Prong.EXPERIMENTATION]
    assert f"[EX-{adr}](exhibit:{adr}): decision record 'Use hybrid retrieval'" in uncertainty
    assert "identified 2025-01-10: Whether any retrieval design" in uncertainty
    assert f"**Dense only**: failed, 2025-01-20 to 2025-02-28. Evidence: [EX-{runs}](exhibit:{runs})." \
        in experimentation
    assert f"exhibit:{adr}" not in experimentation
    assert all(f"exhibit:{rejected}" not in text for text in drafts.values())


def test_drafts_state_failures_outcomes_and_metrics(backend, session, world) -> None:
    text = draft_all(gather_facts(session, world.project))[Prong.EXPERIMENTATION]
    assert "**Alternatives that did not succeed:** Dense only (failed); ColBERT (abandoned)." in text
    assert "Metrics: recall@10 = 0.61" in text
    assert "TODO: record the hypothesis of 'ColBERT'." in text
    assert "TODO: record when 'ColBERT' started and ended." in text
    resolved = draft_all(gather_facts(session, world.project))[Prong.UNCERTAINTY]
    assert "Resolved by: Hybrid RRF (ended 2025-05-01); 3 alternatives recorded." in resolved


def test_answers_and_quotes_are_attributed_by_name_role_and_date(backend, session, world) -> None:
    _interview(session, world)
    drafts = draft_all(gather_facts(session, world.project))
    text = drafts[Prong.EXPERIMENTATION]
    assert "Dense only, hybrid RRF and ColBERT." in text
    assert "*(Priya Raman, Staff ML engineer, interviewed 2025-11-04.)*" in text
    assert "> \u201cDense alone missed statute cites.\n> Hybrid fixed it.\u201d" in text
    assert "> \u2014 Priya Raman, Staff ML engineer, interviewed 2025-11-04" in text
    assert "TODO: ask \u201cWhich prompt changes were evaluated systematically" in text
    assert "Drafted by Fourpart from 1 interview and the project record" in text
    assert "> \u201cCiteRAG answers with citations.\u201d" in drafts[Prong.PERMITTED_PURPOSE]


def test_a_bare_project_gets_todos_instead_of_invented_facts(backend, session, make_study, make_user) -> None:
    study = make_study(members={make_user(): Role.INTERVIEWER})
    project = add_project(session, study, code="bare", sub_sector="fine_tuning", name="Bare project")
    session.commit()
    drafts = draft_all(gather_facts(session, project))
    assert "TODO: record the project's start and end dates." in drafts[Prong.PERMITTED_PURPOSE]
    assert "TODO: describe the business component" in drafts[Prong.PERMITTED_PURPOSE]
    assert "TODO: record the qualifying engineering layer" in drafts[Prong.TECHNOLOGICAL]
    assert "TODO: record the technical uncertainty" in drafts[Prong.UNCERTAINTY]
    assert "TODO: record the alternatives evaluated" in drafts[Prong.EXPERIMENTATION]
    assert "TODO: ask \u201cWhy was a published fine-tuning recipe" in drafts[Prong.UNCERTAINTY]
    for prong, text in drafts.items():
        assert "exhibit:" not in text
        assert "TODO: link and accept evidence" in text, prong
        assert "TODO: interview the people who did the work" in text


def test_drafting_is_deterministic(backend, session, world) -> None:
    _interview(session, world)
    first = draft_all(gather_facts(session, world.project))
    assert draft_all(gather_facts(session, world.project)) == first


def test_the_line_between_layers_is_stated(backend, session, world) -> None:
    text = draft_all(gather_facts(session, world.project))[Prong.TECHNOLOGICAL]
    assert "**Engineered by the company (claimed):**" in text
    assert "- Hybrid retrieval: Custom retrieval evaluated against a recall bar." in text
    assert "- Answer generation (OpenAI \u00b7 GPT-4.1 (API))" in text
    assert "TODO: record the qualifying engineering layer" not in text


def test_removed_evidence_and_suggested_links_are_not_cited(backend, session, world) -> None:
    from core.db import utcnow
    from evidence.models import LinkStatus
    from tests.narratives.conftest import add_artifact, link

    suggested = add_artifact(session, world.study, "Only suggested")
    link(session, suggested, "project", world.project.id, status=LinkStatus.SUGGESTED)
    world.artifacts["runs"].removed_at = utcnow()
    session.commit()
    drafts = draft_all(gather_facts(session, world.project))
    runs = world.artifacts["runs"].id
    for text in drafts.values():
        assert f"exhibit:{runs})" not in text and f"exhibit:{suggested.id})" not in text
    assert f"exhibit:{world.artifacts['adr'].id})" in drafts[Prong.UNCERTAINTY]

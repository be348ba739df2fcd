"""The demo's guided interviews, and the narratives drafted from them, reviewed and approved.

The interviewer talks to each qualifying project's technical lead, drafts the four prong
narratives from the answers and the linked evidence, and sends them for review; the admin,
a second person, approves them. QuickBrief, a wrapper the layers exclude, gets no narrative.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from narratives.drafting import TODO
from narratives.drafts import refresh_drafts
from narratives.guides import guide_for
from narratives.interviews import AnswerInput, record_answers, start_interview
from narratives.models import Narrative
from narratives.versions import approve, latest_version, project_narratives, save_version, send_for_review
from studies.models import BusinessComponent
from webapp.demo.company import PEOPLE_BY_KEY

A = AnswerInput

INTERVIEWS: dict[str, tuple[str, dt.date, dict[str, AnswerInput]]] = {
    "citerag": ("priya", dt.date(2026, 1, 20), {
        "pp.component": A("CiteRAG, the retrieval layer behind Lexbridge's cited legal answers."),
        "pp.improvement": A("Recall@10 on statute citations of at least 0.85 within a 300 ms p95 latency "
                            "budget; BM25 reached 0.74.",
                            "Without 0.85 on statutes the answers cite the wrong section."),
        "tech.principles": A("Information retrieval (BM25, dense embeddings, rank fusion), learning to rank "
                             "and evaluation statistics."),
        "tech.third_party": A("OpenAI's model writes the answer from the passages CiteRAG retrieves; the "
                              "retrieval, fusion and re-ranking are ours."),
        "unc.unknown_at_start": A("Whether any retrieval design could reach the statute recall bar inside "
                                  "the latency and index-size budget."),
        "unc.when_identified": A("January 2025, in the retrieval design review; written up in ADR 0002."),
        "exp.alternatives": A("BM25 alone, dense only, hybrid with reciprocal-rank fusion and ColBERT late "
                              "interaction."),
        "exp.failures": A("Dense only failed the statute bar; ColBERT was abandoned when the full index "
                          "could not be loaded.", "The ColBERT index was 38 times the BM25 index."),
        "exp.records": A("MLflow experiment citerag-retrieval, the retrieval ablation workbook and ADRs "
                         "0002 to 0005."),
    }),
    "verdict": ("hannah", dt.date(2026, 1, 22), {
        "pp.component": A("Verdict, the harness that scores generated legal answers before release."),
        "pp.improvement": A("An automatic faithfulness score agreeing with practising lawyers at Cohen's "
                            "kappa 0.6 or better, so that releases can be gated on it."),
        "tech.principles": A("Natural language inference, inter-rater agreement statistics and evaluation "
                             "design."),
        "tech.third_party": A("Anthropic's and OpenAI's models were tried as judges, one alternative among "
                              "three; the NLI scorer we shipped is our own."),
        "unc.unknown_at_start": A("Whether any automatic scorer could agree with lawyers on faithfulness."),
        "unc.when_identified": A("End of January 2025, when the first lawyer review disagreed with the "
                                 "exact-match checker."),
        "exp.alternatives": A("Exact-match citation checking, an LLM judge, and an NLI faithfulness scorer."),
        "exp.failures": A("Exact match missed short-form citations; the LLM judge changed its scores when "
                          "the vendor updated the model.", "Same prompt, different scores a week later."),
        "exp.records": A("MLflow experiment verdict-faithfulness and the CodeX agreement study batches."),
    }),
    "forge": ("kwame", dt.date(2026, 1, 27), {
        "pp.component": A("Forge, the multi-node fine-tuning stack for the 7B citation-aware re-ranker."),
        "pp.improvement": A("Fine-tune a 7B re-ranker on 8xA100-40GB nodes at 2.5k tokens/s/node "
                            "or more."),
        "tech.principles": A("Distributed systems and memory optimization: sharded data parallelism, "
                             "optimizer offload, pipeline scheduling."),
        "tech.third_party": A("PyTorch FSDP and DeepSpeed are libraries; no vendor model is involved."),
        "unc.unknown_at_start": A("Which parallelism strategy would fit the optimizer state of a 7B model in "
                                  "host and device memory at usable throughput."),
        "unc.when_identified": A("April 2025, before the first 7B run; the write-up came later, in "
                                 "November."),
        "exp.alternatives": A("FSDP with activation checkpointing, ZeRO-3 with CPU offload, and a 4-stage "
                              "pipeline."),
        "exp.failures": A("ZeRO-3 ran out of host memory during the optimizer step; the pipeline was killed "
                          "at a 38% bubble."),
        "exp.records": A("MLflow experiment forge-parallelism and ADR 0004."),
    }),
}


def _projects(session: Session, study_id: int) -> dict[str, BusinessComponent]:
    return {p.code: p for p in session.scalars(
        select(BusinessComponent).where(BusinessComponent.study_id == study_id))}


def record_demo_interviews(session: Session, study_id: int, *, interviewer_id: int) -> None:
    """Interview each lead, draft the four narratives, and send them for review."""
    projects = _projects(session, study_id)
    for code, (person_key, held_on, answers) in INTERVIEWS.items():
        project = projects[code]
        person = PEOPLE_BY_KEY[person_key]
        interview = start_interview(session, project, interviewer_id=interviewer_id,
                                    interviewee_name=person.full_name, interviewee_role=person.title,
                                    held_on=held_on)
        record_answers(session, interview, guide_for(project.sub_sector), answers)
        refresh_drafts(session, project, author_id=interviewer_id)
        for narrative in project_narratives(session, project).values():
            _edit(session, narrative, interviewer_id)
            send_for_review(session, narrative, user_id=interviewer_id)


def _edit(session: Session, narrative: Narrative, author_id: int) -> None:
    """What the interviewer does to a draft before review: take out the prompts left open."""
    latest = latest_version(narrative)
    assert latest is not None
    kept = [line for line in latest.markdown.splitlines() if not line.lstrip("- ").startswith(TODO)]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip() + "\n"
    if text != latest.markdown:
        save_version(session, narrative, text, author_id=author_id,
                     note="Took out the guide prompts this interview did not need.")


def approve_demo_narratives(session: Session, study_id: int, *, approver_id: int) -> None:
    for code in INTERVIEWS:
        for narrative in project_narratives(session, _projects(session, study_id)[code]).values():
            approve(session, narrative, user_id=approver_id)

"""The demo CPA measures each project's activities for the "substantially all" test.

The story the figures tell (hours from Lexbridge's 2025 time survey, costs from W-2 wages):
CiteRAG as a whole falls below 80%, because wiring the vendor's answer model and the citation
display are routine, so the shrinking-back rule claims the custom retrieval layer above GPT-4.1;
Verdict passes on a cost basis, its lines proposed from the wage allocations and confirmed; Forge
passes on hours; QuickBrief, a wrapper, has no experimentation at all and fails (its wage
allocation stays charged: the readiness check still flags it).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from studies.activities import (
    ActivityInput,
    add_activity,
    confirm_activity,
    propose_from_allocations,
    set_basis,
)
from studies.models import BusinessComponent, Study

SURVEY = "2025 time survey"


@dataclass(frozen=True)
class Line:
    label: str
    measure: int
    experimentation: bool
    layer: str | None
    source: str = SURVEY


RETRIEVAL = "Hybrid retrieval, query decomposition and citation-aware re-ranking"
FSDP = "Multi-node FSDP fine-tuning stack"
SCORER = "Faithfulness scorer and lawyer agreement study"

BASES = {"citerag": "hours", "verdict": "cost", "forge": "hours", "quickbrief": "hours"}
# Cost-basis projects whose wage lines are proposed from the allocations, then confirmed.
PROPOSED = ("verdict",)

LINES: dict[str, tuple[Line, ...]] = {
    "citerag": (
        Line("Retrieval alternatives: BM25, dense, hybrid fusion, ColBERT (runs and ablations)", 2300, True,
             RETRIEVAL),
        Line("Cross-encoder and citation-aware re-ranking experiments", 1100, True, RETRIEVAL),
        Line("Query decomposition design and evaluation", 500, True, RETRIEVAL),
        Line("Index builds and retrieval service deployment", 450, False, RETRIEVAL),
        Line("Prompt wiring and response formatting for GPT-4.1", 1150, False, "Answer generation"),
        Line("Citation display in the product UI", 300, False, None),
    ),
    "verdict": (
        Line("Stanford Law CodeX: lawyer agreement study", 40000, True, SCORER, "CodeX statement of work"),
        Line("ClearMark: routine citation labeling", 61000, False, "Routine citation labeling (ClearMark)",
             "ClearMark invoices"),
    ),
    "forge": (
        Line("Parallelism alternatives: FSDP, ZeRO-3 with offload, pipeline (training runs)", 1900, True,
             FSDP),
        Line("Memory and throughput profiling of the 7B re-ranker", 800, True, FSDP),
        Line("Tensorlane: FSDP and DeepSpeed experiments", 600, True, FSDP, "Tensorlane timesheets"),
        Line("GPU cluster provisioning and job scheduling", 420, False, None),
    ),
    "quickbrief": (
        Line("Endpoint passing the contract to the OpenAI API", 900, False, "Pure API wrapper"),
        Line("Prompt template and summary formatting", 350, False, "Contract summary"),
    ),
}


def measure_demo_activities(session: Session, study: Study, *, user_id: int) -> None:
    for project in study.projects:
        if project.code not in BASES:
            continue
        set_basis(project, BASES[project.code])
        if project.code in PROPOSED:
            for proposed in propose_from_allocations(session, project):
                confirm_activity(proposed, user_id=user_id)
        for line in LINES.get(project.code, ()):
            add_activity(session, project, _input(project, line), user_id=user_id)
    session.flush()


def _input(project: BusinessComponent, line: Line) -> ActivityInput:
    layers = {layer.name: layer.id for layer in project.layers}
    layer_id = layers[line.layer] if line.layer is not None else None
    return ActivityInput(line.label, str(line.measure), line.experimentation, layer_id, line.source)

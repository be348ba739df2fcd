"""The parts of the demo study that are judgement, not company facts: uncertainty
statements with their dates, the line between layers, and prior-year QREs.

The experiments of a project resolve its first uncertainty. Planted on purpose, for the
readiness checks to find: Forge's uncertainty was written up in November, after the
experiments that resolved it, and QuickBrief (a thin API wrapper) has no uncertainty.
"""

from __future__ import annotations

import datetime as dt

D = dt.date

PRIOR_QRES = {2022: 610_000, 2023: 1_240_000, 2024: 1_880_000}

UNCERTAINTIES: dict[str, tuple[tuple[str, str, dt.date], ...]] = {
    "citerag": (
        ("capability", "Whether any retrieval design could reach recall@10 of 0.85 on statute "
         "citations, needed for cited answers, within a 300 ms p95 latency budget.", D(2025, 1, 10)),
        ("appropriate_design", "Which fusion of sparse and dense rankings keeps citation order "
         "stable when the query mixes statutes and cases.", D(2025, 2, 20)),
    ),
    "verdict": (
        ("method", "Whether an automatic scorer could agree with practising lawyers on the "
         "faithfulness of an answer to its cited authority (target Cohen's kappa 0.6).", D(2025, 1, 30)),
    ),
    "forge": (
        ("method", "Which parallelism strategy (FSDP, ZeRO-3 with offload, pipeline) fits a 7B "
         "re-ranker's optimizer state in host and device memory at 2.5k tokens/s/node or more.",
         D(2025, 11, 3)),
    ),
}

# What each qualifying project set out to improve (the permitted purpose, §41(d)(3)).
PURPOSES: dict[str, str] = {
    "citerag": "Cited legal answers: statute-citation recall@10 of at least 0.85 within a 300 ms p95 "
               "latency budget, up from BM25's 0.74.",
    "verdict": "Release gating on answer faithfulness: an automatic scorer agreeing with practising "
               "lawyers at Cohen's kappa 0.6 or better.",
    "forge": "Fine-tuning the 7B citation-aware re-ranker in house on 8xA100-40GB nodes at 2.5k "
             "tokens/s/node or more.",
}

# The alternatives that resolved a project's later uncertainties: (uncertainty index, name,
# outcome, note, start, end). The first uncertainty's come from the company's project record.
LATER_EXPERIMENTS: dict[str, tuple[tuple[int, str, str, str, dt.date, dt.date], ...]] = {
    "citerag": (
        (1, "Cross-encoder re-ranking after fusion", "failed",
         "Re-ordered statutes and cases without regard to the cited authority.",
         D(2025, 5, 5), D(2025, 6, 6)),
        (1, "Citation-aware re-ranking after fusion", "succeeded",
         "Kept citation order stable on mixed queries.", D(2025, 6, 9), D(2025, 9, 12)),
    ),
}

LAYERS: dict[str, tuple[tuple[str, str, str | None, str | None, str], ...]] = {
    "citerag": (
        ("qualifying_engineering", "Hybrid retrieval, query decomposition and citation-aware "
         "re-ranking", None, None, "Custom retrieval engineered and evaluated against a recall bar."),
        ("third_party_model", "Answer generation", "OpenAI", "GPT-4.1 (API)",
         "The vendor's model is called as shipped; its research is the vendor's."),
    ),
    "verdict": (
        ("qualifying_engineering", "Faithfulness scorer and lawyer agreement study", None, None,
         "A new evaluation method validated against lawyers."),
        ("third_party_model", "LLM-as-judge alternative", "Anthropic", "Claude (API)",
         "Used only as one evaluated alternative."),
        ("excluded_activity", "Routine citation labeling (ClearMark)", None, None,
         "Labeling against existing guidelines is routine data collection."),
    ),
    "forge": (
        ("qualifying_engineering", "Multi-node FSDP fine-tuning stack", None, None,
         "Parallelism strategy evaluated under memory and throughput uncertainty."),
    ),
    "quickbrief": (
        ("third_party_model", "Contract summary", "OpenAI", "GPT-4.1 (API)",
         "The whole behaviour is the vendor model's."),
        ("excluded_activity", "Pure API wrapper", None, None,
         "Passes the contract to the API and returns the answer; no custom retrieval, "
         "evaluation or orchestration."),
    ),
}


def experiment_dates(start: dt.date, end: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """Consecutive, overlapping windows across the first three quarters of a project."""
    if count == 0:
        return []
    span = (end - start).days * 3 // 4
    step = max(span // count, 7)
    return [(start + dt.timedelta(days=14 + i * step),
             start + dt.timedelta(days=14 + i * step + step + 10)) for i in range(count)]

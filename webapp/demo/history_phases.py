"""Phases of everyday work per project: date windows, files touched, message templates.

A template may end in ``|path`` to name the file it mostly touches; ``{slot}``
placeholders are filled by :func:`fill_message`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Phase:
    project: str
    start: date
    end: date
    count: int
    files: tuple[str, ...]
    messages: tuple[str, ...]


_CITE_FORMS = (
    "short-form id. cites",
    "supra references",
    "parallel cites",
    "pin cites",
    "U.S.C. ranges (§§ 1981-1988)",
    "C.F.R. parts",
    "state reporter cites",
    "en dash ranges",
)
_REPORTERS = ("F.3d", "F. Supp. 3d", "S. Ct.", "L. Ed. 2d", "Cal. App. 5th", "N.Y.S.3d", "A.3d")

_SLOTS: dict[str, Callable[[random.Random], str]] = {
    "k1": lambda r: f"{r.choice((0.9, 1.2, 1.5, 1.8))}",
    "b": lambda r: f"{r.choice((0.5, 0.65, 0.75, 0.9))}",
    "kk": lambda r: str(r.choice((5, 10, 20, 100))),
    "v": lambda r: str(r.choice((2, 3))),
    "n": lambda r: f"{r.randint(2, 40)}",
    "nq": lambda r: f"{r.choice((1204, 2890, 4094, 612))}",
    "citeform": lambda r: r.choice(_CITE_FORMS),
    "low": lambda r: f"{r.uniform(0.43, 0.50):.3f}",
    "m": lambda r: str(r.choice((16, 32, 48))),
    "ef": lambda r: str(r.choice((64, 128, 256))),
    "chunk": lambda r: str(r.choice((256, 384, 512))),
    "overlap": lambda r: str(r.choice((32, 64, 128))),
    "k": lambda r: str(r.choice((10, 30, 60, 100))),
    "llm": lambda r: r.choice(("claude-3-5-haiku", "gpt-4o-mini", "claude-3-5-sonnet")),
    "topn": lambda r: str(r.choice((50, 100, 200))),
    "ndcg": lambda r: f"{r.uniform(0.60, 0.70):.3f}",
    "recall": lambda r: f"{r.uniform(0.74, 0.81):.3f}",
    "ms": lambda r: str(r.randint(38, 140)),
    "reporter": lambda r: r.choice(_REPORTERS),
    "kappa": lambda r: f"{r.uniform(0.52, 0.74):.2f}",
    "judge": lambda r: r.choice(("gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet")),
    "thr": lambda r: f"{r.choice((0.6, 0.65, 0.7, 0.75))}",
    "mb": lambda r: str(r.choice((1, 2, 4, 8))),
    "tps": lambda r: f"{r.randint(2600, 3300):,}",
    "nodes": lambda r: str(r.choice((2, 4))),
    "batchno": lambda r: str(r.randint(1, 8)),
    "pages": lambda r: str(r.choice((40, 60, 80, 120))),
    "vendor": lambda r: r.choice(("openai", "anthropic")),
    "project_dir": lambda r: r.choice(("citerag", "verdict", "forge", "quickbrief", "common")),
    "hybrid_recall": lambda r: f"{r.uniform(0.741, 0.755):.3f}",
    "hybrid_ms": lambda r: str(r.randint(58, 74)),
    "study_kappa": lambda r: f"{r.uniform(0.70, 0.75):.2f}",
    "issue": lambda r: str(r.randint(40, 260)),
    "pct": lambda r: str(r.randint(8, 35)),
}


class _Slots(dict[str, str]):
    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self._rng = rng

    def __missing__(self, key: str) -> str:
        value = _SLOTS[key](self._rng)
        self[key] = value
        return value


def fill_message(template: str, rng: random.Random, project: str) -> tuple[str, str | None]:
    """The filled message and the file it names; ``|path`` is project-relative unless tests/ or docs/."""
    text, _, hint = template.partition("|")
    if hint and not hint.startswith(("tests/", "docs/")):
        hint = f"{project}/{hint}"
    return text.format_map(_Slots(rng)), hint or None


def _citerag() -> tuple[Phase, ...]:
    base = (
        "citerag/corpus.py",
        "citerag/bm25_index.py",
        "citerag/citations/parser.py",
        "citerag/eval/run_retrieval_eval.py",
        "citerag/eval/datasets.py",
        "tests/citerag/test_parser.py",
        "tests/citerag/test_bm25_index.py",
    )
    dense = (*base, "citerag/dense_index.py", "citerag/embeddings.py", "tests/citerag/test_dense_index.py")
    hybrid = (
        *dense,
        "citerag/fusion.py",
        "citerag/hybrid.py",
        "tests/citerag/test_fusion.py",
        "docs/citerag/retrieval.md",
    )
    rerank = (
        *hybrid,
        "citerag/query_decomposition.py",
        "citerag/rerank/citation_cross_encoder.py",
        "citerag/rerank/hard_negatives.py",
        "tests/citerag/test_rerank.py",
    )
    return (
        Phase(
            "citerag",
            date(2025, 1, 13),
            date(2025, 2, 7),
            42,
            base,
            (
                "citerag: bm25 baseline over case law corpus (rank-bm25)|bm25_index.py",
                "citerag: tokenize statute sections so § survives|bm25_index.py",
                "citerag: eval harness for recall@{kk} / ndcg@10|eval/run_retrieval_eval.py",
                "citerag: tune bm25 k1={k1} b={b}|bm25_index.py",
                "citerag: citation parser handles {citeform}|citations/parser.py",
                "citerag: load dev split v{v} ({nq} queries)|eval/datasets.py",
                "fix(citerag): off-by-one in passage offsets|corpus.py",
                "test(citerag): cover citation parser edge cases|tests/citerag/test_parser.py",
                "citerag: passage store reads opinions in chunks of {chunk} tokens|corpus.py",
                "citerag: log bm25 eval to mlflow|eval/run_retrieval_eval.py",
                "citerag: strip headnotes before indexing|corpus.py",
                "wip: parser",
            ),
        ),
        Phase(
            "citerag",
            date(2025, 2, 3),
            date(2025, 3, 3),
            40,
            dense,
            (
                "citerag: dense retriever with e5-large-v2 embeddings|dense_index.py",
                "citerag: faiss HNSW index for dense passages (M={m}, efSearch={ef})|dense_index.py",
                "citerag: dense-only eval, statute recall@10 {low} (bm25 0.684)|eval/run_retrieval_eval.py",
                "citerag: try bge-large legal fine-tune for dense retriever|embeddings.py",
                "citerag: chunk passages at {chunk} tokens with {overlap} overlap|embeddings.py",
                "citerag: dense retriever confuses adjacent sections (§ 1983 vs § 1988)|dense_index.py",
                "citerag: cache embeddings on disk between eval runs|embeddings.py",
                "test(citerag): dense index round trip|tests/citerag/test_dense_index.py",
                "citerag: per-query error dump for dense misses|eval/run_retrieval_eval.py",
            ),
        ),
        Phase(
            "citerag",
            date(2025, 3, 5),
            date(2025, 4, 30),
            52,
            hybrid,
            (
                "citerag: sweep rrf k in (10, 30, 60, 100)|fusion.py",
                "citerag: cache bm25 + dense candidates per query for ablations|hybrid.py",
                "citerag: hybrid retriever behind feature flag|hybrid.py",
                "citerag: dedupe fused candidates by opinion id|fusion.py",
                "citerag: hybrid eval, statute recall@10 {hybrid_recall}|eval/run_retrieval_eval.py",
                "citerag: weight bm25 list higher for statute-shaped queries|hybrid.py",
                "docs(citerag): retrieval pipeline notes|docs/citerag/retrieval.md",
                "perf(citerag): parallel bm25 and dense lookups, p95 {hybrid_ms}ms|hybrid.py",
                "test(citerag): rrf ties and empty lists|tests/citerag/test_fusion.py",
                "fix(citerag): rrf k read from config, not hardcoded|fusion.py",
            ),
        ),
        Phase(
            "citerag",
            date(2025, 5, 1),
            date(2025, 7, 15),
            72,
            rerank,
            (
                "citerag: query decomposition for multi-issue questions|query_decomposition.py",
                "citerag: decompose queries with {llm} and fuse sub-query rankings|query_decomposition.py",
                "citerag: citation-aware cross-encoder (top {topn})|rerank/citation_cross_encoder.py",
                "citerag: hard negatives from passages citing the same authority|rerank/hard_negatives.py",
                "citerag: rerank eval on dev v3, ndcg@10 {ndcg}|eval/run_retrieval_eval.py",
                "citerag: reranker training pairs from citing sentences|rerank/hard_negatives.py",
                "citerag: use the full query when decomposition yields 1 part|query_decomposition.py",
                "test(citerag): cited authority ranks above citing opinions|tests/citerag/test_rerank.py",
                "fix(citerag): hard negatives leaked gold passages|rerank/hard_negatives.py",
                "citerag: ablation table export for rerank variants|eval/run_retrieval_eval.py",
                "citerag: address review comments",
            ),
        ),
        Phase(
            "citerag",
            date(2025, 7, 16),
            date(2025, 10, 31),
            58,
            rerank,
            (
                "perf(citerag): batch reranker inference, p95 {ms}ms|rerank/citation_cross_encoder.py",
                "citerag: rerank v2 with 7B re-ranker from forge|rerank/citation_cross_encoder.py",
                "citerag: regression test against golden citations|tests/citerag/test_rerank.py",
                "citerag: nightly index rebuild for new opinions|corpus.py",
                "fix(citerag): statute amendments indexed twice|corpus.py",
                "citerag: recall@10 {recall} on dev v3 after rerank v2|eval/run_retrieval_eval.py",
                "docs(citerag): known failure modes|docs/citerag/retrieval.md",
                "citerag: drop unused colbert flags|hybrid.py",
                "chore(citerag): tidy imports",
            ),
        ),
    )


def _verdict() -> tuple[Phase, ...]:
    exact = (
        "verdict/citation_check.py",
        "verdict/normalize.py",
        "verdict/harness.py",
        "tests/verdict/test_citation_check.py",
    )
    judge = (*exact, "verdict/llm_judge.py", "verdict/prompts.py", "tests/verdict/test_llm_judge.py")
    nli = (*judge, "verdict/nli_scorer.py", "verdict/claims.py", "tests/verdict/test_nli_scorer.py")
    study = (
        *nli,
        "verdict/agreement.py",
        "verdict/release_gate.py",
        "docs/verdict/scoring.md",
        "tests/verdict/test_agreement.py",
    )
    return (
        Phase(
            "verdict",
            date(2025, 2, 3),
            date(2025, 3, 14),
            30,
            exact,
            (
                "verdict: exact-match citation check against retrieved set|citation_check.py",
                "verdict: normalize reporter abbreviations ({reporter})|normalize.py",
                "verdict: exact-match misses short-form cites (id., supra)|citation_check.py",
                "verdict: harness runs answers from a jsonl dump|harness.py",
                "test(verdict): citation normalizer cases|tests/verdict/test_citation_check.py",
                "verdict: report citation precision per practice area|harness.py",
            ),
        ),
        Phase(
            "verdict",
            date(2025, 3, 10),
            date(2025, 5, 2),
            38,
            judge,
            (
                "verdict: LLM-as-judge faithfulness prompt v{v}|prompts.py",
                "verdict: judge with {judge}, temperature 0|llm_judge.py",
                "verdict: judge scores drift between prompt versions, kappa {kappa}|llm_judge.py",
                "verdict: cache judge responses keyed by prompt hash|llm_judge.py",
                "verdict: retry judge calls on 429 with backoff|llm_judge.py",
                "verdict: run judge through openai batch api|llm_judge.py",
                "test(verdict): judge output parser|tests/verdict/test_llm_judge.py",
            ),
        ),
        Phase(
            "verdict",
            date(2025, 5, 22),
            date(2025, 6, 30),
            32,
            nli,
            (
                "verdict: sentence-level claim splitting for NLI|claims.py",
                "verdict: aggregate entailment over cited passages (max vs mean)|nli_scorer.py",
                "verdict: NLI scorer threshold {thr}|nli_scorer.py",
                "verdict: batch NLI on GPU in eval job|nli_scorer.py",
                "fix(verdict): claims lost trailing citations|claims.py",
                "test(verdict): NLI scorer on paraphrased holdings|tests/verdict/test_nli_scorer.py",
            ),
        ),
        Phase(
            "verdict",
            date(2025, 6, 16),
            date(2025, 9, 30),
            52,
            study,
            (
                "verdict: export 2,400 answers for CodeX agreement study|agreement.py",
                "verdict: cohen's kappa per lawyer pair|agreement.py",
                "verdict: gate release on faithfulness >= {thr}|release_gate.py",
                "verdict: agreement report for study batch {batchno}|agreement.py",
                "verdict: scorer vs lawyer majority, kappa {study_kappa}|agreement.py",
                "docs(verdict): scoring and agreement study|docs/verdict/scoring.md",
                "fix(verdict): duplicate answers in study export|agreement.py",
                "test(verdict): kappa on toy raters|tests/verdict/test_agreement.py",
            ),
        ),
    )


def _forge() -> tuple[Phase, ...]:
    fsdp = (
        "forge/train.py",
        "forge/fsdp_wrap.py",
        "forge/data.py",
        "forge/configs/fsdp_1p3b.yaml",
        "tests/forge/test_data.py",
    )
    zero = (*fsdp, "forge/deepspeed_launcher.py", "forge/configs/zero3_1p3b.yaml")
    pipe = (*zero, "forge/pipeline.py", "forge/configs/pipeline_7b.yaml")
    prod = (
        *pipe,
        "forge/checkpointing.py",
        "forge/configs/fsdp_7b.yaml",
        "docs/forge/runbook.md",
        "tests/forge/test_checkpointing.py",
    )
    return (
        Phase(
            "forge",
            date(2025, 4, 1),
            date(2025, 5, 16),
            36,
            fsdp,
            (
                "forge: FSDP training loop for 1.3B re-ranker|train.py",
                "forge: bf16 mixed precision + sharded checkpoints|fsdp_wrap.py",
                "forge: streaming dataset of citation pairs|data.py",
                "forge: torchrun launcher for {nodes} nodes|train.py",
                "forge: micro-batch {mb}, grad accum 16|configs/fsdp_1p3b.yaml",
                "fix(forge): dataloader workers hang on nccl init|data.py",
                "test(forge): dataset shards are disjoint|tests/forge/test_data.py",
            ),
        ),
        Phase(
            "forge",
            date(2025, 5, 12),
            date(2025, 6, 20),
            30,
            zero,
            (
                "forge: deepspeed zero-3 launcher|deepspeed_launcher.py",
                "forge: zero-3 config for 1.3B|configs/zero3_1p3b.yaml",
                "forge: compare zero-3 and fsdp throughput at 1.3B|train.py",
                "forge: log tokens/sec and gpu mem to mlflow|train.py",
                "fix(forge): zero-3 checkpoint consolidation|deepspeed_launcher.py",
            ),
        ),
        Phase(
            "forge",
            date(2025, 6, 16),
            date(2025, 7, 25),
            30,
            pipe,
            (
                "forge: 4-stage pipeline split of re-ranker layers|pipeline.py",
                "forge: micro-batch {mb} to shrink pipeline bubble|configs/pipeline_7b.yaml",
                "forge: pipeline schedule 1F1B|pipeline.py",
                "forge: measure bubble fraction per stage|pipeline.py",
                "fix(forge): stage boundaries split attention blocks|pipeline.py",
            ),
        ),
        Phase(
            "forge",
            date(2025, 8, 12),
            date(2025, 12, 15),
            62,
            prod,
            (
                "forge: 7B re-ranker on {nodes} nodes, {tps} tokens/s/node|configs/fsdp_7b.yaml",
                "forge: resume from sharded checkpoint|checkpointing.py",
                "forge: nccl timeout + retries for preemptible nodes|train.py",
                "forge: coreweave node pool config|configs/fsdp_7b.yaml",
                "docs(forge): OOM runbook|docs/forge/runbook.md",
                "forge: eval hook calls verdict harness every 500 steps|train.py",
                "fix(forge): checkpoint upload retries on s3 503|checkpointing.py",
                "test(forge): checkpoint round trip|tests/forge/test_checkpointing.py",
                "forge: cosine schedule with {pct}% warmup|configs/fsdp_7b.yaml",
            ),
        ),
    )


def _quickbrief() -> tuple[Phase, ...]:
    files = (
        "quickbrief/pdf_text.py",
        "quickbrief/limits.py",
        "tests/quickbrief/test_app.py",
        "docs/quickbrief/endpoint.md",
    )
    return (
        Phase(
            "quickbrief",
            date(2025, 6, 12),
            date(2025, 7, 18),
            26,
            files,
            (
                "quickbrief: return 413 for contracts over {pages} pages|limits.py",
                "quickbrief: pdf text extraction via pypdf|pdf_text.py",
                "quickbrief: request logging|limits.py",
                "test(quickbrief): summary endpoint happy path|tests/quickbrief/test_app.py",
                "docs(quickbrief): endpoint usage|docs/quickbrief/endpoint.md",
                "fix(quickbrief): scanned PDFs return empty text|pdf_text.py",
            ),
        ),
    )


def _common() -> tuple[Phase, ...]:
    files = (
        "common/settings.py",
        "common/logging.py",
        "common/vendor_clients.py",
        "docs/onboarding.md",
        "tests/common/test_settings.py",
    )
    return (
        Phase(
            "common",
            date(2025, 1, 8),
            date(2025, 12, 19),
            70,
            files,
            (
                "common: settings via pydantic-settings|settings.py",
                "common: structured logging helper|logging.py",
                "common: shared openai/anthropic clients with retries|vendor_clients.py",
                "docs: update onboarding|docs/onboarding.md",
                "chore: ruff fixes",
                "ci: cache pip wheels",
                "ci: run {project_dir} tests only when {project_dir}/ changes",
                "ci: bump actions/setup-python",
                "chore: pre-commit autoupdate",
                "common: redact api keys in request logs|logging.py",
                "common: typed settings for {vendor} timeouts|settings.py",
                "docs: how to run the retrieval eval locally|docs/onboarding.md",
                "chore: remove dead code in {project_dir}",
                "test(common): settings load from env|tests/common/test_settings.py",
                "fix: {vendor} client timeout read from settings|vendor_clients.py",
                "common: read mlflow tracking uri from env|settings.py",
                "chore: fix flaky test, closes #{issue}",
            ),
        ),
    )


def all_phases() -> tuple[Phase, ...]:
    return _citerag() + _verdict() + _forge() + _quickbrief() + _common()

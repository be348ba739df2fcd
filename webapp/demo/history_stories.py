"""The commits that tell each project's story: experiments, failures, branches, merges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.demo import repo_static
from webapp.demo.history_plan import FileEdit


@dataclass(frozen=True)
class Story:
    day: date
    author: str
    message: str
    edits: tuple[FileEdit, ...]
    branch: str = "main"


@dataclass(frozen=True)
class Merge:
    day: date
    author: str
    branch: str
    title: str


def _e(*paths: str) -> tuple[FileEdit, ...]:
    return tuple(FileEdit(p) for p in paths)


def _lit(path: str, text: str) -> FileEdit:
    return FileEdit(path, "literal", text)


D = date
RRF = "feature/rrf-fusion"
COLBERT = "feature/colbert-index"
NLI = "feature/nli-scorer"
QDECOMP = "feature/query-decomposition"
ZERO3 = "exp/zero3"
FSDP_AC = "feature/fsdp-activation-ckpt"
QB = "feature/quickbrief-endpoint"


def _foundation() -> list[Story]:
    return [
        Story(
            D(2025, 1, 6),
            "rohan",
            "Initial commit: split R&D platform out of lexbridge/api",
            (
                _lit("README.md", repo_static.README),
                _lit(".gitignore", repo_static.GITIGNORE),
                _lit(".github/workflows/ci.yml", repo_static.CI_WORKFLOW),
                *_e("common/settings.py", "common/logging.py"),
            ),
        ),
        Story(D(2025, 1, 8), "nadia", "chore: add CODEOWNERS", (_lit("CODEOWNERS", repo_static.CODEOWNERS),)),
        Story(
            D(2025, 1, 13),
            "priya",
            "citerag: scaffold package and bm25 baseline",
            _e("citerag/bm25_index.py", "citerag/corpus.py"),
        ),
    ]


def _citerag() -> list[Story]:
    return [
        Story(
            D(2025, 2, 19),
            "priya",
            "citerag: dense-only retrieval falls short on statutes\n\n"
            "Dense-only (e5-large-v2) on dev v3:\n"
            "  statutes  recall@10 0.460 (bm25 0.684)\n"
            "  cases     recall@10 0.648 (bm25 0.611)\n\n"
            "Embeddings blur neighbouring sections (§ 1983 vs § 1988). Not viable on its\n"
            "own; trying fusion with bm25 next. MLflow run dense-only-e5-large.",
            _e("citerag/eval/run_retrieval_eval.py"),
        ),
        Story(
            D(2025, 2, 21),
            "tomas",
            "citerag: bge legal fine-tune still short on statutes (0.497)",
            _e("citerag/embeddings.py"),
        ),
        Story(
            D(2025, 2, 24),
            "priya",
            "citerag: add reciprocal rank fusion over bm25+dense",
            _e("citerag/fusion.py", "tests/citerag/test_fusion.py"),
            RRF,
        ),
        Story(D(2025, 2, 25), "tomas", "citerag: rrf k sweep harness", _e("citerag/fusion.py"), RRF),
        Story(
            D(2025, 2, 27),
            "priya",
            "test(citerag): rrf tie-breaking is stable",
            _e("tests/citerag/test_fusion.py"),
            RRF,
        ),
        Story(
            D(2025, 3, 3),
            "priya",
            "citerag: rrf k=60 default; statutes 0.752 / cases 0.713 on dev v3",
            _e("citerag/fusion.py"),
            RRF,
        ),
        Story(
            D(2025, 4, 2),
            "tomas",
            "citerag: colbertv2 indexer over passage store",
            _e("citerag/colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 4),
            "ethan",
            "citerag: colbert index build on 200k-passage sample",
            _e("citerag/colbert_index.py", "tests/citerag/test_colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 9),
            "ethan",
            "citerag: colbert residual compression (2-bit)",
            _e("citerag/colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 14),
            "tomas",
            "citerag: full colbert build over 4.1M passages\n\n"
            "Index is 412 GB on disk (bm25 + dense together: 10.8 GB), 19h on 8xA100.\n"
            "Serving this needs a new storage tier.",
            _e("citerag/colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 17),
            "ethan",
            "citerag: colbert recall on sample: statutes 0.741, cases 0.729",
            _e("citerag/colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 22),
            "ethan",
            "wip: colbert pruning experiment",
            _e("citerag/colbert_index.py"),
            COLBERT,
        ),
        Story(
            D(2025, 4, 28),
            "tomas",
            "citerag: park colbert; see ADR 4",
            _e("docs/citerag/colbert.md"),
            COLBERT,
        ),
        Story(
            D(2025, 5, 5),
            "priya",
            "citerag: query decomposition for multi-issue questions",
            _e("citerag/query_decomposition.py"),
            QDECOMP,
        ),
        Story(
            D(2025, 5, 9),
            "ethan",
            "citerag: fuse sub-query rankings with rrf",
            _e("citerag/query_decomposition.py"),
            QDECOMP,
        ),
        Story(
            D(2025, 5, 14),
            "ethan",
            "test(citerag): decomposition fallbacks",
            _e("tests/citerag/test_query_decomposition.py"),
            QDECOMP,
        ),
        Story(
            D(2025, 5, 22),
            "priya",
            "citerag: decomposition adds +0.029 recall@10 on statutes",
            _e("citerag/query_decomposition.py"),
            QDECOMP,
        ),
        Story(
            D(2025, 6, 20),
            "priya",
            "citerag: citation-aware reranker on dev v3\n\n"
            "ndcg@10 statutes 0.688 / cases 0.642 (hybrid rrf: 0.611 / 0.574).\n"
            "Generic ms-marco cross-encoder was flat on statutes (0.615).",
            _e("citerag/rerank/citation_cross_encoder.py", "citerag/eval/run_retrieval_eval.py"),
        ),
    ]


def _verdict() -> list[Story]:
    return [
        Story(
            D(2025, 3, 12),
            "hannah",
            "verdict: exact-match citation check fails on short-form cites\n\n"
            "Kappa vs in-house attorneys 0.38 on the 600-answer pilot. id./supra and\n"
            "parallel cites count as misses. Moving to LLM-as-judge.",
            _e("verdict/citation_check.py"),
        ),
        Story(
            D(2025, 4, 24),
            "hannah",
            "verdict: LLM-as-judge inconclusive across prompt versions\n\n"
            "gpt-4o judge kappa 0.52-0.66 across prompt v1-v4; scores moved after the\n"
            "April model update. Not stable enough to gate releases.",
            _e("verdict/llm_judge.py"),
        ),
        Story(
            D(2025, 4, 28),
            "hannah",
            "verdict: NLI faithfulness scorer (deberta-v3-large-mnli)",
            _e("verdict/nli_scorer.py"),
            NLI,
        ),
        Story(
            D(2025, 5, 2),
            "meiling",
            "verdict: claim splitter keeps citations attached",
            _e("verdict/claims.py"),
            NLI,
        ),
        Story(
            D(2025, 5, 7),
            "hannah",
            "verdict: NLI scorer kappa 0.71 on pilot",
            _e("verdict/nli_scorer.py"),
            NLI,
        ),
        Story(
            D(2025, 5, 13),
            "hannah",
            "verdict: NLI faithfulness scorer v2\n\n"
            "Legal NLI fine-tune on 18k (claim, passage) pairs; kappa 0.74 on the pilot.",
            _e("verdict/nli_scorer.py", "tests/verdict/test_nli_scorer.py"),
            NLI,
        ),
        Story(
            D(2025, 5, 16),
            "meiling",
            "test(verdict): claims fixtures",
            _e("tests/verdict/test_claims.py"),
            NLI,
        ),
        Story(
            D(2025, 7, 30),
            "hannah",
            "verdict: first CodeX batch, scorer vs lawyer majority kappa 0.72",
            _e("verdict/agreement.py"),
        ),
    ]


def _forge() -> list[Story]:
    return [
        Story(
            D(2025, 4, 1),
            "kwame",
            "forge: scaffold training package",
            (
                *_e("forge/train.py", "forge/data.py"),
                _lit("forge/launch/slurm_launch.sh", repo_static.SLURM_LAUNCH),
            ),
        ),
        Story(
            D(2025, 5, 19),
            "marcus",
            "forge: zero-3 stage config for 7B",
            _e("forge/zero3_offload.py", "forge/configs/zero3_7b_offload.yaml"),
            ZERO3,
        ),
        Story(
            D(2025, 5, 23),
            "marcus",
            "forge: zero-3 at 1.3B: 5.9k tokens/s/node",
            _e("forge/zero3_offload.py"),
            ZERO3,
        ),
        Story(
            D(2025, 5, 28),
            "kwame",
            "forge: offload optimizer and params to CPU for 7B",
            _e("forge/configs/zero3_7b_offload.yaml"),
            ZERO3,
        ),
        Story(
            D(2025, 6, 2),
            "marcus",
            "forge: 7B zero-3 offload OOMs host RAM at step 37\n\n"
            "Each node has 512 GB host RAM; pinned optimizer state plus offloaded params\n"
            "for 7B need ~540 GB per node. MLflow run zero3-offload-7b.",
            _e("forge/zero3_offload.py"),
            ZERO3,
        ),
        Story(
            D(2025, 6, 5),
            "lena",
            "forge: enable ZeRO-3 CPU offload for 7B",
            (_lit("forge/configs/ds_zero3_offload.json", repo_static.DS_ZERO3_OFFLOAD),),
        ),
        Story(
            D(2025, 6, 9),
            "marcus",
            "forge: pin_memory off, bucket sizes halved",
            _e("forge/configs/zero3_7b_offload.yaml"),
            ZERO3,
        ),
        Story(
            D(2025, 6, 12),
            "kwame",
            "forge: revert ZeRO-3 offload, OOM at 7B\n\n"
            "Reverts the ZeRO-3 CPU offload config. Host RAM OOM during the optimizer\n"
            "step at 7B on 8xA100-40GB nodes (MLflow run zero3-offload-7b-nopin).\n"
            "Work continues on exp/zero3.",
            (FileEdit("forge/configs/ds_zero3_offload.json", "delete"),),
        ),
        Story(
            D(2025, 6, 18),
            "kwame",
            "forge: zero-3 offload still OOMs at 7B; leaving branch for reference",
            _e("docs/forge/zero3.md"),
            ZERO3,
        ),
        Story(
            D(2025, 7, 16),
            "lena",
            "forge: kill pipeline-parallel 7B run at 1,450 tok/s/node\n\n"
            "4-stage 1F1B with 8 micro-batches: bubble ~38%. Killed at step 400;\n"
            "see MLflow run pipeline-4stage-7b.",
            _e("forge/pipeline.py"),
        ),
        Story(
            D(2025, 7, 21),
            "kwame",
            "forge: activation checkpointing every 2 blocks",
            _e("forge/activation_checkpointing.py"),
            FSDP_AC,
        ),
        Story(
            D(2025, 7, 24),
            "marcus",
            "forge: 7B config for FSDP + AC",
            _e("forge/configs/fsdp_7b.yaml"),
            FSDP_AC,
        ),
        Story(
            D(2025, 7, 29),
            "lena",
            "forge: FSDP 7B on 2 nodes, 3,100 tokens/s/node",
            _e("forge/activation_checkpointing.py"),
            FSDP_AC,
        ),
        Story(
            D(2025, 8, 5),
            "marcus",
            "test(forge): AC wrapper leaves embeddings unwrapped",
            _e("tests/forge/test_activation_checkpointing.py"),
            FSDP_AC,
        ),
        Story(
            D(2025, 8, 8),
            "kwame",
            "forge: 7B loss curve matches the 1.3B run shape",
            _e("forge/activation_checkpointing.py"),
            FSDP_AC,
        ),
    ]


def _quickbrief() -> list[Story]:
    return [
        Story(
            D(2025, 6, 2),
            "jordan",
            "quickbrief: /v1/summaries forwards contract to openai",
            (
                _lit("quickbrief/app.py", repo_static.quickbrief_app("gpt-4o", temperature=False)),
                *_e("quickbrief/pdf_text.py"),
            ),
            QB,
        ),
        Story(
            D(2025, 6, 6),
            "jordan",
            "quickbrief: temperature 0.2",
            (_lit("quickbrief/app.py", repo_static.quickbrief_app("gpt-4o", temperature=True)),),
            QB,
        ),
        Story(
            D(2025, 6, 10),
            "jordan",
            "test(quickbrief): mock openai client",
            _e("tests/quickbrief/test_app.py"),
            QB,
        ),
        Story(
            D(2025, 7, 8),
            "jordan",
            "quickbrief: switch model to gpt-4o-mini",
            (_lit("quickbrief/app.py", repo_static.quickbrief_app("gpt-4o-mini", temperature=True)),),
        ),
        Story(D(2025, 7, 18), "jordan", "quickbrief: launch notes", _e("docs/quickbrief/endpoint.md")),
    ]


def stories() -> list[Story]:
    return _foundation() + _citerag() + _verdict() + _forge() + _quickbrief()


MERGES: tuple[Merge, ...] = (
    Merge(D(2025, 3, 5), "priya", RRF, "citerag: hybrid retrieval with reciprocal rank fusion"),
    Merge(D(2025, 5, 21), "hannah", NLI, "verdict: NLI-based faithfulness scorer"),
    Merge(D(2025, 5, 28), "priya", QDECOMP, "citerag: query decomposition"),
    Merge(D(2025, 6, 11), "jordan", QB, "quickbrief: contract summary endpoint"),
    Merge(D(2025, 8, 11), "kwame", FSDP_AC, "forge: FSDP with activation checkpointing for 7B"),
)

UNMERGED_BRANCHES: tuple[str, ...] = (COLBERT, ZERO3)

BRANCH_FILES: dict[str, tuple[str, ...]] = {
    RRF: ("citerag/fusion.py", "tests/citerag/test_fusion.py"),
    NLI: (
        "verdict/nli_scorer.py",
        "verdict/claims.py",
        "tests/verdict/test_nli_scorer.py",
        "tests/verdict/test_claims.py",
    ),
    QDECOMP: ("citerag/query_decomposition.py", "tests/citerag/test_query_decomposition.py"),
    QB: ("quickbrief/app.py", "quickbrief/pdf_text.py", "tests/quickbrief/test_app.py"),
    FSDP_AC: (
        "forge/activation_checkpointing.py",
        "forge/configs/fsdp_7b.yaml",
        "tests/forge/test_activation_checkpointing.py",
    ),
}

TAGS: tuple[tuple[str, date, str], ...] = (
    ("v0.9.0", D(2025, 5, 30), "0.9.0: hybrid RRF retrieval, query decomposition, Verdict NLI scorer"),
    ("v1.0.0", D(2025, 9, 15), "1.0.0: citation-aware re-ranking, Verdict release gate, Forge FSDP 7B"),
)

DEPENDENCY_CHANGES: tuple[tuple[date, str, str], ...] = (
    (D(2025, 1, 7), "rohan", "init"),
    (D(2025, 5, 12), "kwame", "add:deepspeed"),
    (D(2025, 6, 2), "jordan", "add:pypdf"),
)

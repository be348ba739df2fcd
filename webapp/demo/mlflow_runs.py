"""The demo's MLflow experiments and runs, as data.

Final metric values agree with the ADRs, commit messages and ablation workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

RunStatus = Literal["FINISHED", "FAILED", "KILLED"]
Curve = Literal["flat", "rise", "fall"]

STATUS_CODES: dict[str, int] = {"RUNNING": 1, "SCHEDULED": 2, "FINISHED": 3, "FAILED": 4, "KILLED": 5}


@dataclass(frozen=True)
class MetricSpec:
    name: str
    final: float
    curve: Curve = "flat"
    start: float | None = None


@dataclass(frozen=True)
class RunSpec:
    experiment: str
    name: str
    day: date
    user: str
    script: str
    params: dict[str, str]
    metrics: tuple[MetricSpec, ...]
    status: RunStatus = "FINISHED"
    minutes: int = 20
    steps: int = 1
    step_every: int = 1
    stopped_at: int | None = None
    branch: str = "main"
    note: str = ""
    log_tail: str = ""
    extra_tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ExperimentSpec:
    name: str
    description: str
    created: date


EXPERIMENTS: tuple[ExperimentSpec, ...] = (
    ExperimentSpec(
        "citerag-retrieval",
        "CiteRAG retrieval ablations on dev split v3 (1,204 statute queries, 2,890 case queries).",
        date(2025, 1, 27),
    ),
    ExperimentSpec(
        "verdict-faithfulness",
        "Verdict scorer agreement with lawyers (Cohen's kappa) on the 600-answer pilot and the CodeX study.",
        date(2025, 3, 10),
    ),
    ExperimentSpec(
        "forge-parallelism",
        "Forge: FSDP vs DeepSpeed ZeRO-3 vs pipeline parallel "
        "for the re-ranker (1.3B and 7B) on 8xA100-40GB nodes.",
        date(2025, 4, 21),
    ),
)

_RETRIEVAL_SCRIPT = "citerag/eval/run_retrieval_eval.py"
_RERANK_SCRIPT = "citerag/rerank/train_reranker.py"


def _retrieval(
    statutes: float,
    cases: float,
    ndcg_s: float,
    ndcg_c: float,
    precision: float,
    latency: float,
    curve: Curve = "flat",
) -> tuple[MetricSpec, ...]:
    low = 0.75 if curve == "rise" else None
    return (
        MetricSpec("recall_at_10_statutes", statutes, curve, None if low is None else statutes * low),
        MetricSpec("recall_at_10_cases", cases, curve, None if low is None else cases * low),
        MetricSpec("ndcg_at_10_statutes", ndcg_s, curve, None if low is None else ndcg_s * low),
        MetricSpec("ndcg_at_10_cases", ndcg_c, curve, None if low is None else ndcg_c * low),
        MetricSpec("citation_precision", precision, curve, None if low is None else precision * low),
        MetricSpec("latency_p95_ms", latency),
    )


def _bm25_params(k1: str = "1.2", b: str = "0.75") -> dict[str, str]:
    return {"retriever": "bm25", "bm25_k1": k1, "bm25_b": b, "top_k": "100", "eval_split": "dev-v3"}


def _rrf_params(k: int) -> dict[str, str]:
    return {
        "retriever": "hybrid",
        "fusion": "rrf",
        "rrf_k": str(k),
        "dense_model": "lexbridge/bge-legal-ft-v2",
        "top_k": "100",
        "eval_split": "dev-v3",
    }


def _citerag_runs() -> tuple[RunSpec, ...]:
    exp = "citerag-retrieval"
    return (
        RunSpec(
            exp,
            "bm25-baseline",
            date(2025, 1, 28),
            "priya",
            _RETRIEVAL_SCRIPT,
            _bm25_params(),
            _retrieval(0.684, 0.611, 0.552, 0.489, 0.71, 38),
            minutes=14,
        ),
        RunSpec(
            exp,
            "bm25-k1-1.5",
            date(2025, 1, 30),
            "priya",
            _RETRIEVAL_SCRIPT,
            _bm25_params("1.5", "0.65"),
            _retrieval(0.679, 0.606, 0.548, 0.486, 0.70, 38),
            minutes=14,
        ),
        RunSpec(
            exp,
            "dense-only-e5-large",
            date(2025, 2, 14),
            "priya",
            _RETRIEVAL_SCRIPT,
            {
                "retriever": "dense",
                "dense_model": "intfloat/e5-large-v2",
                "index": "faiss-hnsw",
                "hnsw_m": "32",
                "ef_search": "128",
                "top_k": "100",
                "eval_split": "dev-v3",
            },
            _retrieval(0.460, 0.648, 0.371, 0.527, 0.58, 44),
            minutes=52,
            note="Dense only: statute recall far below BM25; embeddings blur section numbers.",
        ),
        RunSpec(
            exp,
            "dense-only-bge-legal-ft",
            date(2025, 2, 20),
            "tomas",
            "citerag/train_dense.py",
            {
                "retriever": "dense",
                "dense_model": "BAAI/bge-large-en-v1.5",
                "finetune": "legal-pairs-v1",
                "epochs": "5",
                "learning_rate": "2e-5",
                "batch_size": "64",
                "eval_split": "dev-v3",
            },
            _retrieval(0.497, 0.672, 0.402, 0.551, 0.61, 44, "rise"),
            minutes=380,
            steps=5,
        ),
        RunSpec(
            exp,
            "dense-only-bge-legal-ft-hardneg",
            date(2025, 2, 26),
            "tomas",
            "citerag/train_dense.py",
            {
                "retriever": "dense",
                "dense_model": "BAAI/bge-large-en-v1.5",
                "finetune": "legal-pairs-v1+hn",
                "epochs": "5",
                "learning_rate": "2e-5",
                "batch_size": "64",
                "eval_split": "dev-v3",
            },
            _retrieval(0.489, 0.667, 0.396, 0.546, 0.60, 44, "rise"),
            status="KILLED",
            minutes=170,
            steps=5,
            stopped_at=2,
            note="Killed after epoch 2: statute recall flat at ~0.49; dense-only is not going to get there.",
        ),
        *(
            RunSpec(
                exp,
                f"hybrid-rrf-k{k}",
                date(2025, 3, day),
                who,
                _RETRIEVAL_SCRIPT,
                _rrf_params(k),
                _retrieval(s, c, ns, nc, 0.78, 61),
                minutes=31,
            )
            for k, day, who, s, c, ns, nc in (
                (10, 3, "priya", 0.741, 0.704, 0.603, 0.566),
                (30, 3, "tomas", 0.748, 0.710, 0.608, 0.571),
                (60, 4, "priya", 0.752, 0.713, 0.611, 0.574),
                (100, 4, "tomas", 0.750, 0.712, 0.609, 0.573),
            )
        ),
        RunSpec(
            exp,
            "colbert-v2-full-4.1M-eval",
            date(2025, 4, 15),
            "ethan",
            "citerag/colbert_index.py",
            {
                "retriever": "colbert-v2",
                "passages": "4100000",
                "nbits": "2",
                "index_size_gb": "412",
                "eval_split": "dev-v3",
            },
            (MetricSpec("index_build_hours", 19.0), MetricSpec("index_size_gb", 412.0)),
            status="FAILED",
            minutes=95,
            branch="feature/colbert-index",
            note="Full index could not be loaded for evaluation: 412 GB index, host OOM.",
            log_tail=(
                "Loading index shards 212/412 ...\n"
                "MemoryError: Unable to allocate 2.00 GiB for an array "
                "with shape (268435456,) and data type float64\n"
            ),
        ),
        RunSpec(
            exp,
            "colbert-v2-sample-200k",
            date(2025, 4, 16),
            "tomas",
            "citerag/colbert_index.py",
            {"retriever": "colbert-v2", "passages": "200000", "nbits": "2", "eval_split": "dev-v3-sample"},
            _retrieval(0.741, 0.729, 0.603, 0.596, 0.76, 112),
            minutes=66,
            branch="feature/colbert-index",
        ),
        RunSpec(
            exp,
            "hybrid-rrf-qdecomp",
            date(2025, 5, 21),
            "ethan",
            _RETRIEVAL_SCRIPT,
            {**_rrf_params(60), "query_decomposition": "claude-3-5-haiku", "max_sub_queries": "3"},
            _retrieval(0.781, 0.744, 0.629, 0.590, 0.79, 96),
            minutes=48,
        ),
        RunSpec(
            exp,
            "rerank-msmarco-minilm",
            date(2025, 6, 10),
            "priya",
            _RETRIEVAL_SCRIPT,
            {**_rrf_params(60), "reranker": "cross-encoder/ms-marco-MiniLM-L-6-v2", "rerank_top_n": "100"},
            _retrieval(0.779, 0.751, 0.615, 0.603, 0.79, 118),
            minutes=57,
        ),
        RunSpec(
            exp,
            "rerank-citation-aware-v1-lr3e-5",
            date(2025, 6, 16),
            "ethan",
            _RERANK_SCRIPT,
            {
                "base_model": "lexbridge/reranker-1.3b",
                "learning_rate": "3e-5",
                "epochs": "8",
                "hard_negatives": "same-authority",
                "rerank_top_n": "100",
            },
            _retrieval(0.702, 0.688, 0.566, 0.540, 0.74, 141, "rise"),
            status="KILLED",
            minutes=240,
            steps=8,
            stopped_at=3,
            note="Killed: loss diverged at epoch 3 with lr 3e-5.",
        ),
        RunSpec(
            exp,
            "rerank-citation-aware-v1",
            date(2025, 6, 18),
            "priya",
            _RERANK_SCRIPT,
            {
                "base_model": "lexbridge/reranker-1.3b",
                "learning_rate": "1e-5",
                "epochs": "8",
                "hard_negatives": "same-authority",
                "rerank_top_n": "100",
            },
            _retrieval(0.803, 0.768, 0.688, 0.642, 0.84, 141, "rise"),
            minutes=610,
            steps=8,
        ),
        RunSpec(
            exp,
            "rerank-citation-aware-v2-7b",
            date(2025, 9, 8),
            "priya",
            _RERANK_SCRIPT,
            {
                "base_model": "lexbridge/reranker-7b",
                "learning_rate": "1e-5",
                "epochs": "4",
                "hard_negatives": "same-authority",
                "rerank_top_n": "100",
                "trained_with": "forge fsdp-7b-final",
            },
            _retrieval(0.821, 0.779, 0.702, 0.655, 0.86, 139, "rise"),
            minutes=720,
            steps=4,
        ),
    )


def _agreement(
    kappa: float, precision: float, faithfulness: float | None, curve: Curve = "flat"
) -> tuple[MetricSpec, ...]:
    metrics = (
        MetricSpec("kappa_vs_lawyers", kappa, curve, None if curve == "flat" else kappa - 0.08),
        MetricSpec("citation_precision", precision),
    )
    return metrics if faithfulness is None else (*metrics, MetricSpec("faithfulness_mean", faithfulness))


def _judge(version: int, model: str) -> dict[str, str]:
    return {
        "scorer": "llm-judge",
        "judge_model": model,
        "prompt_version": f"v{version}",
        "temperature": "0",
        "eval_set": "pilot-600",
    }


def _verdict_runs() -> tuple[RunSpec, ...]:
    exp = "verdict-faithfulness"
    script = "verdict/harness.py"
    return (
        RunSpec(
            exp,
            "exact-match-citation",
            date(2025, 3, 11),
            "hannah",
            script,
            {"scorer": "exact-match", "normalizer": "reporters-v1", "eval_set": "pilot-600"},
            _agreement(0.38, 0.62, None),
            minutes=3,
            steps=6,
            note="Misses short-form (id., supra) and parallel cites; says nothing about support.",
        ),
        RunSpec(
            exp,
            "llm-judge-gpt4o-prompt-v1",
            date(2025, 3, 24),
            "hannah",
            script,
            _judge(1, "gpt-4o-2024-08-06"),
            _agreement(0.52, 0.91, 0.81),
            minutes=41,
            steps=6,
        ),
        RunSpec(
            exp,
            "llm-judge-gpt4o-prompt-v2",
            date(2025, 4, 1),
            "hannah",
            script,
            _judge(2, "gpt-4o-2024-08-06"),
            _agreement(0.66, 0.91, 0.77),
            minutes=44,
            steps=6,
        ),
        RunSpec(
            exp,
            "llm-judge-gpt4o-prompt-v3",
            date(2025, 4, 9),
            "hannah",
            script,
            _judge(3, "gpt-4o-2024-08-06"),
            _agreement(0.58, 0.91, 0.79),
            minutes=43,
            steps=6,
        ),
        RunSpec(
            exp,
            "llm-judge-claude-prompt-v3",
            date(2025, 4, 11),
            "hannah",
            script,
            _judge(3, "claude-3-5-sonnet-20241022"),
            _agreement(0.61, 0.91, 0.76),
            minutes=52,
            steps=6,
        ),
        RunSpec(
            exp,
            "llm-judge-gpt4o-prompt-v4-batch",
            date(2025, 4, 18),
            "hannah",
            script,
            _judge(4, "gpt-4o-2024-08-06"),
            _agreement(0.57, 0.91, 0.78),
            status="FAILED",
            minutes=18,
            steps=6,
            stopped_at=2,
            log_tail="openai.RateLimitError: Error code: 429 - {'error': {'message': 'Rate limit reached "
            "for gpt-4o in organization org-lexbridge on tokens per min (TPM)', 'type': 'tokens', "
            "'code': 'rate_limit_exceeded'}}\n",
        ),
        RunSpec(
            exp,
            "llm-judge-gpt4o-prompt-v4",
            date(2025, 4, 22),
            "hannah",
            script,
            _judge(4, "gpt-4o-2024-11-20"),
            _agreement(0.55, 0.91, 0.83),
            minutes=47,
            steps=6,
            note="Same prompt as v3 scored differently after the vendor model update. Inconclusive.",
        ),
        RunSpec(
            exp,
            "nli-deberta-v3-mnli",
            date(2025, 5, 6),
            "hannah",
            script,
            {
                "scorer": "nli",
                "nli_model": "microsoft/deberta-v3-large-mnli",
                "aggregation": "max",
                "threshold": "0.65",
                "eval_set": "pilot-600",
            },
            _agreement(0.71, 0.91, 0.74),
            minutes=12,
            steps=6,
        ),
        RunSpec(
            exp,
            "nli-legal-ft-v2",
            date(2025, 5, 13),
            "hannah",
            "verdict/train_nli.py",
            {
                "scorer": "nli",
                "nli_model": "lexbridge/deberta-v3-legal-nli-v2",
                "train_pairs": "18000",
                "epochs": "3",
                "learning_rate": "1e-5",
                "aggregation": "max",
                "threshold": "0.65",
                "eval_set": "pilot-600",
            },
            (*_agreement(0.74, 0.91, 0.75, curve="rise"), MetricSpec("train_loss", 0.21, "fall", 0.69)),
            minutes=96,
            steps=12,
        ),
        *(
            RunSpec(
                exp,
                f"codex-agreement-batch-{i}",
                day,
                "hannah",
                "verdict/agreement.py",
                {
                    "scorer": "nli",
                    "nli_model": "lexbridge/deberta-v3-legal-nli-v2",
                    "study": "stanford-codex",
                    "batch": str(i),
                    "answers": "800",
                    "lawyers_per_answer": "3",
                },
                (
                    MetricSpec("kappa_scorer_vs_majority", kappa),
                    MetricSpec("kappa_lawyer_pairs_mean", pairs),
                    MetricSpec("faithfulness_mean", 0.76),
                ),
                minutes=9,
            )
            for i, day, kappa, pairs in (
                (1, date(2025, 7, 30), 0.72, 0.69),
                (2, date(2025, 8, 20), 0.73, 0.70),
                (3, date(2025, 9, 17), 0.74, 0.71),
            )
        ),
    )


def _training(loss: float, tps: float, mem: float) -> tuple[MetricSpec, ...]:
    return (
        MetricSpec("loss", loss, "fall", 2.31),
        MetricSpec("tokens_per_sec", tps),
        MetricSpec("gpu_mem_gb", mem),
    )


def _forge_params(strategy: str, size: str, nodes: int = 2, **extra: str) -> dict[str, str]:
    return {
        "strategy": strategy,
        "model_size": size,
        "nodes": str(nodes),
        "gpus_per_node": "8",
        "gpu": "A100-40GB",
        "seq_len": "1024",
        "micro_batch_size": "1",
        "grad_accum": "16",
        **extra,
    }


def _forge_runs() -> tuple[RunSpec, ...]:
    exp = "forge-parallelism"
    train = "forge/train.py"
    ds = "forge/deepspeed_launcher.py"
    return (
        RunSpec(
            exp,
            "fsdp-1.3b",
            date(2025, 4, 22),
            "kwame",
            train,
            _forge_params("fsdp", "1.3b"),
            _training(0.62, 6200, 31.5),
            minutes=300,
            steps=2000,
            step_every=25,
        ),
        RunSpec(
            exp,
            "zero3-1.3b",
            date(2025, 5, 23),
            "marcus",
            ds,
            _forge_params("zero3", "1.3b"),
            _training(0.63, 5900, 27.8),
            minutes=320,
            steps=2000,
            step_every=25,
            branch="exp/zero3",
        ),
        RunSpec(
            exp,
            "zero3-7b-no-offload",
            date(2025, 5, 27),
            "marcus",
            ds,
            _forge_params("zero3", "7b"),
            _training(2.10, 2400, 39.6),
            status="FAILED",
            minutes=11,
            steps=2000,
            step_every=5,
            stopped_at=5,
            branch="exp/zero3",
            log_tail="torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.95 GiB. GPU 3 has a "
            "total capacity of 39.39 GiB of which 1.12 GiB is free.\n",
        ),
        RunSpec(
            exp,
            "zero3-offload-7b",
            date(2025, 6, 2),
            "marcus",
            ds,
            _forge_params("zero3", "7b", offload_optimizer="cpu", offload_param="cpu", pin_memory="true"),
            _training(1.94, 1100, 22.4),
            status="FAILED",
            minutes=46,
            steps=2000,
            step_every=5,
            stopped_at=37,
            branch="exp/zero3",
            note="Host RAM OOM at step 37 during optimizer step (512 GB/node).",
            log_tail="[rank0]: RuntimeError: DataLoader worker (pid 48211) is killed by signal: Killed.\n"
            "dmesg: Out of memory: Killed process 48190 (python) total-vm:561203412kB\n",
        ),
        RunSpec(
            exp,
            "zero3-offload-7b-nopin",
            date(2025, 6, 11),
            "kwame",
            ds,
            _forge_params("zero3", "7b", offload_optimizer="cpu", offload_param="cpu", pin_memory="false"),
            _training(1.91, 980, 21.9),
            status="FAILED",
            minutes=63,
            steps=2000,
            step_every=5,
            stopped_at=52,
            branch="exp/zero3",
            log_tail="slurmstepd: error: Detected 1 oom_kill event in StepId=88123.0. Some of the step "
            "tasks have been OOM Killed.\n",
        ),
        RunSpec(
            exp,
            "pipeline-4stage-7b",
            date(2025, 7, 15),
            "lena",
            "forge/pipeline.py",
            _forge_params("pipeline", "7b", stages="4", schedule="1F1B", micro_batches="8"),
            _training(1.12, 1450, 34.2),
            status="KILLED",
            minutes=410,
            steps=8000,
            step_every=25,
            stopped_at=400,
            note="Killed at step 400: ~38% pipeline bubble, 1,450 tokens/s/node.",
        ),
        RunSpec(
            exp,
            "fsdp-7b-ac",
            date(2025, 7, 29),
            "lena",
            train,
            _forge_params("fsdp", "7b", activation_checkpointing="every_2_blocks"),
            _training(0.71, 3100, 36.8),
            minutes=700,
            steps=2000,
            step_every=25,
        ),
        RunSpec(
            exp,
            "fsdp-7b-final",
            date(2025, 9, 2),
            "kwame",
            train,
            _forge_params("fsdp", "7b", 4, activation_checkpointing="every_2_blocks", max_steps="8000"),
            _training(0.48, 3060, 36.9),
            minutes=2900,
            steps=8000,
            step_every=100,
        ),
        RunSpec(
            exp,
            "fsdp-7b-preemption-drill",
            date(2025, 10, 14),
            "kwame",
            train,
            _forge_params("fsdp", "7b", activation_checkpointing="every_2_blocks", resume="true"),
            _training(0.55, 3080, 36.8),
            status="KILLED",
            minutes=95,
            steps=2000,
            step_every=25,
            stopped_at=600,
            note="Killed on purpose to test resume from sharded checkpoint.",
        ),
    )


def all_runs() -> tuple[RunSpec, ...]:
    return _citerag_runs() + _verdict_runs() + _forge_runs()

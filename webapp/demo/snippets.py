"""Building blocks of plausible source text for the demo repository."""

from __future__ import annotations

import random
from pathlib import PurePosixPath
from string import Template

_HEADER_IMPORTS: dict[str, str] = {
    "citerag/bm25_index.py": "from rank_bm25 import BM25Okapi\n",
    "citerag/dense_index.py": "import faiss\nfrom sentence_transformers import SentenceTransformer\n",
    "citerag/embeddings.py": "from sentence_transformers import SentenceTransformer\n",
    "citerag/query_decomposition.py": "from anthropic import Anthropic\n",
    "citerag/rerank/citation_cross_encoder.py": (
        "import torch\nfrom sentence_transformers import CrossEncoder\n"
    ),
    "citerag/colbert_index.py": "import torch\n",
    "verdict/llm_judge.py": "import anthropic\nfrom openai import OpenAI\n",
    "verdict/nli_scorer.py": (
        "import torch\nfrom transformers import AutoModelForSequenceClassification, AutoTokenizer\n"
    ),
    "forge/train.py": (
        "import torch\nimport torch.distributed as dist\n"
        "from torch.distributed.fsdp import FullyShardedDataParallel as FSDP\n"
    ),
    "forge/fsdp_wrap.py": (
        "import torch\nfrom torch.distributed.fsdp import MixedPrecision, ShardingStrategy\n"
    ),
    "forge/deepspeed_launcher.py": "import deepspeed\nimport torch\n",
    "forge/pipeline.py": "import torch\nfrom torch.distributed.pipelining import SplitPoint, pipeline\n",
}

_PROJECT_TITLES = {
    "citerag": "CiteRAG",
    "verdict": "Verdict",
    "forge": "Forge",
    "quickbrief": "QuickBrief",
    "common": "Shared",
}


def _project_of(path: str) -> str:
    parts = PurePosixPath(path).parts
    if parts[0] in ("tests", "docs") and len(parts) > 2:
        return parts[1]
    return parts[0]


def header_for(path: str) -> str:
    pure = PurePosixPath(path)
    project = _project_of(path)
    title = _PROJECT_TITLES.get(project, project.capitalize())
    topic = pure.stem.replace("_", " ").replace("test ", "")
    if pure.suffix == ".md":
        return f"# {title}: {topic}\n"
    if pure.suffix in (".yaml", ".yml"):
        return f"# {title} {topic} configuration\n"
    if pure.suffix != ".py":
        return f"# {title} {topic}\n"
    if pure.parts[0] == "tests":
        return f'"""Tests for {title} {topic}."""\n\nimport pytest\n'
    extra = _HEADER_IMPORTS.get(path, "")
    third_party = f"import numpy as np\n{extra}" if project != "common" else extra
    return (
        f'"""{title} {topic}."""\n\n'
        "from __future__ import annotations\n\n"
        "import logging\nfrom dataclasses import dataclass\n\n"
        f"{third_party}\n"
        "logger = logging.getLogger(__name__)\n"
    ).replace("\n\n\nlogger", "\n\nlogger")


def _values(rng: random.Random) -> dict[str, str]:
    return {
        "k": str(rng.choice((10, 30, 60, 100))),
        "top": str(rng.choice((10, 20, 50, 100))),
        "thr": f"{rng.uniform(0.35, 0.9):.2f}",
        "n": str(rng.choice((2, 3, 4, 8, 16, 32))),
        "batch": str(rng.choice((8, 16, 32, 64, 128))),
        "lr": rng.choice(("1e-5", "2e-5", "3e-5", "5e-6")),
        "chunk": str(rng.choice((256, 384, 512))),
        "steps": str(rng.choice((500, 1000, 2000, 4000))),
        "timeout": str(rng.choice((30, 60, 120, 600))),
        "model": rng.choice(
            (
                "intfloat/e5-large-v2",
                "BAAI/bge-large-en-v1.5",
                "lexbridge/bge-legal-ft-v2",
                "cross-encoder/ms-marco-MiniLM-L-6-v2",
                "microsoft/deberta-v3-large",
            )
        ),
        "judge": rng.choice(("gpt-4o-2024-08-06", "gpt-4o-mini", "claude-3-5-sonnet-20241022")),
        "suffix": rng.choice(
            (
                "",
                "",
                "",
                "_v2",
                "_v3",
                "_fast",
                "_batched",
                "_legacy",
                "_cached",
                "_strict",
                "_for_statutes",
                "_for_cases",
            )
        ),
    }


_CITERAG_RECIPES = (
    (
        "fuse_rankings|rrf_merge|reciprocal_rank_fusion",
        "rankings: list[list[str]], k: int = $k",
        "list[str]",
        "Reciprocal rank fusion over BM25 and dense rankings.",
        (
            "scores: dict[str, float] = {}\nfor ranking in rankings:\n"
            "    for rank, doc_id in enumerate(ranking, start=1):\n"
            "        scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)\n"
            "return sorted(scores, key=scores.__getitem__, reverse=True)[:$top]"
        ),
    ),
    (
        "tokenize_statute|normalize_section_refs|split_citation_tokens",
        "text: str",
        "list[str]",
        "Keep section symbols and subsection markers as single tokens.",
        (
            'text = text.replace("§§", " §§ ").replace("§", " § ")\n'
            "tokens = [t.lower() for t in text.split() if t]\n"
            'return [t for t in tokens if len(t) > 1 or t == "§"]'
        ),
    ),
    (
        "dedupe_by_opinion|collapse_passages|group_by_opinion",
        "candidates: list[dict], top_k: int = $top",
        "list[dict]",
        "Keep the best passage per opinion id.",
        (
            "seen: set[str] = set()\nkept: list[dict] = []\nfor cand in candidates:\n"
            '    if cand["opinion_id"] in seen:\n        continue\n'
            '    seen.add(cand["opinion_id"])\n    kept.append(cand)\n'
            "return kept[:top_k]"
        ),
    ),
    (
        "recall_at_k|hit_rate|citation_recall",
        "retrieved: list[str], gold: set[str], k: int = 10",
        "float",
        "Share of gold citations found in the top k.",
        "if not gold:\n    return 0.0\nreturn len(set(retrieved[:k]) & gold) / len(gold)",
    ),
    (
        "ndcg_at_k|graded_ndcg",
        "retrieved: list[str], gains: dict[str, float], k: int = 10",
        "float",
        "nDCG@k with graded relevance (2 = cited, 1 = on point).",
        (
            "dcg = sum(gains.get(d, 0.0) / np.log2(i + 2) for i, d in enumerate(retrieved[:k]))\n"
            "ideal = sorted(gains.values(), reverse=True)[:k]\n"
            "idcg = sum(g / np.log2(i + 2) for i, g in enumerate(ideal))\n"
            "return float(dcg / idcg) if idcg else 0.0"
        ),
    ),
    (
        "encode_passages|embed_batch|encode_chunks",
        "texts: list[str], batch_size: int = $batch",
        "np.ndarray",
        "Encode passages in batches of $batch; chunks are $chunk tokens.",
        (
            "vectors = []\nfor start in range(0, len(texts), batch_size):\n"
            "    vectors.append(np.asarray(texts[start:start + batch_size], dtype=object))\n"
            'logger.debug("encoded %d passages", len(texts))\n'
            "return np.concatenate(vectors) if vectors else np.empty(0)"
        ),
    ),
    (
        "decompose_query|split_issues|sub_queries",
        "question: str, max_parts: int = $n",
        "list[str]",
        "Split a multi-issue research question into sub-queries.",
        (
            'parts = [p.strip() for p in question.replace(" and whether ", "? ").split("?") if p.strip()]\n'
            "return parts[:max_parts] or [question]"
        ),
    ),
    (
        "hard_negatives|mine_negatives|same_authority_negatives",
        "cited: str, pool: list[dict], per_query: int = $n",
        "list[dict]",
        "Passages that cite the same authority but are not the authority itself.",
        (
            'negatives = [p for p in pool if cited in p["cites"] and p["id"] != cited]\n'
            "return negatives[:per_query]"
        ),
    ),
)

_VERDICT_RECIPES = (
    (
        "exact_match_citations|match_citations",
        "answer_cites: list[str], retrieved: list[str]",
        "float",
        "Fraction of answer citations found verbatim in the retrieved set.",
        (
            "if not answer_cites:\n    return 1.0\n"
            "return sum(c in retrieved for c in answer_cites) / len(answer_cites)"
        ),
    ),
    (
        "normalize_reporter|canonical_cite",
        "cite: str",
        "str",
        "Normalize reporter abbreviations (F.3d, F. 3d, Fed. 3d).",
        (
            'cite = " ".join(cite.replace(".", ". ").split())\n'
            'return cite.replace("F. 3d", "F.3d").replace("U. S.", "U.S.")'
        ),
    ),
    (
        "judge_prompt|build_judge_messages",
        "claim: str, passage: str",
        "list[dict[str, str]]",
        "Messages for the LLM-as-judge faithfulness check ($judge).",
        (
            'system = "Answer SUPPORTED or NOT_SUPPORTED. Judge only against the passage."\n'
            'return [{"role": "system", "content": system},\n'
            '        {"role": "user", "content": f"Passage:\\n{passage}\\n\\nClaim:\\n{claim}"}]'
        ),
    ),
    (
        "entailment_score|nli_support|faithfulness",
        "premise: str, hypothesis: str, threshold: float = $thr",
        "float",
        "Entailment probability of the claim given the cited passage.",
        (
            "logits = np.asarray([len(premise) % 7, len(hypothesis) % 5, 1.0])\n"
            "probs = np.exp(logits) / np.exp(logits).sum()\n"
            "return float(probs[0]) if probs[0] >= threshold else 0.0"
        ),
    ),
    (
        "split_claims|sentence_claims",
        "answer: str",
        "list[str]",
        "Split an answer into sentence-level claims, keeping citations attached.",
        'return [s.strip() + "." for s in answer.split(". ") if len(s.strip()) > 12]',
    ),
    (
        "cohens_kappa|agreement_kappa",
        "a: list[int], b: list[int]",
        "float",
        "Cohen's kappa between two raters.",
        (
            "n = len(a)\nobserved = sum(x == y for x, y in zip(a, b)) / n\n"
            "labels = set(a) | set(b)\n"
            "expected = sum((a.count(lab) / n) * (b.count(lab) / n) for lab in labels)\n"
            "return (observed - expected) / (1 - expected) if expected < 1 else 1.0"
        ),
    ),
)

_FORGE_RECIPES = (
    (
        "wrap_model|shard_model|fsdp_wrap",
        "model: torch.nn.Module, mixed_precision: bool = True",
        "torch.nn.Module",
        "Wrap the re-ranker in FSDP with bf16 mixed precision.",
        (
            "policy = MixedPrecision(param_dtype=torch.bfloat16, reduce_dtype=torch.float32)\n"
            "policy = policy if mixed_precision else None\n"
            "return FSDP(model, mixed_precision=policy, sharding_strategy=ShardingStrategy.FULL_SHARD)"
        ),
    ),
    (
        "train_step|optimizer_step",
        "model: torch.nn.Module, batch: dict, optimizer: torch.optim.Optimizer",
        "float",
        "One optimizer step; returns the loss.",
        (
            "loss = model(**batch).loss\nloss.backward()\n"
            "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)\n"
            "optimizer.step()\noptimizer.zero_grad(set_to_none=True)\nreturn float(loss.detach())"
        ),
    ),
    (
        "tokens_per_second|throughput",
        "tokens: int, seconds: float, world_size: int = $n",
        "float",
        "Per-node throughput in tokens per second.",
        "nodes = max(1, world_size // 8)\nreturn tokens / max(seconds, 1e-6) / nodes",
    ),
    (
        "init_distributed|setup_process_group",
        'backend: str = "nccl", timeout_s: int = $timeout',
        "int",
        "Initialise torch.distributed and return the local rank.",
        (
            "import datetime\n\n"
            "dist.init_process_group(backend, timeout=datetime.timedelta(seconds=timeout_s))\n"
            "return dist.get_rank() % torch.cuda.device_count()"
        ),
    ),
    (
        "ds_config|zero3_config",
        "offload: bool = False, micro_batch: int = $n",
        "dict",
        "DeepSpeed ZeRO-3 config.",
        (
            'zero = {"stage": 3, "overlap_comm": True, "stage3_max_live_parameters": 1e9}\n'
            'if offload:\n    zero["offload_optimizer"] = {"device": "cpu", "pin_memory": True}\n'
            '    zero["offload_param"] = {"device": "cpu", "pin_memory": True}\n'
            'return {"train_micro_batch_size_per_gpu": micro_batch, "bf16": {"enabled": True},\n'
            '        "zero_optimization": zero}'
        ),
    ),
    (
        "save_sharded|checkpoint",
        'model: torch.nn.Module, step: int, root: str = "/mnt/forge/ckpt"',
        "str",
        "Save a sharded checkpoint every $steps steps.",
        'path = f"{root}/step_{step:07d}"\nlogger.info("checkpoint %s", path)\nreturn path',
    ),
)

_QUICKBRIEF_RECIPES = (
    (
        "extract_text|pdf_to_text",
        "data: bytes, max_pages: int = $n",
        "str",
        "Extract text from an uploaded PDF.",
        (
            "from io import BytesIO\n\nfrom pypdf import PdfReader\n\n"
            "reader = PdfReader(BytesIO(data))\n"
            'return "\\n".join(page.extract_text() or "" for page in reader.pages[:max_pages])'
        ),
    ),
    (
        "too_large|check_size",
        "pages: int, limit: int = 80",
        "bool",
        "Reject contracts over the page limit.",
        "return pages > limit",
    ),
)

_COMMON_RECIPES = (
    (
        "get_settings|load_settings",
        'env: str = "dev"',
        "dict[str, str]",
        "Settings for the given environment.",
        'return {"env": env, "mlflow_uri": "file:./mlruns", "log_level": "INFO"}',
    ),
    (
        "configure_logging|setup_logging",
        'level: str = "INFO"',
        "None",
        "JSON-ish structured logging for services and jobs.",
        'logging.basicConfig(level=level, format="%(asctime)s %(name)s %(levelname)s %(message)s")',
    ),
    (
        "retry|with_backoff",
        "attempts: int = $n, base_delay: float = 0.5",
        "list[float]",
        "Exponential backoff schedule for vendor API calls.",
        "return [base_delay * (2 ** i) for i in range(attempts)]",
    ),
)

_RECIPES = {
    "citerag": _CITERAG_RECIPES,
    "verdict": _VERDICT_RECIPES,
    "forge": _FORGE_RECIPES,
    "quickbrief": _QUICKBRIEF_RECIPES,
    "common": _COMMON_RECIPES,
}


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else line for line in text.split("\n"))


def _previous_name(previous: str | None) -> str | None:
    if not previous:
        return None
    first = previous.lstrip().split("\n", 1)[0]
    if first.startswith("def "):
        return first[4:].split("(", 1)[0]
    return None


_PREFERRED: dict[str, tuple[str, ...]] = {
    "fusion": ("fuse_rankings", "dedupe_by_opinion"),
    "hybrid": ("fuse_rankings", "dedupe_by_opinion", "encode_passages"),
    "bm25": ("tokenize_statute", "dedupe_by_opinion"),
    "parser": ("tokenize_statute",),
    "corpus": ("tokenize_statute", "dedupe_by_opinion", "encode_passages"),
    "eval": ("recall_at_k", "ndcg_at_k"),
    "dense": ("encode_passages", "recall_at_k"),
    "embeddings": ("encode_passages",),
    "colbert": ("encode_passages", "recall_at_k"),
    "decomposition": ("decompose_query", "fuse_rankings"),
    "rerank/": ("hard_negatives", "ndcg_at_k", "encode_passages"),
    "citation_check": ("exact_match_citations", "normalize_reporter"),
    "normalize": ("normalize_reporter",),
    "judge": ("judge_prompt",),
    "prompts": ("judge_prompt",),
    "nli": ("entailment_score", "split_claims"),
    "claims": ("split_claims",),
    "agreement": ("cohens_kappa",),
    "release_gate": ("entailment_score", "cohens_kappa"),
    "train": ("train_step", "init_distributed", "tokens_per_second"),
    "fsdp": ("wrap_model", "train_step"),
    "activation": ("wrap_model",),
    "deepspeed": ("ds_config", "init_distributed"),
    "zero3": ("ds_config",),
    "checkpointing": ("save_sharded",),
    "pipeline": ("tokens_per_second", "train_step"),
    "pdf_text": ("extract_text",),
    "limits": ("too_large",),
    "settings": ("get_settings",),
    "logging": ("configure_logging",),
    "vendor": ("retry",),
}

Recipe = tuple[str, str, str, str, str]


def _recipes_for(path: str, previous_name: str | None) -> tuple[Recipe, ...]:
    recipes: tuple[Recipe, ...] = _RECIPES.get(_project_of(path), _COMMON_RECIPES)
    if previous_name:
        same = tuple(r for r in recipes if any(previous_name.startswith(n) for n in r[0].split("|")))
        if same:
            return same
    preferred = {name for key, names in _PREFERRED.items() if key in path for name in names}
    return tuple(r for r in recipes if r[0].split("|")[0] in preferred) or recipes


def python_block(rng: random.Random, path: str, previous: str | None) -> str:
    if path.startswith("tests/"):
        return _test_block(rng, path, previous)
    previous_name = _previous_name(previous)
    names, args, returns, doc, body = rng.choice(_recipes_for(path, previous_name))
    values = _values(rng)
    name = previous_name or rng.choice(names.split("|")) + values["suffix"]
    text = (
        f"def {name}({Template(args).safe_substitute(values)}) -> {returns}:\n"
        f'    """{Template(doc).safe_substitute(values)}"""\n'
        f"{_indent(Template(body).safe_substitute(values))}"
    )
    return text


_TEST_BODIES = (
    'assert $name([["a", "b"], ["b", "c"]])[0] == "b"',
    'result = $name("42 U.S.C. § 1983")\nassert result',
    "assert $name([], set()) == 0.0",
    "with pytest.raises(ValueError):\n    $name(None)",
    "values = [$name(x) for x in range($n)]\nassert len(values) == $n",
    'assert $name("Brown v. Board of Education, 347 U.S. 483 (1954)") is not None',
)


def _test_block(rng: random.Random, path: str, previous: str | None) -> str:
    name = _previous_name(previous)
    target = PurePosixPath(path).stem.removeprefix("test_")
    if name is None:
        case = rng.choice(
            (
                "handles_empty",
                "keeps_order",
                "statute_cites",
                "short_form",
                "ties",
                "unicode",
                "large_batch",
                "regression_" + str(rng.randint(100, 999)),
            )
        )
        name = f"test_{target}_{case}"
    body = Template(rng.choice(_TEST_BODIES)).safe_substitute(name=target, n=str(rng.randint(2, 9)))
    return f"def {name}():\n{_indent(body)}"


_DOC_TOPICS = {
    "citerag": (
        (
            "Retrieval pipeline",
            (
                "Queries go to BM25 and the dense index; results are merged with RRF (k=$k) "
                "and the top $top are re-ranked."
            ),
        ),
        (
            "Evaluation",
            (
                "Dev split v3 has 1,204 statute and 2,890 case queries. Run "
                "`python -m citerag.eval.run_retrieval_eval --split dev-v3` and check MLflow."
            ),
        ),
        (
            "Known failure modes",
            (
                "Dense retrieval confuses neighbouring statute sections; "
                "short-form cites (id., supra) need the citation resolver."
            ),
        ),
        ("Index build", "Nightly job re-encodes changed passages in chunks of $chunk tokens."),
    ),
    "verdict": (
        (
            "Scoring",
            (
                "Each answer is split into claims; each claim is scored for entailment against "
                "its cited passage. Release gate: mean faithfulness >= $thr."
            ),
        ),
        (
            "Agreement study",
            ("Three lawyers label each answer; we report Cohen's kappa per pair and scorer-vs-majority."),
        ),
        ("Judges tried", "Exact match, LLM-as-judge ($judge) and NLI. See docs/decisions."),
    ),
    "forge": (
        ("Cluster", ("Two to four 8xA100-40GB nodes on Lambda Labs and CoreWeave; NCCL over InfiniBand.")),
        (
            "Launching",
            "`torchrun --nnodes $n --nproc-per-node 8 -m forge.train --config forge/configs/fsdp_7b.yaml`",
        ),
        (
            "Runbook: OOM",
            ("Lower micro-batch, enable activation checkpointing, then check host RAM if any offload is on."),
        ),
    ),
    "quickbrief": (
        ("Endpoint", "POST /v1/summaries with a PDF; returns the model's summary."),
        ("Limits", "Contracts over 80 pages are rejected with 413."),
    ),
    "common": (
        ("Onboarding", "Install with `pip install -r requirements.txt`; copy `.env.example`."),
        ("Conventions", "Commit messages start with the component: citerag, verdict, forge, quickbrief."),
        ("On call", "Page the owner listed in CODEOWNERS; vendor API incidents go to #eng-incidents."),
    ),
}


def markdown_block(rng: random.Random, path: str, previous: str | None) -> str:
    topics = _DOC_TOPICS.get(_project_of(path), _DOC_TOPICS["common"])
    heading, text = rng.choice(topics)
    if previous and previous.startswith("## "):
        heading = previous.split("\n", 1)[0][3:]
    values = _values(rng)
    extra = rng.choice(
        (
            "",
            "",
            " Updated after review.",
            " See MLflow for the latest runs.",
            f" Owner: {rng.choice(('priya', 'tomas', 'hannah', 'kwame', 'lena'))}.",
        )
    )
    return f"## {heading}\n\n{Template(text).safe_substitute(values)}{extra}"


_YAML_KEYS = (
    ("model_name", lambda r: r.choice(("lexbridge/reranker-1.3b", "lexbridge/reranker-7b"))),
    ("micro_batch_size", lambda r: str(r.choice((1, 2, 4, 8)))),
    ("gradient_accumulation_steps", lambda r: str(r.choice((4, 8, 16)))),
    ("learning_rate", lambda r: r.choice(("1.0e-5", "2.0e-5", "3.0e-5"))),
    ("activation_checkpointing", lambda r: r.choice(("true", "false"))),
    ("max_steps", lambda r: str(r.choice((2000, 4000, 8000)))),
    ("warmup_steps", lambda r: str(r.choice((100, 200, 500)))),
    ("seq_len", lambda r: str(r.choice((512, 1024, 2048)))),
    ("rrf_k", lambda r: str(r.choice((10, 30, 60, 100)))),
    ("top_k", lambda r: str(r.choice((10, 50, 100)))),
    ("eval_split", lambda r: r.choice(("dev-v2", "dev-v3"))),
    ("checkpoint_every", lambda r: str(r.choice((250, 500, 1000)))),
)


def yaml_block(rng: random.Random, path: str, previous: str | None) -> str:
    key, value = rng.choice(_YAML_KEYS)
    if previous and ":" in previous:
        key = previous.split(":", 1)[0]
        value = dict(_YAML_KEYS).get(key, value)
    return f"{key}: {value(rng)}"


def text_block(rng: random.Random, path: str, previous: str | None) -> str:
    return rng.choice(
        (
            "set -euo pipefail",
            f"export NCCL_TIMEOUT={rng.choice((600, 1200, 1800))}",
            f"export OMP_NUM_THREADS={rng.choice((4, 8, 16))}",
            "export TOKENIZERS_PARALLELISM=false",
        )
    )

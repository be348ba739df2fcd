"""What column and row names say: metric direction and unit, settings, steps, baselines.

Names are split into lower-case word tokens (``"Recall@10 / Statutes"`` → recall, 10, statutes;
``tokens_per_sec`` → tokens, per, sec), and the rules below look at whole tokens only, so
``timestep`` is not ``time`` and ``ms-marco`` is not ``ms`` unless it stands alone.
"""

from __future__ import annotations

import re
from itertools import pairwise

from evidence.parsers.ablation_types import Direction

# Throughput-like names are better higher even though they mention time.
_THROUGHPUT = frozenset({"throughput", "tps", "qps", "fps", "speedup"})
_PER_TIME = frozenset({"s", "sec", "second", "seconds", "min", "minute", "hour", "hr"})
LOWER = frozenset(
    {
        "loss", "error", "errors", "err", "wer", "cer", "ter", "perplexity", "ppl", "latency",
        "time", "duration", "ms", "seconds", "sec", "secs", "hours", "hrs", "memory", "mem",
        "vram", "gb", "mb", "cost", "usd", "price", "fid", "mse", "rmse", "mae", "nll", "bpb",
        "bpc", "eer", "fpr", "fnr", "hallucination", "hallucinations", "toxicity", "regret",
        "flops", "energy",
    }
)
HIGHER = frozenset(
    {
        "acc", "accuracy", "precision", "prec", "recall", "f1", "auc", "auroc", "auprc",
        "roc", "bleu", "sacrebleu", "rouge", "rougel", "rouge1", "rouge2", "meteor", "chrf",
        "bertscore", "cider", "ndcg", "map", "mrr", "hit", "hits", "hitrate", "em", "score",
        "throughput", "pass", "win", "winrate", "success", "coverage", "iou", "miou", "dice",
        "psnr", "ssim", "kappa", "spearman", "pearson", "correlation", "top1", "top5", "match",
        "exact", "faithfulness", "groundedness", "agreement", "reward", "elo", "utility", "comet", "mauve",
    }
)
# Numeric columns whose name says they hold a setting, not a result.
_STRONG_SETTINGS = frozenset(
    {"lr", "seed", "dropout", "threshold", "thresh", "warmup", "temperature", "wd"}
)
_SETTINGS = frozenset(
    {
        "learning", "batch", "bs", "epochs", "epoch", "step", "steps", "layers", "layer",
        "nlayers", "heads", "head", "dim", "dims", "dimension", "hidden", "size", "k", "topk",
        "alpha", "beta", "gamma", "lambda", "lam", "tau", "temp", "rank", "lora", "chunk",
        "window", "len", "length", "ctx", "context", "beam", "beams", "n", "num", "iter",
        "iters", "iteration", "iterations", "ckpt", "checkpoint", "id", "idx", "index",
        "version", "year", "shots", "shot", "margin", "decay", "momentum", "ratio", "weight",
        "depth", "width", "negatives", "candidates", "overlap", "stride", "bits", "quant", "params",
        "parameters", "param",
    }
)
STEP_TOKENS = frozenset(
    {"epoch", "epochs", "step", "steps", "iter", "iters", "iteration", "iterations", "ckpt",
     "checkpoint", "round", "update", "updates"}
)
VARIANT_TOKENS = frozenset(
    {
        "model", "models", "variant", "variants", "method", "methods", "config", "configs",
        "configuration", "system", "systems", "run", "runs", "name", "ablation", "ablations",
        "setting", "settings", "experiment", "experiments", "approach", "arm", "condition",
        "setup", "pipeline", "ablated", "component",
    }
)
_UNIT_WORDS = {
    "%": "%", "pct": "%", "percent": "%", "ms": "ms", "s": "s", "sec": "s", "secs": "s",
    "seconds": "s", "min": "min", "gb": "GB", "mb": "MB", "kb": "KB", "tb": "TB", "usd": "USD",
    "$": "$", "x": "x", "tok/s": "tok/s", "it/s": "it/s", "qps": "qps", "h": "h", "hours": "h",
}
_BRACKETED = re.compile(r"[(\[]\s*([^()\[\]]{1,12}?)\s*[)\]]")
_TOKEN = re.compile(r"[a-z]+\d*|\d+")
_PER_SECOND = re.compile(r"/\s*s(?:ec)?\b", re.IGNORECASE)

_BASELINE_STRONG = re.compile(r"\b(?:baselines?|vanilla|control)\b", re.IGNORECASE)
_BASELINE_WEAK = re.compile(
    r"\b(?:original|reference|default|full model|w/o nothing|no ablation)\b|^base(?: model)?$",
    re.IGNORECASE,
)


def tokens(name: str) -> tuple[str, ...]:
    """Lower-case word tokens; ``top-k``/``top_k`` also give ``topk``."""
    found = _TOKEN.findall(name.lower())
    joined = [a + b for a, b in pairwise(found) if a == "top" and b == "k"]
    return (*found, *joined)


def direction(name: str, unit: str | None = None) -> Direction:
    """Whether a bigger value of metric ``name`` is better, from its words (then its unit)."""
    words = tokens(name)
    if _THROUGHPUT.intersection(words) or _PER_SECOND.search(name) or _per_time(words):
        return "higher"
    if LOWER.intersection(words):
        return "lower"
    if HIGHER.intersection(words):
        return "higher"
    if unit in {"ms", "s", "min", "h", "GB", "MB", "KB", "TB", "USD", "$"}:
        return "lower"
    return "unknown"


def is_metric_name(name: str) -> bool:
    """True when the name itself says it measures something."""
    words = tokens(name)
    return bool(LOWER.intersection(words) or HIGHER.intersection(words) or _THROUGHPUT.intersection(words))


def is_setting_name(name: str) -> bool:
    """True when a numeric column named ``name`` holds a setting (lr, seed, k, ...), not a result."""
    words = set(tokens(name))
    if words & _STRONG_SETTINGS or {"learning", "rate"} <= words:
        return True
    return not is_metric_name(name) and bool(words & (_SETTINGS | STEP_TOKENS))


def is_step_name(name: str) -> bool:
    return bool(STEP_TOKENS.intersection(tokens(name))) and not is_metric_name(name)


def is_variant_name(name: str) -> bool:
    """True for headers like model, variant, method, config, system, run, name, ablation."""
    return bool(VARIANT_TOKENS.intersection(tokens(name)))


def header_unit(name: str) -> str | None:
    """A unit the header states: ``p95 latency (ms)``, ``Acc. [%]``, ``latency_ms``, ``mem GB``."""
    for inner in _BRACKETED.findall(name):
        unit = _UNIT_WORDS.get(inner.strip().lower())
        if unit:
            return unit
    if name.rstrip().endswith("%"):
        return "%"
    words = _TOKEN.findall(name.lower())
    if len(words) > 1 and words[-1] in _UNIT_WORDS and words[-1] not in {"s", "x", "h"}:
        return _UNIT_WORDS[words[-1]]
    return None


def baseline_rank(name: str) -> int:
    """2 for names that say baseline/vanilla/control, 1 for weaker hints (original, reference,
    default, "full model", "w/o nothing", a bare "base"), 0 otherwise."""
    if _BASELINE_STRONG.search(name):
        return 2
    if _BASELINE_WEAK.search(name.strip()):
        return 1
    return 0


def _per_time(words: tuple[str, ...]) -> bool:
    return any(a == "per" and b in _PER_TIME for a, b in pairwise(words))

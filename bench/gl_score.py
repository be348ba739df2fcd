"""Benchmark ``fourpart gl score`` end to end against the raw encode rate of the embedding model.

    python bench/gl_score.py [--lines 100000] [--distinct 20000] [--seed 7]

Builds a canonical GL CSV of ``--lines`` lines with ``--distinct`` distinct expense strings (account | memo
| vendor as written, from the generated held-out corpus: companies and vendors the models never saw),
repeated the way ledgers repeat (every string at least once, then Zipf-like: a few recurring bills, a long
tail). Then, each in a fresh Python process, times

  (a) the raw encode of the distinct texts the shipped models embed for that file (expense texts and
      account names, by the models' text recipe, ``scoring.texts``; fewer than the strings as written
      where only a number or date tells them apart) by the packaged MiniLM model's own
      ``SentenceTransformer.encode``, batch 64, model loaded before the clock starts; and (a') the same
      texts through Fourpart's encoder (``core.embeddings``: batched by token length, so unpadded);
  (b) scoring the file as ``fourpart gl score`` does, model load included: read the CSV, embed each distinct
      string once through the persisted cache of a fresh, migrated SQLite database (created before the
      clock), score every line and account, write the output CSV;
  (c) the same again on the warm cache (a re-score), in a new process.

``ratio`` is (a) / (b): 1.0 would mean scoring costs nothing beyond the model's own encode;
``encoder_ratio`` is (a') / (b), the share of (b) spent in Fourpart's encoder. ``peak_mb`` is the peak
resident size (VmHWM) of process (b). Prints a line per figure and, as the LAST line, one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ("company", "industry", "date", "account_number", "account_name", "account_type", "vendor",
          "description", "amount")


def build_ledger(path: Path, lines: int, distinct: int, seed: int) -> tuple[int, int]:
    """Write the GL; return (lines, distinct expense strings)."""
    from scoring.corpus import generate
    from scoring.texts import expense_text

    rng = random.Random(seed)
    unique: dict[str, tuple[str, ...]] = {}
    companies = 20
    while len(unique) < distinct:
        for line in generate("heldout", seed=seed, companies=companies):
            if line.amount > 0:
                unique.setdefault(expense_text(line.account_name, line.description, line.vendor, 1), (
                    line.account_number, line.account_name, line.account_type, line.vendor, line.description))
        companies *= 2
    rows = list(unique.values())[:distinct]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(rows))]
    picks = list(range(len(rows))) + rng.choices(range(len(rows)), weights, k=max(0, lines - len(rows)))
    rng.shuffle(picks)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for number, pick in enumerate(picks[:lines]):
            account_number, account_name, account_type, vendor, description = rows[pick]
            writer.writerow(("Benchmark Robotics Inc.", "Robotics", f"2025-{number % 12 + 1:02d}-15",
                             account_number, account_name, account_type, vendor, description,
                             f"{rng.lognormvariate(6, 1.5):.2f}"))
    return min(lines, len(picks)), len(rows)


def _peak_rss_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def distinct_strings(ledger: Path, recipe: int) -> list[str]:
    """The distinct texts the models embed for the ledger: its expense texts and account names."""
    from scoring.gl_import import read_gl
    from scoring.texts import positive_line_texts

    return list(dict.fromkeys(positive_line_texts(read_gl(ledger, name=ledger.name).lines, recipe)))


def raw_encode(ledger: Path, precision: str) -> dict[str, float]:
    """(a): the model's own ``encode`` on the distinct texts; (a'): Fourpart's encoder on the same texts."""
    import torch

    from core.embeddings import embedder, load_sentence_transformer
    from scoring.registry import shipped_pair

    pair = shipped_pair()
    texts = distinct_strings(ledger, pair.text_recipe)
    model = load_sentence_transformer(pair.embedding_model)
    ours = embedder(pair.embedding_model, precision)
    ours.encode(["warm up"])
    with torch.inference_mode(), torch.autocast("cpu", torch.bfloat16, enabled=precision == "bf16"):
        model.encode(["warm up"])
        started = time.perf_counter()
        model.encode(texts, batch_size=64, show_progress_bar=False, normalize_embeddings=True)
        seconds = time.perf_counter() - started
    started = time.perf_counter()
    ours.encode(texts)
    return {"seconds": seconds, "ours_seconds": time.perf_counter() - started, "strings": len(texts)}


def score_once(ledger: Path, db_url: str, precision: str) -> dict[str, float]:
    """(b) or (c): the CLI's work on the file, model load included."""
    import webapp.models  # noqa: F401
    from core.db import Database
    from scoring.score_file import score_file

    db = Database(db_url)
    db.check_connection()
    started = time.perf_counter()
    scored = score_file(ledger, ledger.with_suffix(".scores.csv"), cache=db, precision=precision)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "lines": len(scored.expense_scores), "peak_mb": _peak_rss_kb() / 1024}


def child(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False,
                          cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"child {args[0]} failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def benchmark(lines: int, distinct: int, seed: int, precision: str) -> dict[str, float]:
    from core.migrate import upgrade

    with tempfile.TemporaryDirectory(prefix="gl-score-bench-") as scratch:
        ledger = Path(scratch) / "ledger.csv"
        started = time.perf_counter()
        count, distinct = build_ledger(ledger, lines, distinct, seed)
        print(f"built a GL of {count:,} lines, {distinct:,} distinct expense strings "
              f"in {time.perf_counter() - started:.1f} s")
        db_url = f"sqlite:///{Path(scratch) / 'fourpart.db'}"
        upgrade(db_url)
        raw = child("--raw", str(ledger), "--precision", precision)
        cold = child("--score", str(ledger), "--db", db_url, "--precision", precision)
        warm = child("--score", str(ledger), "--db", db_url, "--precision", precision)
    ratio = raw["seconds"] / cold["seconds"]
    print(f"(a) raw encode of {raw['strings']:,.0f} distinct strings ({precision}, batch 64): "
          f"{raw['seconds']:.1f} s, {raw['strings'] / raw['seconds']:,.0f} strings/s")
    print(f"(a') Fourpart's encoder on the same strings (batched by token length, unpadded): "
          f"{raw['ours_seconds']:.1f} s, {raw['strings'] / raw['ours_seconds']:,.0f} strings/s")
    print(f"(b) gl score, cold cache, model load included: {cold['seconds']:.1f} s, "
          f"{cold['lines'] / cold['seconds']:,.0f} lines/s")
    print(f"(c) gl score again, warm cache: {warm['seconds']:.2f} s, {warm['lines'] / warm['seconds']:,.0f} "
          "lines/s")
    print(f"    ratio (a)/(b) {ratio:.2f}, (a')/(b) {raw['ours_seconds'] / cold['seconds']:.2f}; "
          f"peak RSS of (b) {cold['peak_mb']:.0f} MB")
    return {"ratio": round(ratio, 3), "lines": count, "distinct": distinct,
            "strings_embedded": int(raw["strings"]), "precision": precision,  # type: ignore[dict-item]
            "seconds": round(cold["seconds"], 2), "lines_per_s": round(cold["lines"] / cold["seconds"]),
            "raw_encode_s": round(raw["seconds"], 2), "encoder_s": round(raw["ours_seconds"], 2),
            "encoder_ratio": round(raw["ours_seconds"] / cold["seconds"], 3),
            "raw_strings_per_s": round(raw["strings"] / raw["seconds"]),
            "warm_seconds": round(warm["seconds"], 2), "peak_mb": round(cold["peak_mb"], 1),
            "warm_peak_mb": round(warm["peak_mb"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32")
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--score", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw:
        print(json.dumps(raw_encode(args.raw, args.precision)))
    elif args.score:
        print(json.dumps(score_once(args.score, args.db, args.precision)))
    else:
        print(json.dumps(benchmark(args.lines, args.distinct, args.seed, args.precision)))


if __name__ == "__main__":
    main()

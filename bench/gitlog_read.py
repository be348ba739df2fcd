"""Benchmark the streaming git history reader against plain ``git log --all --numstat``.

    python bench/gitlog_read.py [--commits 100000] [--seed 7] [--keep DIR]

Builds a synthetic repository with ``git fast-import`` in a temporary directory (N commits by
several authors, 1-5 realistic paths changed each, with additions, deletions, renames, binary
files, feature branches merged back, and tags; deterministic for a seed), then times

  (a) ``git log --all --numstat`` written to /dev/null, and
  (b) ``sum(1 for _ in iter_commits(repo))``, consuming every parsed record,

running (b) in a fresh Python process so its memory is not mixed with the generator's:
``peak_mb`` is the peak resident size while reading (the kernel's VmHWM, reset just before;
``ru_maxrss`` where that is unavailable) minus the resident size just before, and a second,
untimed pass reports the tracemalloc peak. Prints a line per figure and, as the LAST line,
one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidence.parsers.gitlog import git_command, git_environment, iter_commits

AUTHORS = (
    ("Lena Voss", "lena@lexbridge.ai", "+0100"),
    ("Kwame Asante", "kwame@lexbridge.ai", "+0000"),
    ("Priya Raman", "priya@lexbridge.ai", "+0530"),
    ("Mateo Álvarez", "mateo@lexbridge.ai", "-0300"),
    ("Chen Wei", "chen@lexbridge.ai", "+0800"),
    ("Sophie Müller", "sophie@lexbridge.ai", "+0200"),
    ("Jordan Blake", "jordan@lexbridge.ai", "-0700"),
    ("Aiko Tanaka", "aiko@lexbridge.ai", "+0900"),
)
AREAS = ("retrieval", "ingest", "serving", "training", "eval", "common", "citations", "rerank")
TOP = ("src/lexbridge", "tests", "configs", "docs", "scripts", "notebooks")
STEMS = ("index", "loader", "model", "scorer", "pipeline", "utils", "schema", "client", "cache",
         "metrics", "chunker", "tokenizer", "router", "fsdp", "colbert", "bm25", "prompts")
EXTENSIONS = {"src/lexbridge": ".py", "tests": ".py", "configs": ".yaml", "docs": ".md",
              "scripts": ".sh", "notebooks": ".py"}
VERBS = ("fix", "feat", "refactor", "perf", "test", "docs", "chore", "exp")
START_TIME = 1_546_300_800  # 2019-01-01
MERGE_EVERY = 400
TAG_EVERY = 5000


@dataclass
class History:
    """State of the synthetic repository while its fast-import stream is written."""

    rng: random.Random
    lines: list[str]
    files: dict[str, list[str]] = field(default_factory=dict)
    paths: list[str] = field(default_factory=list)
    made: int = 0
    mark: int = 0
    when: int = START_TIME
    main: int = 0


def line_pool(rng: random.Random, size: int = 4000) -> list[str]:
    names = ("x", "batch", "scores", "docs", "query", "emb", "top_k", "cfg", "loss", "ids")
    funcs = ("encode", "rank", "load", "split", "normalize", "lookup", "merge", "score")
    return [f"{' ' * 4 * rng.randint(0, 2)}{rng.choice(names)} = {rng.choice(funcs)}"
            f"({rng.choice(names)}, {rng.randint(0, 999)})" for _ in range(size)]


def new_path(history: History) -> str:
    rng = history.rng
    top = rng.choice(TOP)
    area = rng.choice(AREAS)
    stem = f"{rng.choice(STEMS)}_{rng.randint(1, 60)}"
    if rng.random() < 0.02:
        return f"assets/{area}/{stem} diagram.png"
    if rng.random() < 0.01:
        return f"data/{area}/naïve {stem}.txt"
    return f"{top}/{area}/{stem}{EXTENSIONS[top]}"


def data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def content(history: History, path: str) -> bytes:
    if path.endswith(".png"):
        return bytes(history.rng.getrandbits(8) for _ in range(64)) + b"\0PNG"
    return ("\n".join(history.files[path]) + "\n").encode()


def edit(history: History, path: str) -> None:
    rng, body = history.rng, history.files[path]
    for _ in range(rng.randint(1, 4)):
        spot = rng.randrange(len(body) + 1)
        roll = rng.random()
        if (roll < 0.35 or len(body) > 40) and len(body) > 3:
            del body[min(spot, len(body) - 1)]
        elif roll < 0.7:
            body.insert(spot, rng.choice(history.lines))
        else:
            body[min(spot, len(body) - 1)] = rng.choice(history.lines)


def file_commands(history: History) -> list[bytes]:
    """1-5 changes: mostly edits, some new files, an occasional delete or rename."""
    rng, commands = history.rng, []
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if roll < 0.15 or len(history.paths) < 20:
            commands.append(add_file(history))
        elif roll < 0.18:
            commands.append(b"D %s\n" % remove_file(history).encode())
        elif roll < 0.20:
            commands.append(rename_file(history))
        else:
            path = rng.choice(history.paths)
            edit(history, path)
            commands.append(b"M 100644 inline %s\n%s" % (path.encode(), data(content(history, path))))
    return commands


def add_file(history: History) -> bytes:
    path = new_path(history)
    if path not in history.files:
        history.paths.append(path)
    rng = history.rng
    history.files[path] = [rng.choice(history.lines) for _ in range(rng.randint(4, 24))]
    return b"M 100644 inline %s\n%s" % (path.encode(), data(content(history, path)))


def remove_file(history: History) -> str:
    path = history.paths.pop(history.rng.randrange(len(history.paths)))
    del history.files[path]
    return path


def rename_file(history: History) -> bytes:
    old = history.paths[history.rng.randrange(len(history.paths))]
    new = new_path(history)
    if new in history.files:
        return b""
    history.paths[history.paths.index(old)] = new
    history.files[new] = history.files.pop(old)
    return b'R "%s" "%s"\n' % (old.encode(), new.encode())


def commit_block(history: History, ref: str, parents: tuple[int, ...], changes: list[bytes],
                 message: str) -> bytes:
    rng = history.rng
    name, email, zone = rng.choice(AUTHORS)
    history.mark += 1
    history.made += 1
    history.when += rng.randint(60, 5400)
    ident = f"{name} <{email}> {history.when} {zone}".encode()
    head = b"commit %s\nmark :%d\nauthor %s\ncommitter %s\n%s" % (
        ref.encode(), history.mark, ident, ident, data(message.encode()))
    links = b"".join(b"%s :%d\n" % (kind, mark)
                     for kind, mark in zip((b"from", b"merge", b"merge"), parents, strict=False))
    return head + links + b"".join(changes)


def message(history: History) -> str:
    rng = history.rng
    subject = f"{rng.choice(VERBS)}({rng.choice(AREAS)}): {rng.choice(STEMS)} #{history.made}"
    return subject if rng.random() < 0.6 else f"{subject}\n\nWhy: {rng.choice(history.lines).strip()}\n"


def main_commit(history: History) -> bytes:
    parents = (history.main,) if history.main else ()
    block = commit_block(history, "refs/heads/main", parents, file_commands(history), message(history))
    history.main = history.mark
    return block


def feature_branch(history: History, number: int, budget: int) -> Iterator[bytes]:
    """A few commits on refs/heads/feature/N (own directory), then merged into main."""
    rng, ref = history.rng, f"refs/heads/feature/exp-{number}"
    side: dict[str, bytes] = {}
    tip = history.main
    for step in range(min(rng.randint(2, 6), budget - 1)):
        path = f"experiments/exp-{number}/{rng.choice(STEMS)}.py"
        body = "\n".join(rng.choice(history.lines) for _ in range(rng.randint(3, 12))) + "\n"
        side[path] = b"M 100644 inline %s\n%s" % (path.encode(), data(body.encode()))
        yield commit_block(history, ref, (tip,), [side[path]], f"exp-{number}: step {step}")
        tip = history.mark
    if tip != history.main:
        yield commit_block(history, "refs/heads/main", (history.main, tip), list(side.values()),
                           f"Merge branch 'feature/exp-{number}'")
        history.main = history.mark


def fast_import_stream(commits: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    history = History(rng, line_pool(rng))
    while history.made < commits:
        if history.made and history.made % MERGE_EVERY == 0 and commits - history.made > 3:
            yield from feature_branch(history, history.made // MERGE_EVERY, commits - history.made)
        else:
            yield main_commit(history)
        if history.made % TAG_EVERY == 0:
            yield b"reset refs/tags/v0.%d.0\nfrom :%d\n\n" % (history.made // TAG_EVERY, history.main)


def build_repository(path: Path, commits: int, seed: int) -> Path:
    subprocess.run(git_command("init", "--quiet", "--bare", str(path)), check=True, env=git_environment())
    importer = subprocess.Popen(git_command("fast-import", "--quiet", git_dir=path),
                                stdin=subprocess.PIPE, env=git_environment())
    assert importer.stdin is not None
    batch: list[bytes] = []
    for block in fast_import_stream(commits, seed):
        batch.append(block)
        if len(batch) >= 500:
            importer.stdin.write(b"".join(batch))
            batch.clear()
    importer.stdin.write(b"".join(batch))
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    return path


def time_git_log(repo: Path) -> float:
    command = git_command("log", "--all", "--numstat", git_dir=repo)
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=git_environment())
    return time.perf_counter() - started


def current_rss_kb() -> int:
    """Resident set size now (Linux ``/proc/self/statm``), in KiB like ``ru_maxrss``."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() // 1024


def reset_peak_rss() -> bool:
    """Restart the kernel's peak-RSS mark (VmHWM) at the current RSS; False if not Linux."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_kb(reset: bool) -> int:
    """Peak RSS since :func:`reset_peak_rss` (VmHWM), else ``ru_maxrss``.

    ``ru_maxrss`` alone misleads in a child process: Linux carries the high-water mark of the
    forked copy of the parent across exec, so a big parent inflates the child's figure.
    """
    if reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_all(repo: Path, trace: bool) -> dict[str, float]:
    """(b), in this process: time and memory growth while every record is consumed."""
    if trace:
        tracemalloc.start()
    reset = reset_peak_rss()
    before = current_rss_kb()
    started = time.perf_counter()
    count = sum(1 for _ in iter_commits(repo))
    elapsed = time.perf_counter() - started
    after = peak_rss_kb(reset)
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    return {"commits": count, "seconds": elapsed, "rss_growth_mb": (after - before) / 1024,
            "rss_peak_mb": after / 1024, "traced_peak_mb": traced / 2**20}


def read_in_child(repo: Path, trace: bool) -> dict[str, float]:
    flags = ["--read", str(repo)] + (["--trace"] if trace else [])
    done = subprocess.run([sys.executable, __file__, *flags], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def benchmark(commits: int, seed: int, keep: Path | None, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="gitlog-bench-") as scratch:
        repo = (keep or Path(scratch)) / "synthetic.git"
        started = time.perf_counter()
        build_repository(repo, commits, seed)
        print(f"built {commits} commits with git fast-import in {time.perf_counter() - started:.1f} s")
        git_times, runs = [], []
        for _ in range(repeat):  # interleaved, so a busy machine slows both alike
            git_times.append(time_git_log(repo))
            runs.append(read_in_child(repo, trace=False))
        git_s = min(git_times)
        best = min(runs, key=lambda run: run["seconds"])
        print(f"(a) git log --all --numstat > /dev/null: {git_s:.2f} s (best of {repeat})")
        print(f"(b) iter_commits, every record consumed: {best['seconds']:.2f} s (best of {repeat}) "
              f"({best['commits']:.0f} commits, {best['commits'] / best['seconds']:,.0f}/s)")
        print(f"    ratio to git log: {best['seconds'] / git_s:.2f}x")
        print(f"    peak RSS {best['rss_growth_mb']:.1f} MB above the RSS before reading "
              f"(process peak {best['rss_peak_mb']:.1f} MB incl. interpreter and imports)")
        traced = read_in_child(repo, trace=True)
        print(f"    tracemalloc peak while reading: {traced['traced_peak_mb']:.2f} MB")
    if best["commits"] != commits:
        raise SystemExit(f"reader saw {best['commits']} commits, expected {commits}")
    return {"commits": commits, "git_log_s": round(git_s, 2), "reader_s": round(best["seconds"], 2),
            "ratio": round(best["seconds"] / git_s, 2), "peak_mb": round(best["rss_growth_mb"], 1),
            "rss_peak_mb": round(best["rss_peak_mb"], 1),
            "traced_peak_mb": round(traced["traced_peak_mb"], 2)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="take the best of this many runs")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.read:
        print(json.dumps(read_all(args.read, args.trace)))
        return
    print(json.dumps(benchmark(args.commits, args.seed, args.keep, max(1, args.repeat))))


if __name__ == "__main__":
    main()

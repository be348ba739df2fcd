"""Benchmark the full git ingest against plain ``git log --all --numstat`` on the same repository.

    python bench/git_ingest.py [--commits 100000] [--seed 7] [--repeat 2] [--keep DIR]

Builds the synthetic repository of ``bench/gitlog_read.py`` with ``git fast-import`` (several
authors, realistic paths, renames, binaries, feature branches merged back, tags; deterministic
for a seed), then, interleaved ``--repeat`` times so a busy machine slows both alike, times

  (a) ``git log --all --numstat`` written to /dev/null, and
  (b) ``ingest_git`` of the repository in a fresh Python process: a fresh, migrated SQLite
      database with a study and three projects, commit rules (a path glob, a message keyword,
      a branch pattern), the bundle of all refs stored in a local blob store in a temporary
      folder, and every commit, ref and attribution written; the database is created before
      the clock starts.

``peak_mb`` is the peak resident size of the ingest process (the kernel's VmHWM; ``ru_maxrss``
where that is unavailable), interpreter and imports included; ``git_peak_mb`` is the largest
git child it ran (``ru_maxrss`` of the children: on a big repository the bundle's
``pack-objects``, whose object table git needs whoever runs it; on a small one the figure is
only the forked copy of the ingest process, which Linux counts until ``exec``). Prints a line
per figure and, as the LAST line, one JSON object with them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gitlog_read import build_repository, time_git_log

RULES = """
rules:
  - project: RET
    paths: ["src/lexbridge/retrieval/**", "*/retrieval/*"]
  - project: ING
    message: [ingest]
  - project: EXP
    branches: ["feature/exp-1*"]
"""


def ingest_once(repo: Path, scratch: Path) -> dict[str, float]:
    """(b), in this (fresh) process: a new database, then the timed ingest."""
    import webapp.models  # noqa: F401
    from core.blobstore import LocalBlobStore
    from core.db import Database
    from core.migrate import upgrade
    from evidence.ingest.git import ingest_git
    from evidence.ingest.git_rules import parse_rules
    from evidence.ingest.limits import IngestLimits

    url = f"sqlite:///{scratch / 'fourpart.db'}"
    upgrade(url)
    db = Database(url)
    study_id = _study_with_projects(db)
    store, rules = LocalBlobStore(scratch / "blobs"), parse_rules(RULES, source="bench rules")
    marks: dict[str, float] = {}

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("storing") and "read" not in marks:
            marks["read"] = time.perf_counter() - started  # history spooled, bundle made

    started, cpu = time.perf_counter(), time.process_time()
    results = ingest_git(db, store, study_id, repo, uploaded_by_id=None, rules=rules,
                         workdir=scratch / "work", limits=IngestLimits(), progress=progress)
    elapsed = time.perf_counter() - started
    report = results[0].as_json()
    if "error" in report:
        raise SystemExit(f"ingest failed: {report['error']}")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": elapsed, "read_s": marks.get("read", 0.0), "cpu_s": time.process_time() - cpu,
            "git_cpu_s": children.ru_utime + children.ru_stime, "commits": report["counts"]["commits"],
            "attributed": sum(report["counts"]["projects"].values()),
            "peak_mb": _peak_rss_kb() / 1024, "git_peak_mb": children.ru_maxrss / 1024}


def _study_with_projects(db: object) -> int:
    from studies.models import BusinessComponent
    from studies.services import create_organization, create_study

    with db.transaction() as session:  # type: ignore[attr-defined]
        organization = create_organization(session, name="Bench AI, Inc.",
                                           sub_sector="ai_native_product_engineering")
        study = create_study(session, organization=organization, slug="bench", title="Bench 2025",
                             tax_year=2025)
        for code in ("RET", "ING", "EXP"):
            session.add(BusinessComponent(study_id=study.id, code=code, name=f"Project {code}",
                                          sub_sector="ai_native_product_engineering"))
        return int(study.id)


def _peak_rss_kb() -> int:
    """VmHWM of this process (Linux), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def ingest_in_child(repo: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="git-ingest-bench-") as scratch:
        done = subprocess.run([sys.executable, __file__, "--ingest", str(repo), "--scratch", scratch],
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"ingest child failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def benchmark(commits: int, seed: int, keep: Path | None, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="git-ingest-repo-") as scratch:
        repo = (keep or Path(scratch)) / "synthetic.git"
        started = time.perf_counter()
        if not (repo / "HEAD").exists():
            build_repository(repo, commits, seed)
        print(f"built {commits} commits with git fast-import in {time.perf_counter() - started:.1f} s")
        git_times, runs = [], []
        for _ in range(repeat):
            git_times.append(time_git_log(repo))
            runs.append(ingest_in_child(repo))
        git_s, best = min(git_times), min(runs, key=lambda run: run["seconds"])
    print(f"(a) git log --all --numstat > /dev/null: {git_s:.2f} s (best of {repeat})")
    print(f"(b) ingest_git, SQLite, rules and bundle: {best['seconds']:.2f} s (best of {repeat}) "
          f"({best['commits']:.0f} commits, {best['commits'] / best['seconds']:,.0f}/s, "
          f"{best['attributed']:.0f} attributions)")
    print(f"    {best['read_s']:.2f} s reading the history beside the bundle, "
          f"{best['seconds'] - best['read_s']:.2f} s storing it")
    print(f"    CPU: {best['cpu_s']:.1f} s in Python, {best['git_cpu_s']:.1f} s in git children")
    print(f"    ratio to git log: {best['seconds'] / git_s:.2f}x")
    print(f"    peak RSS of the ingest process {best['peak_mb']:.0f} MB "
          f"(largest git child {best['git_peak_mb']:.0f} MB)")
    if best["commits"] != commits:
        raise SystemExit(f"ingest stored {best['commits']} commits, expected {commits}")
    return {"ratio": round(best["seconds"] / git_s, 2), "peak_mb": round(best["peak_mb"], 1),
            "commits": commits, "ingest_s": round(best["seconds"], 2), "git_log_s": round(git_s, 2),
            "git_peak_mb": round(best["git_peak_mb"], 1), "python_cpu_s": round(best["cpu_s"], 1),
            "git_cpu_s": round(best["git_cpu_s"], 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--commits", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2, help="take the best of this many runs")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it (reused if there)")
    parser.add_argument("--ingest", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest:
        print(json.dumps(ingest_once(args.ingest, args.scratch)))
        return
    print(json.dumps(benchmark(args.commits, args.seed, args.keep, max(1, args.repeat))))


if __name__ == "__main__":
    main()

"""Generates the demo study's raw material: git history, ADRs, MLflow runs, ablations, ledger.

Everything derives from one ``random.Random(seed)``, so the same seed gives the
same commit SHAs, the same ledger bytes and the same workbook bytes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from webapp.demo.ablation import write_ablation_workbook
from webapp.demo.adrs import MADR_DIR, NYGARD_DIR
from webapp.demo.gitrepo import build_repo
from webapp.demo.gl_export import write_gl_csv
from webapp.demo.history import plan_history
from webapp.demo.mlflow_store import write_mlruns

REPO_DIRNAME = "lexbridge-platform"
DEFAULT_SEED = 2025


@dataclass(frozen=True)
class Materials:
    root: Path
    repo: Path
    adr_dirs: tuple[Path, ...]
    mlruns: Path
    ablation_xlsx: Path
    gl_csv: Path
    commits: int
    main_commits: int
    runs_by_status: Mapping[str, int]
    gl_lines: int

    @property
    def runs(self) -> int:
        return sum(self.runs_by_status.values())


def generate_materials(dest: Path, seed: int = DEFAULT_SEED) -> Materials:
    """Write every source file of the demo study under ``dest`` (which must not hold them yet)."""
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    plan = plan_history(random.Random(rng.getrandbits(64)))
    repo = build_repo(dest / REPO_DIRNAME, plan, random.Random(rng.getrandbits(64)))
    mlruns = write_mlruns(dest / "mlruns", repo, random.Random(rng.getrandbits(64)))
    xlsx = write_ablation_workbook(
        dest / "ablations" / "citerag_ablation.xlsx", random.Random(rng.getrandbits(64))
    )
    gl_path = dest / "gl" / "lexbridge_gl_2025.csv"
    gl_lines = write_gl_csv(gl_path, random.Random(rng.getrandbits(64)))
    return Materials(
        root=dest,
        repo=repo.path,
        adr_dirs=(repo.path / NYGARD_DIR, repo.path / MADR_DIR),
        mlruns=mlruns.root,
        ablation_xlsx=xlsx,
        gl_csv=gl_path,
        commits=len(repo.commits),
        main_commits=sum(1 for c in repo.commits if c.branch == "main"),
        runs_by_status=mlruns.runs_by_status,
        gl_lines=gl_lines,
    )

"""The benchmarks under ``bench/`` still run: each on a tiny input, ending with its one JSON line.

The figures themselves are not judged here (benchmarks run on demand, never as timed tests); this only
keeps the scripts from rotting as the code they call changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("script", "args", "keys"), [
    ("gitlog_read.py", ["--commits", "300", "--repeat", "1"], {"commits", "ratio", "reader_s"}),
    ("git_ingest.py", ["--commits", "300", "--repeat", "1"], {"commits", "ratio", "ingest_s"}),
    ("package.py", ["--projects", "1", "--exhibits", "6", "--gl-lines", "20", "--pdf-exhibits", "1"],
     {"pages", "ratio", "seconds"}),
    ("gl_score.py", ["--lines", "400", "--distinct", "100"],
     {"ratio", "encoder_ratio", "seconds", "warm_seconds", "strings_embedded", "peak_mb"}),
])
def test_a_benchmark_runs_and_ends_with_its_json_line(script: str, args: list[str], keys: set[str]) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=300, check=False,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert keys <= set(figures)
    assert all(isinstance(figures[key], int | float) and figures[key] >= 0 for key in keys)

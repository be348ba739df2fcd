"""Hand-written files of the demo repository (dependencies, QuickBrief, configs)."""

from __future__ import annotations

import random

INITIAL_DEPENDENCIES: dict[str, str] = {
    "openai": "1.59.3",
    "anthropic": "0.42.0",
    "rank-bm25": "0.2.2",
    "sentence-transformers": "3.3.1",
    "transformers": "4.47.1",
    "torch": "2.5.1",
    "faiss-cpu": "1.9.0",
    "numpy": "1.26.4",
    "fastapi": "0.115.6",
    "uvicorn": "0.34.0",
    "pydantic": "2.10.4",
    "pydantic-settings": "2.7.1",
    "mlflow": "2.19.0",
}

LATER_DEPENDENCIES: dict[str, str] = {"deepspeed": "0.16.2", "pypdf": "5.1.0"}


def bump_version(version: str, rng: random.Random) -> str:
    parts = [int(p) for p in version.split(".")]
    if rng.random() < 0.25 and len(parts) > 1:
        parts[1] += 1
        parts[2:] = [0] * len(parts[2:])
    else:
        parts[-1] += 1
    return ".".join(str(p) for p in parts)


def requirements_txt(deps: dict[str, str]) -> str:
    lines = [f"{name}=={version}" for name, version in sorted(deps.items())]
    return (
        "# Generated from pyproject.toml; pin exact versions for training images.\n" + "\n".join(lines) + "\n"
    )


def pyproject_toml(deps: dict[str, str]) -> str:
    pins = "\n".join(f'    "{name}>={version}",' for name, version in sorted(deps.items()))
    return (
        "[project]\n"
        'name = "lexbridge-platform"\n'
        'version = "1.0.0"\n'
        'requires-python = ">=3.11"\n'
        f"dependencies = [\n{pins}\n]\n\n"
        "[project.optional-dependencies]\n"
        'dev = ["pytest>=8.3", "ruff>=0.8"]\n\n'
        "[tool.ruff]\n"
        "line-length = 110\n"
    )


README = """# lexbridge-platform

Retrieval, evaluation and training code behind Lexbridge's legal research answers.

| Directory | What |
| --- | --- |
| `citerag/` | Citation-aware retrieval: BM25 + dense, fusion, re-ranking |
| `verdict/` | Evaluation harness: citation accuracy and faithfulness |
| `forge/` | Distributed fine-tuning for the re-ranker |
| `quickbrief/` | Contract summary endpoint |
| `common/` | Settings, logging, vendor clients |

Decisions are recorded in `doc/adr` (adr-tools) and `docs/decisions` (MADR).
"""

GITIGNORE = """__pycache__/
*.pyc
.venv/
mlruns/
.env
/data/
/checkpoints/
"""

CODEOWNERS = """citerag/    @priya @tomas
verdict/    @hannah
forge/      @kwame @lena
quickbrief/ @jordan
common/     @nadia
"""

CI_WORKFLOW = """name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -r requirements.txt pytest
      - run: pytest -q tests
"""

_QUICKBRIEF_APP = '''"""QuickBrief: summarise an uploaded contract with the OpenAI API."""

from fastapi import FastAPI, UploadFile
from openai import OpenAI

from quickbrief.pdf_text import extract_text

app = FastAPI(title="QuickBrief")
client = OpenAI()

MODEL = "{model}"
PROMPT = "Summarise this contract for a lawyer: parties, term, payment, termination, risks.\\n\\n"


@app.post("/v1/summaries")
async def summarise(file: UploadFile) -> dict[str, str]:
    text = extract_text(await file.read())
    response = client.chat.completions.create(
        model=MODEL,
        messages=[{{"role": "user", "content": PROMPT + text}}],{extra}
    )
    return {{"summary": response.choices[0].message.content or ""}}
'''


def quickbrief_app(model: str, temperature: bool) -> str:
    extra = "\n        temperature=0.2," if temperature else ""
    return _QUICKBRIEF_APP.format(model=model, extra=extra)


DS_ZERO3_OFFLOAD = """{
  "train_micro_batch_size_per_gpu": 1,
  "gradient_accumulation_steps": 16,
  "bf16": {"enabled": true},
  "zero_optimization": {
    "stage": 3,
    "offload_optimizer": {"device": "cpu", "pin_memory": true},
    "offload_param": {"device": "cpu", "pin_memory": true},
    "overlap_comm": true,
    "stage3_max_live_parameters": 1e9,
    "stage3_prefetch_bucket_size": 5e8
  }
}
"""

SLURM_LAUNCH = """#!/usr/bin/env bash
#SBATCH --job-name=forge
#SBATCH --nodes=2
#SBATCH --gpus-per-node=8
set -euo pipefail
srun torchrun --nnodes "$SLURM_NNODES" --nproc-per-node 8 \\
  --rdzv-backend c10d --rdzv-endpoint "$MASTER_ADDR:29500" \\
  -m forge.train --config "$1"
"""

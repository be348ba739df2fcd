"""Third-party model detection on real repositories, bundles, and the demo's; then proposed layers."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

import webapp.tasks  # noqa: F401  (registers the job handlers)
from core.audit import Actor
from core.blobstore import LocalBlobStore
from core.jobs import Job, JobQueue
from evidence.ingest.git import ingest_git
from evidence.ingest.git_rules import parse_rules
from evidence.ingest.limits import IngestLimits
from evidence.ingest.results import IngestFailure
from evidence.models import EvidenceLink
from evidence.parsers.gitsource import open_repository
from evidence.thirdparty import (
    MentionKind,
    ProjectPaths,
    ReadLimits,
    RepositoryScan,
    detect_in_study,
    group_findings,
    propose_third_party_layers,
    scan_repository,
)
from evidence.thirdparty.vendors import catalog, load_catalog
from studies.models import BusinessComponent, Layer, LayerKind
from tests.evidence.test_gitlog import commit, init_repo, run_git, write


def build(path: Path, files: dict[str, str | bytes]) -> Path:
    repo = init_repo(path)
    for name, content in files.items():
        write(repo / name, content)
    commit(repo, "initial")
    return repo


def found(scan: RepositoryScan) -> set[tuple[str, int, str, str, str | None]]:
    return {(m.path, m.line, m.kind.value, m.vendor, m.model) for m in scan.mentions}


QUICK_APP = '''"""Summaries."""

from openai import OpenAI
import anthropic as claude

MODEL = "gpt-4o-mini"
client = OpenAI()


def ask(text: str) -> str:
    reply = claude.Anthropic().messages.create(model="claude-3-5-haiku-latest", messages=[])
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])
'''


def test_requirements_and_python_imports_with_their_models(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {
        "requirements.txt": "# pinned\nnumpy==1.26.4\nopenai==1.59.3  # chat\nAnthropic[bedrock]>=0.42\n"
                            "-e git+https://example.com/openai-fork.git#egg=openai\n",
        "app/summaries.py": QUICK_APP,
    })
    assert found(scan_repository(repo)) == {
        ("app/summaries.py", 3, "import", "openai", None),
        ("app/summaries.py", 4, "import", "anthropic", None),
        ("app/summaries.py", 6, "model", "openai", "gpt-4o-mini"),
        ("app/summaries.py", 11, "model", "anthropic", "claude-3-5-haiku-latest"),
        ("requirements.txt", 3, "dependency", "openai", None),
        ("requirements.txt", 4, "dependency", "anthropic", None),
    }


def test_pyproject_poetry_and_package_json_with_js_imports(tmp_path: Path) -> None:
    pyproject = ('[project]\nname = "openai-cookbook-notes"\ndependencies = [\n  "numpy>=1.26",\n'
                 '  "google-generativeai>=0.8",\n]\n[project.optional-dependencies]\n'
                 'llm = ["mistralai==1.2"]\n'
                 '[tool.poetry.dependencies]\npython = "^3.11"\nlangchain_openai = "^0.2"\n')
    package = json.dumps({"name": "web", "dependencies": {"react": "18.3.1", "@anthropic-ai/sdk": "^0.30"},
                          "devDependencies": {"openai": "^4.0"}}, indent=2)
    repo = build(tmp_path / "repo", {
        "pyproject.toml": pyproject,
        "web/package.json": package,
        "web/src/chat.ts": ('import {\n  Anthropic,\n} from "@anthropic-ai/sdk";\n'
                            'const model = "claude-3-5-sonnet-latest";\n'),
        "web/src/legacy.js": "// require('cohere-ai') was removed\nconst OpenAI = require('openai');\n",
    })
    assert found(scan_repository(repo)) == {
        ("pyproject.toml", 5, "dependency", "google", None),
        ("pyproject.toml", 8, "dependency", "mistral", None),
        ("pyproject.toml", 11, "dependency", "openai", None),
        ("pyproject.toml", 11, "dependency", "langchain", None),
        ("web/package.json", 5, "dependency", "anthropic", None),
        ("web/package.json", 8, "dependency", "openai", None),
        ("web/src/chat.ts", 3, "import", "anthropic", None),
        ("web/src/chat.ts", 4, "model", "anthropic", "claude-3-5-sonnet-latest"),
        ("web/src/legacy.js", 2, "import", "openai", None),
    }


def test_setup_cfg_pipfile_lock_and_conda_environment(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {
        "setup.cfg": "[metadata]\nname = tools\n[options]\ninstall_requires =\n    requests\n    cohere>=5\n",
        "Pipfile": '[packages]\nrequests = "*"\n\n[dev-packages]\nllama-index = "*"\n',
        "poetry.lock": '[[package]]\nname = "anthropic"\nversion = "0.42.0"\n',
        "environment.yml": "name: train\ndependencies:\n  - python=3.11\n  - conda-forge::numpy\n"
                           "  - pip:\n      - openai==1.59\n",
    })
    assert found(scan_repository(repo)) == {
        ("setup.cfg", 6, "dependency", "cohere", None),
        ("Pipfile", 5, "dependency", "llama_index", None),
        ("poetry.lock", 2, "dependency", "anthropic", None),
        ("environment.yml", 6, "dependency", "openai", None),
    }


def test_a_repository_without_vendor_models_yields_nothing(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {
        "requirements.txt": "torch==2.5.1\ntransformers==4.47.1\nsentence-transformers==3.3.1\n",
        "train.py": ('"""Unlike import openai, we train our own.\n\nimport anthropic\n"""\n'
                     "# from openai import OpenAI\nimport torch\n"
                     "from transformers import AutoModel\n"
                     'MODEL = "gpt-4o"  # a string, but nothing imports a vendor\n'
                     'encoder = AutoModel.from_pretrained("bert-base-uncased")\n'),
        "README.md": "We compared against OpenAI and `import openai`.\n",
        "node_modules/openai/index.js": "module.exports = require('openai/core');\n",
    })
    scan = scan_repository(repo)
    assert scan.mentions == [] and scan.files_read == 2


def test_pipelines_with_the_default_checkpoint_and_hub_models(tmp_path: Path) -> None:
    source = ("from transformers import pipeline as make\nimport transformers\n"
              "from sentence_transformers import SentenceTransformer, CrossEncoder\n\n"
              'sentiment = make("sentiment-analysis")\n'
              'summarize = transformers.pipeline(task="summarization", model="facebook/bart-large-cnn")\n'
              "tagger = make('ner', model=settings.tagger)\n"
              "anything = make(**config)\n"
              "generic = transformers.pipeline()\n"
              'embedder = SentenceTransformer("all-MiniLM-L6-v2")\n'
              'ours = SentenceTransformer("checkpoints/reranker-v3")\n'
              'ranker = CrossEncoder(model_name="cross-encoder/ms-marco-MiniLM-L-6-v2")\n\n'
              "def pipeline(x):\n    return x\n")
    local = 'from nlp.serve import pipeline\npipeline("summarization")\n'
    repo = build(tmp_path / "repo", {"nlp/serve.py": source, "nlp/local.py": local})
    assert found(scan_repository(repo)) == {
        ("nlp/serve.py", 5, "call", "huggingface", "default checkpoint for 'sentiment-analysis'"),
        ("nlp/serve.py", 6, "call", "huggingface", "facebook/bart-large-cnn"),
        ("nlp/serve.py", 9, "call", "huggingface", "default checkpoint"),
        ("nlp/serve.py", 10, "call", "huggingface", "all-MiniLM-L6-v2"),
        ("nlp/serve.py", 12, "call", "huggingface", "cross-encoder/ms-marco-MiniLM-L-6-v2"),
    }


def test_unparsable_python_and_notebooks_are_read_line_by_line(tmp_path: Path) -> None:
    notebook = json.dumps({"cells": [{"cell_type": "code", "source": [
        "import numpy as np\n", "from mistralai import Mistral\n",
        'client.chat(model="mistral-large-latest")\n']}]}, indent=1)
    repo = build(tmp_path / "repo", {"old.py": 'print "hi"\nimport cohere\n', "explore.ipynb": notebook})
    assert found(scan_repository(repo)) == {
        ("explore.ipynb", 7, "import", "mistral", None),
        ("explore.ipynb", 8, "model", "mistral", "mistral-large-latest"),
        ("old.py", 2, "import", "cohere", None),
    }


def test_files_over_the_size_bound_are_skipped_and_listed(tmp_path: Path) -> None:
    big = "import openai\n" + "# padding\n" * 400
    repo = build(tmp_path / "repo", {"big.py": big, "small.py": "import anthropic\n"})
    scan = scan_repository(repo, limits=ReadLimits(file_bytes=1000))
    assert found(scan) == {("small.py", 1, "import", "anthropic", None)}
    [skipped] = scan.skipped
    assert skipped.path == "big.py" and "over the 1,000-byte bound" in skipped.reason
    total = scan_repository(repo, limits=ReadLimits(total_bytes=100))
    assert {s.path for s in total.skipped} == {"big.py"} and total.files_read == 1


def test_a_broken_dependency_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {"pyproject.toml": "[project\ndependencies = ['openai']\n",
                                     "package.json": "{not json", "main.py": "import openai\n"})
    scan = scan_repository(repo)
    assert found(scan) == {("main.py", 1, "import", "openai", None)}
    reasons = {s.path: s.reason for s in scan.skipped}
    assert reasons["pyproject.toml"].startswith("invalid TOML")
    assert reasons["package.json"].startswith("invalid JSON")


def test_only_committed_content_at_head_is_read(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {"app.py": "import openai\n"})
    write(repo / "app.py", "import numpy\n")
    commit(repo, "drop openai")
    write(repo / "draft.py", "import anthropic\n")  # never committed
    assert scan_repository(repo).mentions == []


def test_a_bundle_reads_the_same_as_its_repository(tmp_path: Path) -> None:
    repo = build(tmp_path / "repo", {"requirements.txt": "openai\n", "svc/app.py": QUICK_APP})
    run_git(repo, "checkout", "--quiet", "-b", "feature")
    write(repo / "svc/extra.py", "import cohere\n")
    commit(repo, "on a branch")
    run_git(repo, "checkout", "--quiet", "main")
    bundle = tmp_path / "repo.bundle"
    run_git(repo, "bundle", "create", str(bundle), "--all")
    cloned = open_repository(str(bundle), tmp_path / "work")
    assert found(scan_repository(cloned)) == found(scan_repository(repo))
    assert not any(m.vendor == "cohere" for m in scan_repository(cloned).mentions)


def test_the_demo_repository_shows_openai_in_quickbrief(tmp_path: Path) -> None:
    from webapp.demo.materials import generate_materials

    materials = generate_materials(tmp_path / "demo")
    scan = scan_repository(materials.repo)
    quick = {(m.path, m.kind, m.model) for m in scan.mentions if m.vendor == "openai"}
    assert ("quickbrief/app.py", MentionKind.IMPORT, None) in quick
    assert ("quickbrief/app.py", MentionKind.MODEL, "gpt-4o-mini") in quick
    paths = ProjectPaths.of({"quickbrief/limits.py": {7}, "verdict/metrics.py": {8}})
    findings = group_findings(1, scan.mentions, paths, catalog())
    mapped = {(f.vendor, f.model, f.project_id) for f in findings}
    assert {("openai", None, 7), ("openai", "gpt-4o-mini", 7)} <= mapped
    assert not any(f.project_id == 7 and f.vendor != "openai" for f in findings)


def test_mapping_by_commit_paths_and_dependency_files() -> None:
    from evidence.thirdparty.findings import Mention

    def at(path: str, line: int, kind: MentionKind, vendor: str = "openai") -> Mention:
        return Mention(path, line, kind, vendor, "")

    mentions = [at("requirements.txt", 1, MentionKind.DEPENDENCY), at("svc/a/app.py", 1, MentionKind.IMPORT),
                at("svc/b/new.py", 2, MentionKind.IMPORT), at("tools/x.py", 1, MentionKind.IMPORT),
                at("svc/a/requirements.txt", 3, MentionKind.DEPENDENCY),
                at("requirements.txt", 2, MentionKind.DEPENDENCY, "cohere")]
    paths = ProjectPaths.of({"svc/a/app.py": {1, 2}, "svc/b/old.py": {3}, "requirements.txt": {1, 2, 3}})
    groups = {(f.vendor, f.project_id): sorted(m.ref for m in f.mentions)
              for f in group_findings(9, mentions, paths, catalog())}
    assert groups == {
        ("openai", 1): ["requirements.txt:1", "svc/a/app.py:1", "svc/a/requirements.txt:3"],
        ("openai", 2): ["requirements.txt:1", "svc/a/app.py:1", "svc/a/requirements.txt:3"],
        ("openai", 3): ["requirements.txt:1", "svc/b/new.py:2"],  # by its folder
        ("openai", None): ["tools/x.py:1"],
        ("cohere", None): ["requirements.txt:2"],  # declared, used nowhere
    }


def test_the_project_whose_commits_touched_a_file_most_has_it() -> None:
    paths = ProjectPaths({"svc/app.py": Counter({1: 3, 2: 1}), "svc/util.py": Counter({2: 1})})
    assert paths.projects_of("svc/app.py") == {1}
    assert paths.projects_of("svc/util.py") == {2}
    assert paths.projects_of("svc/new.py") == {1}  # its folder: 1 touched it 3 times, 2 twice
    assert paths.projects_of("other/new.py") == set()


def test_a_long_path_is_cut_from_the_left_for_the_link() -> None:
    from evidence.thirdparty.findings import Mention

    mention = Mention("deep/" * 40 + "app.py", 12, MentionKind.IMPORT, "openai", "")
    assert len(mention.ref) == 120 and mention.ref.endswith("/app.py:12") and mention.ref.startswith("…")


def test_a_bad_vendor_file_names_the_vendor_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "vendors.yaml"
    bad.write_text("kinds: {model_api: a, model_hub: b, framework: c}\n"
                   "vendors:\n  acme:\n    label: Acme\n    layer_name: Acme API\n    kind: oracle\n")
    with pytest.raises(ValueError, match=r"vendor 'acme': kind 'oracle'"):
        load_catalog(bad)
    bad.write_text("kinds: {model_api: a, model_hub: b, framework: c}\n"
                   "vendors:\n  acme:\n    label: Acme\n    layer_name: A\n    kind: model_api\n"
                   "    model_patterns: ['gpt-[']\n")
    with pytest.raises(ValueError, match=r"vendor 'acme': model pattern"):
        load_catalog(bad)


# --- on the database: ingested repositories, mapped projects, proposed layers --------------------


RULES = """
rules:
  - project: brief
    paths: ["brief/**"]
  - project: search
    paths: ["search/**"]
"""


def _project(session, study, code: str) -> BusinessComponent:
    project = BusinessComponent(study_id=study.id, code=code, name=code.title(),
                                sub_sector="ai_native_product_engineering")
    session.add(project)
    session.flush()
    return project


@pytest.fixture
def ingested(db, session, make_study, tmp_path):
    study = make_study()
    brief, search = _project(session, study, "brief"), _project(session, study, "search")
    session.add(Layer(study_id=study.id, project_id=search.id, kind=LayerKind.THIRD_PARTY_MODEL,
                      name="Query rewriting", vendor="Anthropic API", model="Claude"))
    session.commit()
    repo = build(tmp_path / "repo", {"requirements.txt": "openai==1.59\nanthropic==0.42\n",
                                     "tools/notebook.py": "import cohere\n"})
    for path, content in (("brief/app.py", QUICK_APP), ("search/rewrite.py", "import anthropic\n")):
        write(repo / path, content)
        commit(repo, f"add {path}")
    store = LocalBlobStore(tmp_path / "blobs")
    [result, *_] = ingest_git(db, store, study.id, repo, uploaded_by_id=None,
                              rules=parse_rules(RULES), workdir=tmp_path / "work", limits=IngestLimits())
    assert not isinstance(result, IngestFailure), result
    return study, brief, search, store, result


def test_findings_become_layers_and_suggested_links(db, session, ingested) -> None:
    study, brief, _search, store, result = ingested
    [repository] = detect_in_study(db, store, study.id)
    assert repository.error is None
    proposal = propose_third_party_layers(session, study.id, repository.findings)
    session.commit()
    created = {(row["project"], row["vendor"], row["model"]) for row in proposal.layers}
    assert created == {("brief", "OpenAI", "gpt-4o-mini"), ("brief", "Anthropic", "claude-3-5-haiku-latest")}
    assert [row["name"] for row in proposal.existing_layers] == ["Query rewriting"]  # its vendor is there
    layer = session.scalars(select(Layer).where(Layer.project_id == brief.id, Layer.vendor == "OpenAI")).one()
    assert layer.kind is LayerKind.THIRD_PARTY_MODEL and "brief/app.py" in layer.reason
    links = session.scalars(select(EvidenceLink).where(EvidenceLink.target_id == layer.id,
                                                       EvidenceLink.target_type == "layer")).all()
    assert sorted(link.part_ref for link in links) == [
        "brief/app.py:3", "brief/app.py:6", "requirements.txt:1"]
    assert {(link.part_type, link.suggested_by, link.status.value, link.artifact_id) for link in links} == {
        ("file", "rule:third-party", "suggested", result.artifact_id)}
    search_links = session.scalars(select(EvidenceLink).where(EvidenceLink.target_type == "layer",
                                                              EvidenceLink.target_id != layer.id)).all()
    assert {link.part_ref for link in search_links} >= {"search/rewrite.py:1", "requirements.txt:2"}
    assert not session.scalars(select(Layer).where(Layer.vendor == "Cohere")).all()  # unmapped: no layer

    again = propose_third_party_layers(session, study.id, repository.findings)
    assert (again.layers, again.links) == ([], 0)


def test_the_job_reports_repositories_findings_and_layers(db, session, ingested, tmp_path) -> None:
    study, _brief, _search, store, _result = ingested
    queue = JobQueue(db, store, "immediate", tmp_path / "instance")
    job_id = queue.submit("evidence.detect_third_party", actor=Actor("test"), study_id=study.id)
    job = session.get(Job, job_id)
    session.refresh(job)
    assert job.status == "succeeded", job.error
    [repository] = job.result["repositories"]
    assert repository["error"] is None and repository["files_read"] == 4
    projects = {(f["vendor"], f["project"]) for f in repository["findings"]}
    assert {("openai", "brief"), ("anthropic", "search"), ("cohere", None)} <= projects
    assert len(job.result["layers_created"]) == 2 and job.result["links_created"] >= 6


def test_a_study_without_repositories_finds_nothing(db, session, make_study, tmp_path) -> None:
    study = make_study()
    queue = JobQueue(db, LocalBlobStore(tmp_path / "blobs"), "immediate", tmp_path / "instance")
    job_id = queue.submit("evidence.detect_third_party", actor=Actor("test"), study_id=study.id)
    job = session.get(Job, job_id)
    session.refresh(job)
    assert job.status == "succeeded" and job.result == {
        "repositories": [], "layers_created": [], "links_created": 0, "existing_layers_cited": []}


def test_findings_of_another_study_are_not_written(db, session, ingested, make_study) -> None:
    study, _brief, _search, store, _result = ingested
    [repository] = detect_in_study(db, store, study.id)
    other = make_study()
    proposal = propose_third_party_layers(session, other.id, repository.findings)
    assert (proposal.layers, proposal.links) == ([], 0)
    assert not session.scalars(select(EvidenceLink).where(EvidenceLink.study_id == other.id)).all()

"""Commit rules: each condition, how conditions combine, and clear errors for bad rule files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from evidence.ingest.git_rules import CommitRules, RuleError, load_rules, parse_rules
from evidence.parsers.gitlog import CommitRecord, FileChange

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))


def commit(*paths: str, message: str = "chore: tidy", email: str = "ada@example.com",
           when: dt.datetime = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC), sha: str = "a" * 40,
           renamed_from: str | None = None, parents: int = 1) -> CommitRecord:
    files = tuple(FileChange(path, 1, 0, renamed_from) for path in paths)
    return CommitRecord(sha, ("b" * 40,) * parents, "Ada", email, when, "Ada", email, when, message, files)


def projects(rules: CommitRules, record: CommitRecord,
             reachable: dict[int, frozenset[str]] | None = None) -> dict[str, int]:
    return {code: rule.number for code, rule in rules.attribute(record, reachable or {}).items()}


# --- each condition -----------------------------------------------------------------------


def test_path_globs() -> None:
    rules = parse_rules("""
rules:
  - project: RET
    paths: [services/retrieval/**, "libs/rank/*.py"]
  - project: NB
    paths: "*.ipynb"
  - project: DOC
    paths: docs/
  - project: CLS
    paths: "src/[!t]*.py"
""")
    assert projects(rules, commit("services/retrieval/index/bm25.py")) == {"RET": 1}
    assert projects(rules, commit("services/retrievalx/a.py")) == {}
    assert projects(rules, commit("libs/rank/colbert.py")) == {"RET": 1}
    assert projects(rules, commit("libs/rank/deep/colbert.py")) == {}  # '*' stays in one folder
    assert projects(rules, commit("notebooks/2025/eval.ipynb")) == {"NB": 2}  # no '/': any depth
    assert projects(rules, commit("docs/adr/0001-x.md")) == {"DOC": 3}
    assert projects(rules, commit("src/model.py"), ) == {"CLS": 4}
    assert projects(rules, commit("src/train.py")) == {}
    assert projects(rules, commit("README.md", "libs/rank/x.py", "docs/a.md")) == {"RET": 1, "DOC": 3}


def test_a_rename_matches_by_its_old_path_and_merges_have_no_paths() -> None:
    rules = parse_rules("rules: [{project: RET, paths: services/retrieval/**}]")
    moved = commit("services/search/index.py", renamed_from="services/retrieval/index.py")
    assert projects(rules, moved) == {"RET": 1}
    assert projects(rules, commit(parents=2)) == {}


def test_message_keywords_ignore_case_and_regex_is_searched() -> None:
    rules = parse_rules("""
- project: RET
  message: [rerank, ColBERT]
- project: VRD
  message_regex: '\\bVRD-\\d+\\b'
""")
    assert projects(rules, commit(message="feat: RERANKER with late interaction")) == {"RET": 1}
    assert projects(rules, commit(message="fix colbert OOM\n\nsee notes")) == {"RET": 1}
    assert projects(rules, commit(message="wip\n\nRefs: VRD-204")) == {"VRD": 2}
    assert projects(rules, commit(message="wip vrd-204 XVRD-2")) == {}


def test_author_patterns_ignore_case() -> None:
    rules = parse_rules("rules: [{project: FRG, authors: ['*@forge.example.com', 'mateo@*']}]")
    assert projects(rules, commit(email="Priya@Forge.Example.COM")) == {"FRG": 1}
    assert projects(rules, commit(email="mateo@lexbridge.ai")) == {"FRG": 1}
    assert projects(rules, commit(email="priya@forge.example.com.evil")) == {}


def test_date_window_is_inclusive_and_uses_the_authors_own_day() -> None:
    rules = parse_rules("rules: [{project: Q1, from: 2025-01-01, to: '2025-03-31'}]")
    assert projects(rules, commit(when=dt.datetime(2025, 1, 1, 0, 0, tzinfo=dt.UTC))) == {"Q1": 1}
    assert projects(rules, commit(when=dt.datetime(2025, 3, 31, 23, 59, tzinfo=dt.UTC))) == {"Q1": 1}
    assert projects(rules, commit(when=dt.datetime(2025, 4, 1, 0, 0, tzinfo=dt.UTC))) == {}
    # 2024-12-31 20:00 UTC is already 2025-01-01 in India, where the author was
    assert projects(rules, commit(when=dt.datetime(2025, 1, 1, 1, 30, tzinfo=IST))) == {"Q1": 1}


def test_branch_patterns_use_the_commits_reachable_from_matching_branches() -> None:
    rules = parse_rules("rules: [{project: EXP, branches: ['feature/exp-*']}]")
    on_branch, elsewhere = commit(sha="1" * 40), commit(sha="2" * 40)
    reachable = {1: frozenset({"1" * 40})}
    assert projects(rules, on_branch, reachable) == {"EXP": 1}
    assert projects(rules, elsewhere, reachable) == {}
    assert projects(rules, on_branch) == {}  # no branch matched at all


def test_every_condition_of_a_rule_must_hold() -> None:
    rules = parse_rules("""
rules:
  - project: RET
    paths: [services/retrieval/**]
    message: [exp]
    authors: ['*@lexbridge.ai']
    from: 2025-01-01
""")
    good = commit("services/retrieval/a.py", message="exp: hybrid", email="kwame@lexbridge.ai")
    assert projects(rules, good) == {"RET": 1}
    assert projects(rules, commit("services/retrieval/a.py", message="fix", email="kwame@lexbridge.ai")) == {}
    assert projects(rules, commit("services/retrieval/a.py", message="exp", email="x@other.io")) == {}
    early = dt.datetime(2024, 12, 31, tzinfo=dt.UTC)
    assert projects(rules, commit("services/retrieval/a.py", message="exp", email="k@lexbridge.ai",
                                  when=early)) == {}


def test_the_first_rule_per_project_is_recorded_with_its_text() -> None:
    rules = parse_rules("""
rules:
  - {project: RET, name: retrieval service, paths: [services/retrieval/**]}
  - {project: RET, message: [retrieval]}
  - {project: OPS, message: [retrieval], from: 2025-01-01}
""")
    found = rules.attribute(commit("services/retrieval/a.py", message="retrieval tweak"), {})
    assert {code: rule.text() for code, rule in found.items()} == {
        "RET": "retrieval service", "OPS": "rule 3: message ~ retrieval; from 2025-01-01"}
    long = parse_rules("rules: [{project: X, paths: [" + ", ".join(f"p{i}/**" for i in range(99)) + "]}]")
    assert len(long.rules[0].text()) == 300


# --- projects and files ----------------------------------------------------------------------


def test_unknown_project_codes_are_refused_naming_the_rule() -> None:
    rules = parse_rules("rules: [{project: RET, message: x}, {project: VRDKT, message: y}]", source="r.yaml")
    rules.check_projects({"RET": 1, "VRDKT": 2, "OPS": 3})
    with pytest.raises(RuleError) as error:
        rules.check_projects({"RET": 1})
    assert str(error.value).startswith("r.yaml, rule 2 (project 'VRDKT'): no project with code 'VRDKT'")
    assert "the study's codes are RET" in str(error.value)


def test_load_rules_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - project: RET\n    paths: services/retrieval/**\n", encoding="utf-8")
    rules = load_rules(path)
    assert rules.source == str(path) and rules.codes() == {"RET"}
    assert rules.rules[0].paths == ("services/retrieval/**",)


@pytest.mark.parametrize(("text", "message"), [
    ("rules: [{project: RET, paths: [a/**]", "line 1: not valid YAML"),
    ("rules:\n  - project: RET\n   paths: x\n", "line 3: not valid YAML"),
    ("rules: {project: RET}", "expected 'rules:' followed by a list of rules"),
    ("[]", "expected 'rules:' followed by a list of rules"),
    ("rules: [{project: RET}]\nversion: 2", "unknown top-level key(s) version"),
    ("rules: [just-a-string]", "rule 1: expected a mapping with 'project:'"),
    ("rules: [{paths: a/**}]", "rule 1: 'project' must name a project code"),
    ("rules: [{project: RET}]", "rule 1 (project 'RET'): no condition"),
    ("rules: [{project: RET, path: a/**}]", "rule 1 (project 'RET'): unknown key(s) path"),
    ("rules: [{project: RET, paths: [a/**, 3]}]", "rule 1 (project 'RET'), 'paths': expected"),
    ("rules: [{project: RET, paths: 'src\\model.py'}]", "is not a path glob (use '/' between folders)"),
    ("rules: [{project: RET, from: 2025-13-01}]", "'from': '2025-13-01' is not a date"),
    ("rules: [{project: RET, from: 2025-06-01, to: 2025-01-01}]", "'from': 2025-06-01 is after 'to'"),
    ("rules: [{project: RET, message: x}, {project: OPS, message_regex: 'a(b'}]",
     "rule 2 (project 'OPS'), 'message_regex': not a valid regular expression"),
    ("rules: [{project: RET, message_regex: [a]}]", "'message_regex': expected a string"),
])
def test_bad_rules_name_the_file_rule_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError) as error:
        load_rules(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_unreadable_and_non_text_rule_files(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="cannot read the rules file"):
        load_rules(tmp_path / "missing.yaml")
    binary = tmp_path / "rules.yaml"
    binary.write_bytes(b"rules:\n  - project: \xff\xfe\n")
    with pytest.raises(RuleError, match="not UTF-8 text"):
        load_rules(binary)

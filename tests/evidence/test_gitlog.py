"""The streaming git history reader, against real repositories built with real git commands."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import evidence.parsers.gitlog as gitlog
from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import (
    CommitRecord,
    FileChange,
    RefRecord,
    iter_commits,
    list_refs,
    log_markers,
    parse_numstat,
    parse_record,
)
from webapp.demo.materials import generate_materials

ODD_NAME = 'data/odd name\twith "quotes" é ü.txt'
WEIRD_MESSAGE = (
    "feat: odd names \x1e\x1f %x00 %x1e \\0 c0ffee\n\n"
    "looks like framing: \\x00\\x00cdeadbeefdeadbeef\\x00 and eabc\n"
    "numstat-ish line:\n1\t2\tfake/path.txt\n-\t-\tfake.bin\n"
    "# not a comment => {a => b}\n\x01\x02 trailing"
)


# --- building repositories -----------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    name: str | bytes
    email: str
    date: str  # ISO 8601 with offset, as GIT_*_DATE accepts


ADA = Who("Ada Lovelace", "ada@example.com", "2024-03-01T09:00:00+05:30")
BJORN = Who("Björn Ærø", "bjorn@example.org", "2024-03-02T10:15:30-08:00")
CI = Who("CI Bot", "ci@example.net", "2024-03-03T00:00:01+00:00")
GRACE = Who("Grace Hopper", "grace@example.com", "2024-03-04T12:00:00-03:30")


def iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def git_env(author: Who = ADA, committer: Who | None = None) -> dict[str, str | bytes]:
    committer = committer or author
    return {
        "PATH": os.environ["PATH"],
        "HOME": "/nonexistent",
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_AUTHOR_NAME": author.name,
        "GIT_AUTHOR_EMAIL": author.email,
        "GIT_AUTHOR_DATE": author.date,
        "GIT_COMMITTER_NAME": committer.name,
        "GIT_COMMITTER_EMAIL": committer.email,
        "GIT_COMMITTER_DATE": committer.date,
    }


def run_git(cwd: Path, *args: str, env: Mapping[str, str | bytes] | None = None,
            stdin: bytes | None = None) -> str:
    environment = {k.encode(): v.encode() if isinstance(v, str) else v
                   for k, v in (env or git_env()).items()}
    done = subprocess.run(["git", *args], cwd=cwd, env=environment, input=stdin,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return done.stdout.decode("utf-8", "replace").strip()


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    run_git(path, "init", "--quiet", "--initial-branch=main")
    return path


def write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)


def commit(repo: Path, message: str | bytes, author: Who = ADA, committer: Who | None = None,
           *flags: str) -> str:
    raw = message.encode() if isinstance(message, str) else message
    run_git(repo, "add", "--all")
    run_git(repo, "commit", "--quiet", "--cleanup=verbatim", "--file=-", *flags,
            env=git_env(author, committer), stdin=raw)
    return run_git(repo, "rev-parse", "HEAD")


def raw_commit(repo: Path, ident: bytes, message: bytes) -> str:
    """A commit on HEAD's branch written byte for byte, for bytes ``git commit`` would rewrite."""
    tree, parent = run_git(repo, "rev-parse", "HEAD^{tree}", "HEAD").split()
    body = b"tree %s\nparent %s\nauthor %s\ncommitter %s\n\n%s" % (
        tree.encode(), parent.encode(), ident, ident, message)
    sha = run_git(repo, "hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=body)
    run_git(repo, "update-ref", "HEAD", sha)
    return sha


def rev_list(repo: Path, *args: str) -> list[str]:
    return run_git(repo, "rev-list", *args).split()


@dataclass(frozen=True)
class Rich:
    path: Path
    shas: dict[str, str]


def build_rich_repo(path: Path) -> Rich:
    """Merges, a rename, a binary, odd names, an empty commit, odd messages and encodings."""
    repo = init_repo(path)
    shas: dict[str, str] = {}
    write(repo / "README.md", "# demo\nline two\nline three\n")
    write(repo / "src/model.py", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\n")
    shas["root"] = commit(repo, "Initial commit\n", ADA)
    write(repo / ODD_NAME, "one\ntwo\n")
    write(repo / "assets/logo.bin", b"\x89PNG\x00\x01\x02\x00binary\x00")
    shas["odd"] = commit(repo, WEIRD_MESSAGE, BJORN, CI)
    (repo / "src/nn").mkdir()
    run_git(repo, "mv", "src/model.py", "src/nn/model.py")
    shas["rename"] = commit(repo, "refactor: move model\n", GRACE)
    run_git(repo, "branch", "feature/x")
    write(repo / "src/nn/model.py", "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\n")
    shas["nomsg"] = commit(repo, "", ADA, None, "--allow-empty-message")
    run_git(repo, "checkout", "--quiet", "feature/x")
    write(repo / "README.md", "# demo\nline 2\nline three\n")
    shas["feature"] = commit(repo, "docs: readme\n", GRACE)
    run_git(repo, "checkout", "--quiet", "main")
    run_git(repo, "merge", "--quiet", "--no-ff", "--no-edit", "feature/x", env=git_env(CI))
    shas["merge"] = run_git(repo, "rev-parse", "HEAD")
    shas["empty"] = commit(repo, "chore: empty\n", BJORN, None, "--allow-empty")
    run_git(repo, "tag", "--annotate", "--message=release", "v1.0", env=git_env(CI))
    latin = Who("Jürgen Groß".encode("latin-1"), "jg@example.de", "2024-03-05T08:00:00+01:00")
    write(repo / "notes.txt", "café\n")
    run_git(repo, "config", "i18n.commitEncoding", "ISO-8859-1")
    shas["latin1"] = commit(repo, "Café crème\n".encode("latin-1"), latin)
    run_git(repo, "config", "--unset", "i18n.commitEncoding")
    shas["broken"] = raw_commit(repo, b"Bad \xff\xfe Name <bad@example.com> 1709712000 +0000",
                                b"bad bytes \xff here\n")  # git commit would "fix" the bytes
    run_git(repo, "tag", "light")
    return Rich(repo, shas)


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Rich:
    return build_rich_repo(tmp_path_factory.mktemp("rich") / "repo")


@pytest.fixture(scope="module")
def records(rich: Rich) -> dict[str, CommitRecord]:
    return {record.sha: record for record in iter_commits(rich.path)}


def by_name(rich: Rich, records: dict[str, CommitRecord], name: str) -> CommitRecord:
    return records[rich.shas[name]]


def assert_when(actual: datetime, expected: str) -> None:
    wanted = iso(expected)
    assert actual == wanted
    assert actual.utcoffset() == wanted.utcoffset()


# --- every field of every commit ---------------------------------------------------------


def test_reads_every_commit_on_every_ref_newest_first(rich: Rich, records: dict[str, CommitRecord]) -> None:
    assert set(records) == set(rich.shas.values()) == set(rev_list(rich.path, "--all"))
    assert list(records) == rev_list(rich.path, "--all")  # git log order: newest first


def test_root_commit(rich: Rich, records: dict[str, CommitRecord]) -> None:
    root = by_name(rich, records, "root")
    assert root.parents == ()
    assert (root.author_name, root.author_email) == ("Ada Lovelace", "ada@example.com")
    assert (root.committer_name, root.committer_email) == ("Ada Lovelace", "ada@example.com")
    assert_when(root.authored_at, ADA.date)
    assert_when(root.committed_at, ADA.date)
    assert root.message == "Initial commit"
    assert root.files == (FileChange("README.md", 3, 0, None), FileChange("src/model.py", 5, 0, None))
    assert (root.insertions, root.deletions, root.is_merge) == (8, 0, False)


def test_odd_names_binary_files_and_separator_lookalikes(rich: Rich,
                                                        records: dict[str, CommitRecord]) -> None:
    odd = by_name(rich, records, "odd")
    assert odd.parents == (rich.shas["root"],)
    assert (odd.author_name, odd.author_email) == ("Björn Ærø", "bjorn@example.org")
    assert (odd.committer_name, odd.committer_email) == ("CI Bot", "ci@example.net")
    assert_when(odd.authored_at, BJORN.date)
    assert_when(odd.committed_at, CI.date)
    assert odd.message == WEIRD_MESSAGE
    assert odd.files == (
        FileChange("assets/logo.bin", None, None, None),
        FileChange(ODD_NAME, 2, 0, None),
    )
    assert (odd.insertions, odd.deletions) == (2, 0)


def test_rename_has_old_and_new_path(rich: Rich, records: dict[str, CommitRecord]) -> None:
    moved = by_name(rich, records, "rename")
    assert moved.files == (FileChange("src/nn/model.py", 0, 0, "src/model.py"),)
    assert moved.author_name == "Grace Hopper"
    assert_when(moved.authored_at, GRACE.date)


def test_commit_without_message(rich: Rich, records: dict[str, CommitRecord]) -> None:
    silent = by_name(rich, records, "nomsg")
    assert silent.message == ""
    assert silent.parents == (rich.shas["rename"],)
    assert silent.files == (FileChange("src/nn/model.py", 2, 0, None),)


def test_merge_is_flagged_and_file_less(rich: Rich, records: dict[str, CommitRecord]) -> None:
    merge = by_name(rich, records, "merge")
    assert merge.is_merge
    assert merge.parents == (rich.shas["nomsg"], rich.shas["feature"])
    assert merge.files == ()
    assert merge.message == "Merge branch 'feature/x'"
    assert (merge.author_name, merge.insertions, merge.deletions) == ("CI Bot", 0, 0)
    feature = by_name(rich, records, "feature")
    assert feature.files == (FileChange("README.md", 1, 1, None),)
    assert (feature.insertions, feature.deletions) == (1, 1)


def test_empty_commit(rich: Rich, records: dict[str, CommitRecord]) -> None:
    empty = by_name(rich, records, "empty")
    assert (empty.files, empty.message, empty.is_merge) == ((), "chore: empty", False)
    assert empty.parents == (rich.shas["merge"],)


def test_declared_commit_encoding_is_converted(rich: Rich, records: dict[str, CommitRecord]) -> None:
    latin = by_name(rich, records, "latin1")
    assert latin.author_name == "Jürgen Groß"
    assert latin.message == "Café crème"
    assert latin.files == (FileChange("notes.txt", 1, 0, None),)


def test_undeclared_bad_bytes_become_replacement_characters(rich: Rich,
                                                           records: dict[str, CommitRecord]) -> None:
    broken = by_name(rich, records, "broken")
    assert broken.author_name == "Bad \ufffd\ufffd Name"
    assert broken.message == "bad bytes \ufffd here"


def test_records_are_frozen(rich: Rich, records: dict[str, CommitRecord]) -> None:
    record = by_name(rich, records, "root")
    with pytest.raises(AttributeError):
        record.sha = "x"  # type: ignore[misc]


def test_head_only(rich: Rich) -> None:
    shas = [record.sha for record in iter_commits(rich.path, all_refs=False)]
    assert shas == rev_list(rich.path, "HEAD")


def test_refs(rich: Rich) -> None:
    head = rich.shas["broken"]
    assert list_refs(rich.path) == [
        RefRecord("feature/x", "branch", rich.shas["feature"]),
        RefRecord("main", "branch", head),
        RefRecord("light", "tag", head),
        RefRecord("v1.0", "tag", rich.shas["empty"]),  # annotated: peeled to the commit
    ]


def test_small_chunks_give_the_same_records(rich: Rich, records: dict[str, CommitRecord],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitlog, "CHUNK_BYTES", 7)
    assert {record.sha: record for record in iter_commits(rich.path)} == records


def test_bare_repository(rich: Rich, records: dict[str, CommitRecord], tmp_path: Path) -> None:
    run_git(tmp_path, "clone", "--quiet", "--bare", str(rich.path), "bare.git")
    assert {r.sha: r for r in iter_commits(tmp_path / "bare.git")} == records


# --- hostile configuration and environment --------------------------------------------------


def test_repository_config_cannot_run_commands_or_change_output(
        rich: Rich, records: dict[str, CommitRecord], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    run_git(tmp_path, "clone", "--quiet", str(rich.path), "hostile")
    repo = tmp_path / "hostile"
    marker = tmp_path / "pwned"
    script = tmp_path / "evil.sh"
    write(script, f"#!/bin/sh\ntouch {marker}\n")
    script.chmod(0o755)
    for key, value in {
        "core.fsmonitor": str(script), "core.pager": str(script), "diff.external": str(script),
        "gpg.program": str(script), "log.showSignature": "true", "color.ui": "always",
        "diff.renames": "false", "i18n.logOutputEncoding": "ISO-8859-1", "diff.relative": "true",
        "log.decorate": "full", "core.quotePath": "true", "diff.noprefix": "true",
        "log.mailmap": "true", "core.hooksPath": str(tmp_path),
    }.items():
        run_git(repo, "config", key, value)
    write(repo / ".mailmap", "Someone Else <x@example.com> <ada@example.com>\n")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))  # the caller's env is not passed
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'log.showroot'='false'")
    mine = [r for r in iter_commits(repo) if r.sha in records]
    assert mine == [records[r.sha] for r in mine] and len(mine) == len(records)
    assert not marker.exists()


# --- exclusion and re-ingest ------------------------------------------------------------------


def test_reingest_yields_only_new_commits(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    for number in range(3):
        write(repo / f"f{number}.txt", f"{number}\n")
        commit(repo, f"c{number}\n")
    first = [record.sha for record in iter_commits(repo)]
    assert len(first) == 3
    assert list(iter_commits(repo, exclude=first)) == []
    write(repo / "new.txt", "x\n")
    new_a = commit(repo, "new a\n", GRACE)
    run_git(repo, "checkout", "--quiet", "-b", "side", first[1])
    new_b = commit(repo, "new b\n", BJORN, None, "--allow-empty")
    again = [record.sha for record in iter_commits(repo, exclude=set(first))]
    assert sorted(again) == sorted([new_a, new_b])


def test_exclude_ignores_unknown_shas_and_rejects_non_shas(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    sha = commit(repo, "only\n", ADA, None, "--allow-empty")
    tree = run_git(repo, "rev-parse", "HEAD^{tree}")
    unknown = "1234567890abcdef1234567890abcdef12345678"
    assert [r.sha for r in iter_commits(repo, exclude=[unknown, tree])] == [sha]
    assert list(iter_commits(repo, exclude=[sha.upper()])) == []
    for bad in ("--all", "HEAD", sha[:12], f"^{sha}", f"{sha}\n--not"):
        with pytest.raises(ValueError, match="not a full commit SHA"):
            iter_commits(repo, exclude=[bad])


# --- repository shapes ------------------------------------------------------------------------


def test_empty_repository_yields_nothing(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "empty")
    assert list(iter_commits(repo)) == []
    assert list(iter_commits(repo, all_refs=False)) == []
    assert list(iter_commits(repo, exclude=["1234567890abcdef1234567890abcdef12345678"])) == []
    assert list_refs(repo) == []


@pytest.mark.parametrize("make", ["plain", "missing", "subdir", "file"])
def test_not_a_repository(tmp_path: Path, rich: Rich, make: str) -> None:
    path = {
        "plain": tmp_path,
        "missing": tmp_path / "nope",
        "subdir": rich.path / "src",
        "file": rich.path / "README.md",
    }[make]
    with pytest.raises(EvidenceParseError, match="not a git repository"):
        iter_commits(path)
    with pytest.raises(EvidenceParseError, match="not a git repository"):
        list_refs(path)


def test_shallow_clone(rich: Rich, tmp_path: Path) -> None:
    run_git(tmp_path, "clone", "--quiet", "--depth=2", "--no-single-branch",
            f"file://{rich.path}", "shallow")
    repo = tmp_path / "shallow"
    shallow = set((repo / ".git" / "shallow").read_text().split())
    got = {record.sha: record for record in iter_commits(repo)}
    assert set(got) == set(rev_list(repo, "--all")) and len(got) < 10
    assert shallow and all(got[sha].parents == () for sha in shallow)


def test_nul_in_a_handmade_commit_message(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    parent = commit(repo, "base\n", ADA, None, "--allow-empty")
    sha = raw_commit(repo, b"A <a@x> 1700000000 +0100", b"subject\0\0cfeedfacefeedface\0after\n")
    got = {record.sha: record for record in iter_commits(repo)}
    assert set(got) == {parent, sha}
    assert got[sha].message == "subject"  # git itself stops at the NUL
    assert got[sha].parents == (parent,)


def fast_import_stream(count: int) -> bytes:
    def data(text: str) -> str:
        return f"data {len(text)}\n{text}\n"

    return "".join(
        f"commit refs/heads/main\ncommitter A <a@x> {1700000000 + n} +0000\n{data(f'c{n}')}"
        f"M 644 inline f{n % 50}.txt\n{data(str(n))}" for n in range(count)).encode()


def test_stopping_early_kills_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = init_repo(tmp_path / "big")
    run_git(repo, "fast-import", "--quiet", stdin=fast_import_stream(3000))
    spawned: list[subprocess.Popen[bytes]] = []
    real_popen = subprocess.Popen

    def recording_popen(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        process: subprocess.Popen[bytes] = real_popen(*args, **kwargs)  # type: ignore[call-overload]
        spawned.append(process)
        return process

    monkeypatch.setattr(gitlog.subprocess, "Popen", recording_popen)
    monkeypatch.setattr(gitlog, "PIPE_BYTES", 4096)  # git cannot finish into the pipe
    commits = iter_commits(repo)
    assert not spawned  # nothing runs until iteration starts
    first = next(commits)
    assert first.message == "c2999" and len(spawned) == 1
    assert spawned[0].poll() is None  # git is blocked writing the rest
    commits.close()  # type: ignore[attr-defined]
    assert spawned[0].returncode == -signal.SIGKILL
    assert spawned[0].stdout is not None and spawned[0].stdout.closed


def test_git_failure_is_a_parse_error(rich: Rich, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gitlog, "LOG_OPTIONS", (*gitlog.LOG_OPTIONS, "--no-such-option"))
    with pytest.raises(EvidenceParseError, match="git log failed"):
        list(iter_commits(rich.path))


# --- the demo company's repository ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_materials(tmp_path_factory.mktemp("demo")).repo


def test_demo_repository(demo_repo: Path) -> None:
    commits = list(iter_commits(demo_repo))
    assert len(commits) == 746 == int(run_git(demo_repo, "rev-list", "--all", "--count"))
    assert [c.sha for c in commits] == rev_list(demo_repo, "--all")
    merges = {c.sha for c in commits if c.is_merge}
    assert merges == set(rev_list(demo_repo, "--all", "--merges")) and len(merges) == 5
    assert sum(c.insertions for c in commits) == plain_numstat_total(demo_repo, 0)
    assert sum(c.deletions for c in commits) == plain_numstat_total(demo_repo, 1)
    assert all(c.authored_at.tzinfo is not None for c in commits)
    refs = {(ref.kind, ref.name): ref.target for ref in list_refs(demo_repo)}
    assert set(refs) == {("branch", "main"), ("branch", "feature/colbert-index"),
                         ("branch", "exp/zero3"), ("tag", "v0.9.0"), ("tag", "v1.0.0")}
    for (kind, name), target in refs.items():
        assert target == run_git(demo_repo, "rev-parse", f"{name}^{{commit}}"), (kind, name)
    assert list(iter_commits(demo_repo, exclude=[c.sha for c in commits])) == []


def plain_numstat_total(repo: Path, column: int) -> int:
    lines = run_git(repo, "log", "--all", "--numstat", "--format=").splitlines()
    return sum(int(line.split("\t")[column]) for line in lines
               if line and line.split("\t")[column] != "-")


# --- the record parser on arbitrary bytes ---------------------------------------------------

TOKEN = "0123456789abcdef"
START, END, _FORMAT = log_markers(TOKEN)
SHA = "a" * 40


def record_bytes(sha: bytes, parents: bytes, date: bytes, message: bytes, tail: bytes) -> bytes:
    fields = [sha, parents, b"N", b"n@x", date, b"C", b"c@x", date, message]
    return b"\0".join(fields) + END + tail


def test_parser_on_a_well_formed_record() -> None:
    raw = record_bytes(SHA.encode(), b"b" * 40 + b" " + b"c" * 40, b"1700000000 -0230",
                       b"subject\n\nbody\n", b"\0\n1\t2\ta b\0-\t-\tbin\0" + b"0\t0\t\0old\0new\0")
    record = parse_record(raw, END)
    assert record.sha == SHA and record.parents == ("b" * 40, "c" * 40) and record.is_merge
    assert record.authored_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert record.authored_at.utcoffset() == -timedelta(hours=2, minutes=30)
    assert record.message == "subject\n\nbody"
    assert record.files == (FileChange("a b", 1, 2, None), FileChange("bin", None, None, None),
                            FileChange("new", 0, 0, "old"))


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "truncated"),
    (record_bytes(b"xyz", b"", b"1 +0000", b"m", b""), "not a SHA"),
    (record_bytes(SHA.encode(), b"nope", b"1 +0000", b"m", b""), "parent"),
    (record_bytes(SHA.encode(), b"", b"yesterday", b"m", b""), "not a raw git date"),
    (record_bytes(SHA.encode(), b"", b"1 +2500", b"m", b""), "not a UTC offset"),
    (record_bytes(SHA.encode(), b"", b"99999999999999999999 +0000", b"m", b""), "out of range"),
    (record_bytes(SHA.encode(), b"", b"1 +0000", b"m", b"\0x\ty\tz\0"), "not a number"),
    (record_bytes(SHA.encode(), b"", b"1 +0000", b"m", b"\0" + b"1\t1\t\0old\0"), "rename"),
    (record_bytes(SHA.encode(), b"", b"1 +0000", b"m", b"\0garbage\0"), "bad numstat"),
    (record_bytes(SHA.encode(), b"", b"1 +0000", b"m", b"")[: -len(END)], "not terminated"),
])
def test_parser_names_what_is_wrong(raw: bytes, message: str) -> None:
    with pytest.raises(EvidenceParseError, match=message):
        parse_record(raw, END)


def test_numstat_parser_keeps_tabs_in_paths() -> None:
    assert parse_numstat(b"\n3\t4\ta\tb\tc\0") == (FileChange("a\tb\tc", 3, 4, None),)


def parsed_or_refused(raw: bytes) -> None:
    try:
        result = parse_record(raw, END)
    except EvidenceParseError:
        return
    assert isinstance(result, CommitRecord)
    assert all(isinstance(change, FileChange) for change in result.files)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_parser_on_random_bytes(raw: bytes) -> None:
    parsed_or_refused(raw)


PIECES = st.sampled_from([b"\0", b"\t", b"\n", b" ", b"-", b"0", b"17", b"+0100", b"a" * 40,
                          b"\xff", END, b"1700000000", b"x"])


@settings(max_examples=300, deadline=None)
@given(sha=st.sampled_from([SHA.encode(), b"a" * 64, b"g" * 40, b""]),
       parents=st.lists(st.sampled_from([b"b" * 40, b"zz", b""]), max_size=3),
       date=st.sampled_from([b"1700000000 +0100", b"0 -1200", b"1 +2400", b"x", b"", b"1 +01"]),
       message=st.binary(max_size=60),
       tail=st.lists(PIECES, max_size=25).map(b"".join))
def test_parser_on_near_miss_records(sha: bytes, parents: list[bytes], date: bytes, message: bytes,
                                     tail: bytes) -> None:
    parsed_or_refused(record_bytes(sha, b" ".join(parents), date, message, tail))


def stream_of(raws: list[bytes]) -> Iterator[bytes]:
    blob = b"".join(START + raw for raw in raws)
    for index in range(0, len(blob), 5):
        yield blob[index:index + 5]


def test_stream_splitting_across_any_chunking() -> None:
    raws = [record_bytes(SHA.encode(), b"", b"1 +0000", f"m{n}".encode(), b"\0") for n in range(4)]
    got = list(gitlog._parse_stream(stream_of(raws), (START, END), "test"))
    assert [record.message for record in got] == ["m0", "m1", "m2", "m3"]
    with pytest.raises(EvidenceParseError, match="does not start with a record"):
        list(gitlog._parse_stream(iter([b"junk" + START + raws[0]]), (START, END), "test"))

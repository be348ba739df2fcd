"""Acquiring repositories: local paths, bundles, and refusing every unsafe source form."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import evidence.parsers.gitsource as gitsource
from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import iter_commits, list_refs
from evidence.parsers.gitsource import (
    UnsafeRepositorySource,
    classify_source,
    forget_credentials,
    open_repository,
    redact,
)
from tests.evidence.test_gitlog import GRACE, build_rich_repo, commit, init_repo, run_git, write


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_rich_repo(tmp_path_factory.mktemp("origin") / "repo").path


def shas(repo: Path) -> set[str]:
    return {record.sha for record in iter_commits(repo)}


# --- local repositories -----------------------------------------------------------------------


def test_local_work_tree_is_used_in_place(origin: Path, tmp_path: Path) -> None:
    assert open_repository(str(origin), tmp_path / "work") == origin.resolve()
    assert not (tmp_path / "work").exists()


def test_local_bare_repository(origin: Path, tmp_path: Path) -> None:
    run_git(tmp_path, "clone", "--quiet", "--bare", str(origin), "bare.git")
    opened = open_repository(str(tmp_path / "bare.git"), tmp_path / "work")
    assert shas(opened) == shas(origin)


def test_relative_local_path(origin: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(origin.parent)
    assert open_repository("repo", origin.parent / "work") == origin.resolve()


@pytest.mark.parametrize("where", ["plain", "missing", "subdir"])
def test_local_non_repositories(origin: Path, tmp_path: Path, where: str) -> None:
    path = {"plain": tmp_path, "missing": tmp_path / "nope", "subdir": origin / "src"}[where]
    with pytest.raises(EvidenceParseError, match=r"not a git repository|no such repository"):
        open_repository(str(path), tmp_path / "work")


# --- bundles ----------------------------------------------------------------------------------


def make_bundle(origin: Path, target: Path, *revisions: str) -> Path:
    run_git(origin, "bundle", "create", str(target), *(revisions or ("--all",)))
    return target


def test_bundle_is_verified_and_cloned_bare(origin: Path, tmp_path: Path) -> None:
    bundle = make_bundle(origin, tmp_path / "history.bundle")
    workdir = tmp_path / "work"
    opened = open_repository(str(bundle), workdir)
    assert opened.parent == workdir and opened.name.startswith("history-")
    assert run_git(opened, "rev-parse", "--is-bare-repository") == "true"
    assert not (opened / "README.md").exists() and not list((opened / "hooks").glob("*"))
    assert [r.sha for r in iter_commits(opened)] == [r.sha for r in iter_commits(origin)]
    assert list_refs(opened) == list_refs(origin)
    assert [p.name for p in workdir.iterdir()] == [opened.name]  # the verify scratch is gone


def test_two_bundles_get_two_directories(origin: Path, tmp_path: Path) -> None:
    bundle = make_bundle(origin, tmp_path / "same.bundle")
    first = open_repository(str(bundle), tmp_path / "work")
    second = open_repository(str(bundle), tmp_path / "work")
    assert first != second and shas(first) == shas(second)


def corrupt(source: Path, target: Path, how: str) -> Path:
    data = bytearray(source.read_bytes())
    if how == "truncated":
        data = data[: len(data) * 2 // 3]
    elif how == "flipped":
        data[-40] ^= 0xFF
    else:
        data = bytearray(b"this is not a bundle\n")
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(("how", "message"), [
    ("truncated", "git clone failed.*(early EOF|index-pack)"),
    ("flipped", "git clone failed.*(inflate|bad object|index-pack)"),
    ("garbage", "not a git bundle"),
])
def test_corrupted_bundle_is_a_clear_error(origin: Path, tmp_path: Path, how: str, message: str) -> None:
    good = make_bundle(origin, tmp_path / "good.bundle")
    bad = corrupt(good, tmp_path / "bad.bundle", how)
    workdir = tmp_path / "work"
    with pytest.raises(EvidenceParseError, match=message) as caught:
        open_repository(str(bad), workdir)
    assert str(bad) in str(caught.value)
    assert not workdir.exists() or not list(workdir.iterdir())  # nothing half-made is left


def test_incremental_bundle_without_its_prerequisites(origin: Path, tmp_path: Path) -> None:
    bundle = make_bundle(origin, tmp_path / "tip.bundle", "main~1..main")
    with pytest.raises(EvidenceParseError, match=r"bundle verify failed.*prerequisite"):
        open_repository(str(bundle), tmp_path / "work")


def test_bundle_reingest_sees_new_commits(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write(repo / "a.txt", "a\n")
    commit(repo, "one\n")
    first = open_repository(str(make_bundle(repo, tmp_path / "v1.bundle")), tmp_path / "work")
    seen = shas(first)
    new = [commit(repo, f"more {n}\n", GRACE, None, "--allow-empty") for n in range(2)]
    second = open_repository(str(make_bundle(repo, tmp_path / "v2.bundle")), tmp_path / "work")
    assert sorted(r.sha for r in iter_commits(second, exclude=seen)) == sorted(new)


# --- refusals ---------------------------------------------------------------------------------

UNSAFE = [
    ("", "empty"),
    ("ext::sh -c touch% /tmp/pwned", "transport helpers"),
    ("EXT::sh -c id", "transport helpers"),
    ("ext::git-upload-pack %S", "transport helpers"),
    ("file::/tmp/repo", "transport helpers"),
    ("fd::7", "transport helpers"),
    ("fd::7,8/repo", "transport helpers"),
    ("foo::https://example.com/repo.git", "transport helpers"),
    ("persistent-https::example.com/repo", "transport helpers"),
    ("file:///tmp/repo", "file:// scheme"),
    ("FILE:///tmp/repo", "file:// scheme"),
    ("http://example.com/repo.git", "http:// scheme"),
    ("git://example.com/repo.git", "git:// scheme"),
    ("ftp://example.com/repo.git", "ftp:// scheme"),
    ("git+ssh://example.com/repo.git", "git\\+ssh:// scheme"),
    ("-uhack", "starts with '-'"),
    ("--upload-pack=touch /tmp/pwned", "starts with '-'"),
    ("--", "starts with '-'"),
    ("-oProxyCommand=sh@host:repo", "starts with '-'"),
    ("https://exa mple.com/repo.git", "whitespace"),
    ("https://example.com/repo.git ", "whitespace"),
    ("https://example.com/re\tpo.git", "control characters"),
    ("https://example.com/repo.git\n", "control characters"),
    ("https://example.com/repo\x00.git", "control characters"),
    ("https://example.com/repo\x1b[2J.git", "control characters"),
    ("https://example.com/repo%0a.git", "percent-encoded control"),
    ("https://example.com/%0d%0ahost=evil.example", "percent-encoded control"),
    ("ssh://-oProxyCommand=touch%20x/repo", "starts with '-'"),
    ("ssh://-oProxyCommand=x@host/repo", "starts with '-'"),
    ("git@-oProxyCommand=x:repo", "host starts with '-'"),
    ("git@host:-repo", "path starts with '-'"),
    ("git@host:repo name", "whitespace"),
    ("git@ho$t:repo", "not valid in user@host:path"),
    ("us;er@host:repo", "not valid in user@host:path"),
    ("git@host:", "not valid in user@host:path"),
    ("https:///repo.git", "no host"),
    ("https://example.com", "no repository path"),
    ("https://example.com:notaport/repo.git", "not a valid URL"),
    ("/tmp/\x07bell", "control characters"),
]


@pytest.mark.parametrize(("source", "reason"), UNSAFE)
def test_unsafe_sources_are_refused_before_git_runs(source: str, reason: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"git ran for {source!r}")

    monkeypatch.setattr(gitsource.subprocess, "Popen", no_git)
    monkeypatch.setattr(gitsource.subprocess, "run", no_git)
    with pytest.raises(UnsafeRepositorySource, match=reason) as caught:
        open_repository(source, tmp_path / "work")
    assert isinstance(caught.value, ValueError)
    assert "refused repository source" in str(caught.value)
    assert "https://" in str(caught.value)  # says what is accepted instead
    assert not (tmp_path / "work").exists()


@pytest.mark.parametrize(("source", "kind"), [
    ("https://github.com/org/repo.git", "url"),
    ("https://token@github.com/org/repo", "url"),
    ("HTTPS://example.com:8443/org/repo.git", "url"),
    ("ssh://git@github.com/org/repo.git", "url"),
    ("ssh://[::1]:2222/srv/repo.git", "url"),
    ("git@github.com:org/repo.git", "url"),
    ("deploy@[::1]:srv/repo.git", "url"),
    ("/srv/repos/lexbridge", "local"),
    ("relative/dir with spaces", "local"),
    ("./ext::thing", "local"),
    ("/tmp/a::b.bundle", "local"),
    ("~/repos/x", "local"),
])
def test_accepted_source_forms(source: str, kind: str) -> None:
    assert classify_source(source) == kind


def test_credentials_are_redacted() -> None:
    assert redact("https://user:s3cret@example.com/r.git") == "https://***@example.com/r.git"
    assert redact("https://ghp_token@example.com/r.git") == "https://***@example.com/r.git"
    assert redact("ssh://git:pw@example.com/r.git") == "ssh://git:***@example.com/r.git"
    assert redact("ssh://git@example.com/r.git") == "ssh://git@example.com/r.git"
    with pytest.raises(UnsafeRepositorySource) as caught:
        open_repository("http://user:s3cret@example.com/r.git", Path("/nonexistent"))
    assert "s3cret" not in str(caught.value)


def test_a_token_in_the_url_is_not_left_in_the_clone(tmp_path: Path) -> None:
    run_git(tmp_path, "init", "--quiet", "--bare", "clone.git")
    clone = tmp_path / "clone.git"
    url = "https://user:s3cret@example.com/org/repo.git"
    run_git(clone, "config", "remote.origin.url", url)
    forget_credentials(clone, url)
    assert run_git(clone, "config", "remote.origin.url") == "https://***@example.com/org/repo.git"
    assert "s3cret" not in (clone / "config").read_text()


# --- clones without a network -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_https_clone_to_a_closed_port_fails_fast_and_cleanly(tmp_path: Path) -> None:
    url = f"https://user:s3cret@127.0.0.1:{free_port()}/org/repo.git"
    workdir = tmp_path / "work"
    started = time.monotonic()
    with pytest.raises(EvidenceParseError, match=r"git clone failed.*127.0.0.1") as caught:
        open_repository(url, workdir)
    assert time.monotonic() - started < 5
    assert "s3cret" not in str(caught.value)
    assert not list(workdir.iterdir())


def test_ssh_clone_to_a_closed_port_fails_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(EvidenceParseError, match="git clone failed"):
        open_repository(f"ssh://git@127.0.0.1:{free_port()}/org/repo.git", tmp_path / "work")
    assert time.monotonic() - started < 5


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and then never says anything."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


def test_a_stalled_clone_is_killed_at_the_time_limit(tmp_path: Path) -> None:
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(EvidenceParseError, match=r"timed out after 1.5 s"):
            open_repository(f"https://127.0.0.1:{port}/repo.git", tmp_path / "work", timeout=1.5)
        assert time.monotonic() - started < 5
    assert not list((tmp_path / "work").iterdir())
    if shutil.which("pgrep"):  # git and git-remote-https were killed as a group
        leftovers = subprocess.run(["pgrep", "-f", f"127.0.0.1:{port}/repo.git"],
                                   capture_output=True, check=False)
        assert leftovers.stdout == b""

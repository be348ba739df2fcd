"""Acquiring a repository to read: a local path, a ``git bundle`` file or a clone URL.

Sources are untrusted text, so :func:`open_repository` refuses anything git could turn into a
command or an option before running git at all (:class:`UnsafeRepositorySource`):

* anything starting with ``-`` (option injection) or holding control characters;
* transport helpers ``<scheme>::<address>`` (``ext::`` runs a shell command, ``fd::``,
  ``file::`` ...);
* URL schemes other than ``https://`` and ``ssh://`` (``file://``, ``git://``, ``http://`` ...),
  URLs with whitespace or percent-encoded control characters, hosts or users starting with ``-``;
* scp-like ``user@host:path`` is accepted as SSH.

Clones are bare (no work tree, nothing checked out, no submodules) with every protocol but
https and ssh disabled, hooks and templates off, no prompts (``GIT_TERMINAL_PROMPT=0``, SSH in
batch mode, no controlling terminal), ``--`` before the URL, and a time limit; a token in
the URL is not left in the clone's config. Bundles are
checked with ``git bundle verify``, then cloned bare the same way (a damaged pack fails the
clone). Local repositories are used in place. Anything that fails after the source was
accepted raises :class:`~evidence.parsers.EvidenceParseError`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlsplit

from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import git_command, git_environment, resolve_git_dir

__all__ = ["CLONE_TIMEOUT_S", "UnsafeRepositorySource", "classify_source", "forget_credentials",
           "open_repository", "redact"]

CLONE_TIMEOUT_S = 900.0
SourceKind = Literal["url", "local"]

CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
WHITESPACE_RE = re.compile(r"\s")
HELPER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*::")  # git's "<transport>::<address>" rule
SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# git reads "user@host:path" (a colon before any slash) as SSH; checked strictly once matched.
SCP_RE = re.compile(r"^(?P<user>[^@/:]+)@(?P<host>\[[^\]/]*\]|[^:/]*):(?P<path>.*)$")
SCP_PARTS = {
    "user": re.compile(r"[A-Za-z0-9._~+-]+"),
    "host": re.compile(r"[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]"),
    "path": re.compile(r".+"),
}
ALLOWED_SCHEMES = ("https", "ssh")
BUNDLE_HEADERS = (b"# v2 git bundle\n", b"# v3 git bundle\n")
CLONE_CONFIG = (
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.ssh.allow=always",
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=60",
)
BUNDLE_CONFIG = ("protocol.allow=never", "protocol.file.allow=always")
# Needed by ssh (keys, known hosts, agent), TLS (CA bundle) and corporate proxies.
PASSED_THROUGH = ("HOME", "SSH_AUTH_SOCK", "GIT_SSL_CAINFO", "SSL_CERT_FILE", "SSL_CERT_DIR",
                  "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY")
SSH_COMMAND = "ssh -o BatchMode=yes -o ConnectTimeout=20"


class UnsafeRepositorySource(ValueError):
    """A repository source refused before any git command ran."""

    def __init__(self, source: str, reason: str) -> None:
        self.source, self.reason = source, reason
        super().__init__(f"refused repository source {_shown(source)}: {reason}. "
                         "Give an https:// or ssh:// URL, user@host:path, a local repository "
                         "path or a git bundle file.")


def open_repository(source: str, workdir: Path, *, timeout: float = CLONE_TIMEOUT_S) -> Path:
    """A path ``iter_commits`` can read: the local repository itself, or a bare clone in ``workdir``."""
    if classify_source(source) == "url":
        return _clone(source, CLONE_CONFIG, workdir, timeout, _url_stem(source))
    try:
        path = Path(source).expanduser().resolve()
        is_dir, is_file = path.is_dir(), path.is_file()
    except (OSError, RuntimeError) as exc:
        raise EvidenceParseError(source, f"cannot use this path: {exc}") from exc
    if is_dir:
        resolve_git_dir(path)
        return path
    if is_file:
        _verify_bundle(path, workdir)
        return _clone(str(path), BUNDLE_CONFIG, workdir, timeout, path.stem)
    raise EvidenceParseError(source, "no such repository, bundle file or directory")


def classify_source(source: str) -> SourceKind:
    """``"url"`` or ``"local"``; raises :class:`UnsafeRepositorySource` for refused forms."""
    if not source:
        raise UnsafeRepositorySource(source, "it is empty")
    if source.startswith("-"):
        raise UnsafeRepositorySource(source, "it starts with '-' and would be read as an option")
    if CONTROL_RE.search(source):
        raise UnsafeRepositorySource(source, "it contains control characters")
    if HELPER_RE.match(source):
        helper = source.split("::", 1)[0]
        raise UnsafeRepositorySource(source, f"transport helpers ('{helper}::') are not allowed")
    scheme = SCHEME_RE.match(source)
    if scheme:
        _check_url(source, scheme.group(1).lower())
        return "url"
    scp = SCP_RE.match(source)
    if scp:
        _check_scp(source, scp)
        return "url"
    return "local"


def _check_url(url: str, scheme: str) -> None:
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeRepositorySource(url, f"the {scheme}:// scheme is not allowed (only https, ssh)")
    _check_url_text(url)
    try:
        parts = urlsplit(url)
        host, _port, user = parts.hostname, parts.port, parts.username
    except ValueError as exc:
        raise UnsafeRepositorySource(url, f"it is not a valid URL ({exc})") from exc
    if not host:
        raise UnsafeRepositorySource(url, "it names no host")
    if host.startswith("-") or (user or "").startswith("-"):
        raise UnsafeRepositorySource(url, "its host or user starts with '-'")
    if not parts.path.strip("/"):
        raise UnsafeRepositorySource(url, "it names no repository path")


def _check_scp(source: str, match: re.Match[str]) -> None:
    _check_url_text(source)
    for part, pattern in SCP_PARTS.items():
        value = match.group(part)
        if value.startswith("-"):
            raise UnsafeRepositorySource(source, f"its {part} starts with '-'")
        if not pattern.fullmatch(value):
            raise UnsafeRepositorySource(source, f"its {part} {value!r} is not valid in user@host:path")


def _check_url_text(url: str) -> None:
    if WHITESPACE_RE.search(url):
        raise UnsafeRepositorySource(url, "URLs may not contain whitespace")
    if CONTROL_RE.search(unquote(url)):
        raise UnsafeRepositorySource(url, "it contains percent-encoded control characters")


def redact(source: str) -> str:
    """``source`` with the user part of a non-SSH URL (a password or token) replaced by ``***``."""
    if source[:6].lower() == "ssh://":
        return re.sub(r"^(ssh://[^/@:]*):[^/@]*@", r"\1:***@", source, flags=re.IGNORECASE)
    return re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", r"\1***@", source)


def _shown(source: str, limit: int = 200) -> str:
    text = redact(source)
    return repr(text[:limit] + "…" if len(text) > limit else text)


def _url_stem(url: str) -> str:
    tail = re.split(r"[/:]", url.rstrip("/"))[-1].removesuffix(".git")
    return tail or "repository"


def _new_destination(workdir: Path, stem: str) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).lstrip(".-")[:60] or "repository"
    return Path(tempfile.mkdtemp(prefix=f"{safe}-", suffix=".git", dir=workdir))


def _verify_bundle(bundle: Path, workdir: Path) -> None:
    """Refuse a file that is not a complete bundle (header and prerequisites; packs later)."""
    try:
        with bundle.open("rb") as handle:
            header = handle.read(len(BUNDLE_HEADERS[0]))
    except OSError as exc:
        raise EvidenceParseError(str(bundle), f"cannot read the bundle: {exc}") from exc
    if header not in BUNDLE_HEADERS:
        raise EvidenceParseError(str(bundle), "not a git bundle (no v2/v3 bundle header)")
    scratch = _new_destination(workdir, "verify")
    try:
        _git(git_command("init", "--bare", "--quiet", "--template=", str(scratch)), str(bundle), 60)
        _git(git_command("bundle", "verify", str(bundle), git_dir=scratch),
             str(bundle), 300, what="git bundle verify")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _clone(source: str, config: tuple[str, ...], workdir: Path, timeout: float, stem: str) -> Path:
    destination = _new_destination(workdir, stem)
    command = git_command("clone", "--bare", "--no-checkout", "--template=", "--quiet",
                          "--", source, str(destination), config=config)
    try:
        _git(command, redact(source), timeout, what="git clone", secret=source)
        forget_credentials(destination, source)
    except BaseException:
        shutil.rmtree(destination, ignore_errors=True)
        raise
    return destination


def forget_credentials(git_dir: Path, url: str) -> None:
    """Keep a token given in the URL out of the clone's config (``remote.origin.url``)."""
    if redact(url) != url:
        _git(git_command("config", "remote.origin.url", redact(url), git_dir=git_dir),
             redact(url), 60, what="git config")


def _git(command: list[str], source: str, timeout: float, *, what: str = "git",
         secret: str | None = None) -> None:
    """Run git in its own session (no terminal to prompt on); kill the whole group on timeout."""
    env = git_environment(_ssh_environment())
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=errors, env=env, start_new_session=True)
        except OSError as exc:
            raise EvidenceParseError(source, f"cannot run git: {exc}") from exc
        try:
            status = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            _kill_group(process)
        if status == 0:
            return
        errors.seek(0)
        message = errors.read().decode("utf-8", "replace").strip() or "no message from git"
        if secret:
            message = message.replace(secret, source)
        reason = f"timed out after {timeout:g} s" if status is None else f"failed: {message[:2000]}"
        raise EvidenceParseError(source, f"{what} {reason}")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill git and its helpers (remote-https, ssh) if still running, then reap git."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _ssh_environment() -> dict[str, str]:
    """What ssh and TLS need from the caller's environment; ssh in batch mode, never prompting."""
    env = {"GIT_SSH_COMMAND": SSH_COMMAND}
    for name in PASSED_THROUGH:
        if name in os.environ:
            env[name] = os.environ[name]
    return env

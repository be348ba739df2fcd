"""Personal data out of a parsed run: e-mail addresses, home-folder user names, host names.

* Values under keys that name a person or a machine (last part of the key: ``user``,
  ``username``, ``email``, ``host``, ``hostname``, …; so ``mlflow.user``, ``wandb.host``) and
  the run's ``user`` become ``[redacted]`` whole.
* E-mail addresses anywhere in tags, params, names and paths become ``[redacted]`` (``git@``
  in SSH repository URLs is not a person and stays).
* Home folders keep their path but lose the user: ``/home/priya/src/x.py`` →
  ``/home/[redacted]/src/x.py``; likewise ``/Users/<user>/…`` and ``C:\\Users\\<user>\\…``.
* Every user, host and e-mail name found that way is then removed wherever else it appears in
  the run's text (say, a run named after its author), as a whole word.

Run ids, commits, metric names and values are left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from evidence.parsers.runs import ParsedRun

REDACTED = "[redacted]"
EMAIL = re.compile(
    r"(?<![\w.+-])([\w.!#$%&'*+/=?^`{|}~-]+)@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
)
POSIX_HOME = re.compile(r"(?<![\w.])(/home/|/Users/)([^/\s:'\"]+)")
WINDOWS_HOME = re.compile(r"(?i)(?<![\w])([a-z]:(?:\\\\|\\|/)+users(?:\\\\|\\|/)+)([^\\/\s:'\"]+)")
PERSON_KEYS = frozenset({"user", "username", "user_name", "user_id", "userid", "email", "e-mail", "mail",
                         "login", "author", "owner"})
HOST_KEYS = frozenset({"host", "hostname", "host_name", "nodename", "node_name", "machine"})
NOT_PERSONAL = frozenset({"root", "unknown", "user", "users", "admin", "ubuntu", "runner", "jovyan",
                          "none", "null", "localhost", "default", "home", "shared", "git"})
MIN_TOKEN = 3


def redact_personal(run: ParsedRun) -> ParsedRun:
    """A copy of ``run`` with personal data replaced by ``[redacted]``."""
    tokens = _personal_tokens(run)
    redact = _Redactor(tokens)
    return replace(
        run,
        experiment=redact.text(run.experiment),
        name=redact.text(run.name),
        params={key: redact.value(key, value) for key, value in run.params.items()},
        tags={key: redact.value(key, value) for key, value in run.tags.items()},
        user=REDACTED if run.user else run.user,
        source_path=redact.text(run.source_path),
    )


def is_personal_key(key: str) -> bool:
    last = re.split(r"[./]", key.lower())[-1]
    return last in PERSON_KEYS or last in HOST_KEYS


class _Redactor:
    def __init__(self, tokens: set[str]) -> None:
        words = sorted(tokens, key=len, reverse=True)
        self._tokens = (
            re.compile(rf"(?<!\w)(?<!\w\.)(?:{'|'.join(map(re.escape, words))})(?!\w|\.\w)", re.IGNORECASE)
            if words else None
        )

    def value(self, key: str, value: str) -> str:
        if is_personal_key(key) and value:
            return REDACTED
        return self.text(value)

    def text(self, value: str) -> str:
        value = EMAIL.sub(_email, value)
        value = POSIX_HOME.sub(lambda m: m.group(1) + REDACTED, value)
        value = WINDOWS_HOME.sub(lambda m: m.group(1) + REDACTED, value)
        if self._tokens is not None:
            value = self._tokens.sub(REDACTED, value)
        return value


def _email(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) == "git" else REDACTED


def _personal_tokens(run: ParsedRun) -> set[str]:
    found: set[str] = set()
    texts = [run.name, run.experiment, run.source_path, *run.params.values(), *run.tags.values()]
    pairs = [*run.params.items(), *run.tags.items()]
    for value in [*(value for key, value in pairs if is_personal_key(key)), run.user or ""]:
        found.add(value.strip())
    for text in [*texts, run.user or ""]:
        for match in EMAIL.finditer(text):
            if match.group(1) != "git":
                found.update((match.group(0), match.group(1)))
        found.update(match.group(2) for match in POSIX_HOME.finditer(text))
        found.update(match.group(2) for match in WINDOWS_HOME.finditer(text))
    return {token for token in found if len(token) >= MIN_TOKEN and token.lower() not in NOT_PERSONAL}

"""Rules that attribute commits to projects, read from a YAML file.

A rules file lists rules; each names a project by its code (``BusinessComponent.code``) and
one or more conditions. A commit belongs to the rule's project when it meets **every**
condition the rule gives; within one condition a list means **any** of its entries. A commit
may belong to several projects; the first rule (in file order) that attributes it to a
project is the one recorded::

    rules:
      - project: RET                        # required: the project's code
        name: retrieval service             # optional: the text kept with each attribution
        paths: [services/retrieval/**, "*.ipynb"]
        branches: [feature/retrieval-*]
        message: [rerank, colbert]          # keywords, case-insensitive substrings
        message_regex: '\\bRET-\\d+\\b'     # a Python regular expression, searched
        authors: ["*@search.example.com"]   # e-mail patterns, case-insensitive
        from: 2025-01-01                    # author date window, both ends inclusive
        to: 2025-06-30

Conditions:

* ``paths``: globs over repository-relative paths of the files a commit changed (for a
  rename, the old or the new path). ``*`` and ``?`` stay within one folder, ``**`` spans
  folders, ``[abc]`` is a character class; a pattern ending in ``/`` means everything below
  that folder, and a pattern without ``/`` matches a file name at any depth (as in
  ``.gitignore``). Merges change no files of their own, so path rules never take a merge.
* ``branches``: shell patterns over branch names (``*`` spans ``/``); the commit must have
  been made on a matching branch as the repository stands at ingest: on the branch's own
  line (from its tip along first parents) before that line meets the mainline's (the branch
  ``HEAD`` names, else ``main`` or ``master``). Merged branches keep their commits; deleted
  branches match nothing; a pattern matching the mainline takes every commit it reaches.
  Computed with git during ingest (:func:`evidence.ingest.git_commits.branch_commits`).
* ``message`` / ``message_regex``: keywords found anywhere in the message (ignoring case),
  or a regular expression found anywhere in it.
* ``authors``: shell patterns over the author's e-mail address (ignoring case).
* ``from`` / ``to``: the author date, in the author's own time zone, as ``YYYY-MM-DD``.

The file may also be a bare list of rules. Mistakes are :class:`RuleError` naming the file,
the rule (by number and project) and the key. Rules name projects by code; codes that the
study does not have are refused when the rules are used (:meth:`CommitRules.check_projects`).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evidence.parsers.gitlog import CommitRecord

__all__ = ["CommitRule", "CommitRules", "RuleError", "glob_regex", "load_rules", "parse_rules"]

MAX_RULES_BYTES = 1 << 20
MAX_RULE_TEXT = 300
KEYS = frozenset({"project", "name", "paths", "branches", "message", "message_regex", "authors",
                  "from", "to"})
CONDITIONS = ("paths", "branches", "message", "message_regex", "authors", "from", "to")


class _Loader(yaml.SafeLoader):
    """Safe YAML keeping dates as text, so '2025-13-01' is our error, not a crash in the loader."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RuleError(ValueError):
    """A rules file that cannot be used; the message names the file, rule and key."""


@dataclass(frozen=True)
class CommitRule:
    """One rule: a project code and the conditions a commit must all meet."""

    number: int
    project: str
    name: str = ""
    paths: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    message_regex: str | None = None
    authors: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    _path_re: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _keyword_re: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _regex_re: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _author_re: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = {
            "_path_re": _either((glob_regex(pattern) for pattern in self.paths), flags=re.DOTALL),
            "_keyword_re": _either((re.escape(k) for k in self.keywords), flags=re.IGNORECASE),
            "_regex_re": re.compile(self.message_regex) if self.message_regex else None,
            "_author_re": _either((fnmatch.translate(p.lower()) for p in self.authors), flags=re.DOTALL),
        }
        for name, value in compiled.items():
            object.__setattr__(self, name, value)

    @property
    def label(self) -> str:
        return f"rule {self.number} (project {self.project!r})"

    def text(self) -> str:
        """What CommitProject.rule keeps: the rule's name, or its conditions in short."""
        if self.name:
            return self.name[:MAX_RULE_TEXT]
        parts = [f"paths {', '.join(self.paths)}" if self.paths else "",
                 f"branches {', '.join(self.branches)}" if self.branches else "",
                 f"message ~ {', '.join(self.keywords)}" if self.keywords else "",
                 f"message /{self.message_regex}/" if self.message_regex else "",
                 f"authors {', '.join(self.authors)}" if self.authors else "",
                 f"from {self.since}" if self.since else "", f"to {self.until}" if self.until else ""]
        text = f"rule {self.number}: " + "; ".join(part for part in parts if part)
        return text if len(text) <= MAX_RULE_TEXT else text[:MAX_RULE_TEXT - 1] + "…"

    def matches(self, commit: CommitRecord, reachable: AbstractSet[str] | None = None) -> bool:
        """Whether ``commit`` meets every condition; ``reachable`` holds the SHAs on matching branches."""
        if self.since or self.until:
            day = commit.authored_at.date()
            if (self.since and day < self.since) or (self.until and day > self.until):
                return False
        if self._author_re is not None and not self._author_re.match(commit.author_email.lower()):
            return False
        if self._keyword_re is not None and not self._keyword_re.search(commit.message):
            return False
        if self._regex_re is not None and not self._regex_re.search(commit.message):
            return False
        if self.branches and (reachable is None or commit.sha not in reachable):
            return False
        return self._path_re is None or any(
            self._path_re.match(change.path) or (change.old_path and self._path_re.match(change.old_path))
            for change in commit.files)


@dataclass(frozen=True)
class CommitRules:
    """The rules of one file, in file order."""

    rules: tuple[CommitRule, ...]
    source: str = "rules"

    def codes(self) -> set[str]:
        return {rule.project for rule in self.rules}

    def check_projects(self, known: Mapping[str, int]) -> None:
        """Refuse rules naming a project code that is not in ``known`` (code -> project id)."""
        for rule in self.rules:
            if rule.project not in known:
                hint = f"; the study's codes are {', '.join(sorted(known))}" if known else \
                    "; the study has no projects yet"
                raise RuleError(f"{self.source}, {rule.label}: no project with code {rule.project!r} "
                                f"in this study{hint}")

    def attribute(self, commit: CommitRecord,
                  reachable: Mapping[int, AbstractSet[str]]) -> dict[str, CommitRule]:
        """Project code -> the first rule attributing ``commit`` to it.

        ``reachable`` maps a rule's number to the commits on its branches (rules with branches only).
        """
        found: dict[str, CommitRule] = {}
        for rule in self.rules:
            if rule.project not in found and rule.matches(commit, reachable.get(rule.number)):
                found[rule.project] = rule
        return found


def load_rules(path: Path | str) -> CommitRules:
    """Read a rules file; RuleError names the file and what is wrong."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_RULES_BYTES + 1)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read the rules file: {exc.strerror or exc}") from exc
    if len(raw) > MAX_RULES_BYTES:
        raise RuleError(f"{path}: a rules file is at most {MAX_RULES_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    return parse_rules(text, source=str(path))


def parse_rules(text: str, *, source: str = "rules") -> CommitRules:
    """Rules from YAML text; ``source`` names the text in errors."""
    try:
        document = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{source}{where}: not valid YAML: {problem}") from exc
    except RecursionError:
        raise RuleError(f"{source}: nested too deeply to read") from None
    entries = document.get("rules") if isinstance(document, dict) else document
    if isinstance(document, dict) and set(document) - {"rules"}:
        unknown = ", ".join(sorted(map(str, set(document) - {"rules"})))
        raise RuleError(f"{source}: unknown top-level key(s) {unknown}; the file holds 'rules:'")
    if not isinstance(entries, list) or not entries:
        raise RuleError(f"{source}: expected 'rules:' followed by a list of rules")
    return CommitRules(tuple(_rule(entry, number, source)
                             for number, entry in enumerate(entries, start=1)), source)


def _rule(entry: Any, number: int, source: str) -> CommitRule:
    if not isinstance(entry, dict):
        raise RuleError(f"{source}, rule {number}: expected a mapping with 'project:' and conditions")
    project = entry.get("project")
    where = f"{source}, rule {number}" + (f" (project {project!r})" if isinstance(project, str) else "")
    if not isinstance(project, str) or not project.strip():
        raise RuleError(f"{where}: 'project' must name a project code")
    unknown = sorted(str(key) for key in entry if key not in KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown key(s) {', '.join(unknown)}; known keys are "
                        f"{', '.join(sorted(KEYS))}")
    if not any(entry.get(key) not in (None, [], "") for key in CONDITIONS):
        raise RuleError(f"{where}: no condition; give at least one of {', '.join(CONDITIONS)}")
    rule = _built(entry, number, project.strip(), where)
    if rule.since and rule.until and rule.since > rule.until:
        raise RuleError(f"{where}, 'from': {rule.since} is after 'to' {rule.until}")
    return rule


def _built(entry: dict[str, Any], number: int, project: str, where: str) -> CommitRule:
    regex = entry.get("message_regex")
    if regex is not None and not isinstance(regex, str):
        raise RuleError(f"{where}, 'message_regex': expected a string")
    try:
        return CommitRule(
            number=number, project=project, name=_text(entry.get("name"), where, "name"),
            paths=tuple(_path_pattern(p, where) for p in _strings(entry, "paths", where)),
            branches=_strings(entry, "branches", where), keywords=_strings(entry, "message", where),
            message_regex=regex or None, authors=_strings(entry, "authors", where),
            since=_date(entry.get("from"), where, "from"), until=_date(entry.get("to"), where, "to"))
    except re.error as exc:
        raise RuleError(f"{where}, 'message_regex': not a valid regular expression: {exc}") from exc


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(item, str) and item.strip() for item in values):
        raise RuleError(f"{where}, {key!r}: expected a non-empty string or a list of them")
    return tuple(item.strip() for item in values)


def _text(value: Any, where: str, key: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RuleError(f"{where}, {key!r}: expected a string")
    return value.strip()


def _date(value: Any, where: str, key: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise RuleError(f"{where}, {key!r}: {value!r} is not a date (YYYY-MM-DD)")


def _path_pattern(pattern: str, where: str) -> str:
    cleaned = pattern.lstrip("/")
    if not cleaned or "\\" in cleaned:
        raise RuleError(f"{where}, 'paths': {pattern!r} is not a path glob (use '/' between folders)")
    return cleaned


def glob_regex(pattern: str) -> str:
    """A path glob (see the module docstring) as a regular expression matching whole paths."""
    if pattern.endswith("/"):
        pattern += "**"
    prefix = "" if "/" in pattern else "(?:.*/)?"
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            piece, index = _glob_piece(pattern, index)
            out.append(piece)
    return prefix + "".join(out) + r"\Z"


def _glob_piece(pattern: str, index: int) -> tuple[str, int]:
    char = pattern[index]
    if char == "*":
        return "[^/]*", index + 1
    if char == "?":
        return "[^/]", index + 1
    if char == "[":
        close = pattern.find("]", index + 2)
        if close != -1:
            body = pattern[index + 1:close]
            negate = body[:1] in ("!", "^")
            body = re.sub(r"([\\\[])", r"\\\1", body[1:] if negate else body)
            return f"[{'^/' if negate else ''}{body}]", close + 1
    return re.escape(char), index + 1


def _either(patterns: Iterable[str], flags: int = 0) -> re.Pattern[str] | None:
    parts = list(patterns)
    return re.compile("|".join(f"(?:{part})" for part in parts), flags) if parts else None

"""Dependency files: which vendor packages they declare, and on which line.

Each file is parsed by its own format (TOML, JSON, YAML, INI or requirement lines), so a
name that is only mentioned in a comment or a description is not a dependency; the line is
then found by the name. A file that cannot be parsed is skipped with the parser's reason.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath
from typing import Any

import yaml

from evidence.thirdparty.findings import Mention, MentionKind, clip
from evidence.thirdparty.vendors import Catalog, normalize_python, package_matches

REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
CONDA_NAME = re.compile(r"^\s*(?:[\w.-]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)")


class ManifestError(ValueError):
    """A dependency file that cannot be read; the message says why."""


def manifest_kind(path: str) -> str | None:
    """Which dependency format ``path`` is, by its name; None for any other file."""
    name = PurePosixPath(path).name
    parent = PurePosixPath(path).parent.name
    if name in _READERS:
        return name
    if name.endswith(".txt") and (name.startswith("requirements") or parent == "requirements"):
        return "requirements.txt"
    if re.fullmatch(r"environment[\w.-]*\.ya?ml", name):
        return "environment.yml"
    return None


def manifest_mentions(path: str, text: str, catalog: Catalog) -> list[Mention]:
    """Every vendor package ``text`` (the file at ``path``) declares; raises :class:`ManifestError`."""
    kind = manifest_kind(path)
    if kind is None:
        return []
    python, names = _READERS[kind](text)
    lines = text.splitlines()
    found: list[Mention] = []
    for name in dict.fromkeys(names):
        for vendor in catalog.vendors:
            patterns = vendor.python_packages if python else vendor.npm_packages
            if patterns and package_matches(name, patterns, python=python):
                number = _line_of(lines, name, python=python)
                found.append(Mention(path, number, MentionKind.DEPENDENCY, vendor.key,
                                     clip(lines[number - 1] if lines else name)))
    return found


def _line_of(lines: list[str], name: str, *, python: bool) -> int:
    """The first line naming ``name`` as a whole word (Python: any of - _ . between parts)."""
    parts = re.split(r"[-_.]+", normalize_python(name)) if python else [name.lower()]
    body = r"[-_.]+".join(re.escape(part) for part in parts)
    word = re.compile(rf"(?<![\w.\-/@]){body}(?![\w\-/])", re.IGNORECASE)
    for number, line in enumerate(lines, start=1):
        if not line.lstrip().startswith("#") and word.search(line):
            return number
    return 1


# --- one reader per format: (is it Python, the declared names) ------------------------------


def _requirements(text: str) -> tuple[bool, list[str]]:
    names = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")) or "://" in line:
            continue
        match = REQUIREMENT_NAME.match(line)
        if match:
            names.append(match.group(1))
    return True, names


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"invalid TOML: {exc}") from exc


def _pep508(values: Iterable[Any]) -> Iterator[str]:
    for value in values:
        match = REQUIREMENT_NAME.match(value) if isinstance(value, str) else None
        if match:
            yield match.group(1)


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _pyproject(text: str) -> tuple[bool, list[str]]:
    data = _toml(text)
    project, tool = _table(data.get("project")), _table(data.get("tool"))
    names = list(_pep508(project.get("dependencies") or []))
    for extra in _table(project.get("optional-dependencies")).values():
        names += _pep508(extra if isinstance(extra, list) else [])
    for group in _table(data.get("dependency-groups")).values():
        names += _pep508(group if isinstance(group, list) else [])
    poetry = _table(tool.get("poetry"))
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies"),
              *(_table(group).get("dependencies") for group in _table(poetry.get("group")).values())]
    names += [name for table in tables for name in _table(table) if name.lower() != "python"]
    for group in _table(_table(tool.get("pdm")).get("dev-dependencies")).values():
        names += _pep508(group if isinstance(group, list) else [])
    return True, names


def _pipfile(text: str) -> tuple[bool, list[str]]:
    data = _toml(text)
    return True, [*_table(data.get("packages")), *_table(data.get("dev-packages"))]


def _poetry_lock(text: str) -> tuple[bool, list[str]]:
    packages = _toml(text).get("package") or []
    return True, [p["name"] for p in packages if isinstance(p, dict) and isinstance(p.get("name"), str)]


def _setup_cfg(text: str) -> tuple[bool, list[str]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        raise ManifestError(f"invalid setup.cfg: {exc}") from exc
    values = [parser.get("options", "install_requires", fallback="")]
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    return True, list(_pep508(line.strip() for value in values for line in value.splitlines()))


def _package_json(text: str) -> tuple[bool, list[str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ManifestError("package.json must hold an object")
    sections = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")
    return False, [name for section in sections for name in _table(data.get(section))]


def _environment(text: str) -> tuple[bool, list[str]]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"invalid YAML: {exc}") from exc
    names: list[str] = []
    for entry in _table(data).get("dependencies") or []:
        specs = (entry.get("pip") or []) if isinstance(entry, dict) else [entry]
        for spec in specs:
            match = CONDA_NAME.match(spec) if isinstance(spec, str) else None
            if match:
                names.append(match.group(1))
    return True, names


_READERS: dict[str, Callable[[str], tuple[bool, list[str]]]] = {
    "requirements.txt": _requirements,
    "pyproject.toml": _pyproject,
    "Pipfile": _pipfile,
    "poetry.lock": _poetry_lock,
    "setup.cfg": _setup_cfg,
    "package.json": _package_json,
    "environment.yml": _environment,
}

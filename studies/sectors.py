"""The AI/ML sub-sectors a study can belong to, and the exclusions common to all of them.

The content lives in ``studies/data/sub_sectors.yaml`` (data, not code); this module loads it
once, checks its shape and hands out frozen, typed records.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_PATH = Path(__file__).with_name("data") / "sub_sectors.yaml"

_SUB_SECTOR_TEXT = ("label", "summary")
_SUB_SECTOR_LISTS = ("qualifying_activities", "exclusions", "typical_evidence", "interview_focus")
_EXCLUSION_KEYS = ("code", "label", "reason", "layer_kind")


class LayerKind(enum.StrEnum):
    EXCLUDED_ACTIVITY = "excluded_activity"
    THIRD_PARTY_MODEL = "third_party_model"


@dataclass(frozen=True)
class SubSector:
    code: str
    label: str
    summary: str
    qualifying_activities: tuple[str, ...]
    exclusions: tuple[str, ...]
    typical_evidence: tuple[str, ...]
    interview_focus: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    code: str
    label: str
    reason: str
    layer_kind: LayerKind


@dataclass(frozen=True)
class Catalog:
    sub_sectors: dict[str, SubSector]
    common_exclusions: tuple[Exclusion, ...]
    entity_types: dict[str, str]


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{where}: expected a non-empty mapping")
    return value


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    if key not in entry:
        raise ValueError(f"{where}: missing key {key!r}")
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: key {key!r} must be a non-empty string")
    return value.strip()


def _texts(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    if key not in entry:
        raise ValueError(f"{where}: missing key {key!r}")
    value = entry[key]
    if not isinstance(value, list) or not value:
        raise ValueError(f"{where}: key {key!r} must be a non-empty list")
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: key {key!r} must hold only non-empty strings")
    return tuple(item.strip() for item in value)


def _check_keys(entry: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(entry) - set(allowed))
    if unknown:
        raise ValueError(f"{where}: unexpected key(s) {', '.join(map(repr, unknown))}")


def _sub_sector(code: str, raw: Any, source: str) -> SubSector:
    where = f"{source}: sub-sector {code!r}"
    entry = _mapping(raw, where)
    _check_keys(entry, _SUB_SECTOR_TEXT + _SUB_SECTOR_LISTS, where)
    label, summary = (_text(entry, key, where) for key in _SUB_SECTOR_TEXT)
    lists = [_texts(entry, key, where) for key in _SUB_SECTOR_LISTS]
    return SubSector(code, label, summary, *lists)


def _exclusion(index: int, raw: Any, source: str) -> Exclusion:
    where = f"{source}: common exclusion #{index + 1}"
    entry = _mapping(raw, where)
    _check_keys(entry, _EXCLUSION_KEYS, where)
    code, label, reason, kind = (_text(entry, key, where) for key in _EXCLUSION_KEYS)
    kinds = [k.value for k in LayerKind]
    if kind not in kinds:
        raise ValueError(f"{where} ({code!r}): layer_kind {kind!r} is not one of {kinds}")
    return Exclusion(code, label, reason, LayerKind(kind))


def load_catalog(path: Path = DATA_PATH) -> Catalog:
    """Read and validate a sub-sector file; raise ``ValueError`` naming the bad entry and key."""
    source = str(path)
    document = _mapping(yaml.safe_load(path.read_text(encoding="utf-8")), source)
    _check_keys(document, ("sub_sectors", "common_exclusions", "entity_types"), source)
    sectors_raw = _mapping(document.get("sub_sectors"), f"{source}: 'sub_sectors'")
    sectors = {str(code): _sub_sector(str(code), raw, source) for code, raw in sectors_raw.items()}
    exclusions_raw = document.get("common_exclusions")
    if not isinstance(exclusions_raw, list) or not exclusions_raw:
        raise ValueError(f"{source}: 'common_exclusions' must be a non-empty list")
    exclusions = tuple(_exclusion(i, raw, source) for i, raw in enumerate(exclusions_raw))
    codes = [e.code for e in exclusions]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValueError(f"{source}: duplicate common exclusion code(s) {duplicates}")
    entity_raw = _mapping(document.get("entity_types"), f"{source}: 'entity_types'")
    entities = {str(code): _text(entity_raw, code, f"{source}: 'entity_types'") for code in entity_raw}
    return Catalog(sectors, exclusions, entities)


@functools.cache
def _catalog() -> Catalog:
    return load_catalog(DATA_PATH)


def sub_sectors() -> dict[str, SubSector]:
    """Every sub-sector, keyed by code, in file order (a fresh dict; the records are frozen)."""
    return dict(_catalog().sub_sectors)


def sub_sector(code: str) -> SubSector:
    known = _catalog().sub_sectors
    if code not in known:
        raise KeyError(f"unknown sub-sector {code!r}; known sub-sectors: {', '.join(known)}")
    return known[code]


def _humanize(code: str) -> str:
    return str(code).replace("_", " ")


def sub_sector_label(code: str) -> str:
    """Display label for a sub-sector code; an unknown code is shown with underscores as spaces."""
    found = _catalog().sub_sectors.get(code)
    return found.label if found else _humanize(code)


def common_exclusions() -> tuple[Exclusion, ...]:
    return _catalog().common_exclusions


def entity_type_label(code: str) -> str:
    """Display label for an entity type code (``EntityType`` values); unknown codes are humanized."""
    return _catalog().entity_types.get(str(code)) or _humanize(code)

"""The vendor catalog (``evidence/data/model_vendors.yaml``): loaded once, checked, typed."""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "model_vendors.yaml"
KINDS = ("model_api", "model_hub", "framework")
_LISTS = ("aliases", "python_packages", "npm_packages", "python_modules", "js_modules", "model_patterns")
_KEYS = frozenset({"label", "layer_name", "kind", "python_calls", "local_folders", *_LISTS})
_CALL_KEYS = frozenset({"call", "model_keywords", "model_position", "task_keywords", "task_position",
                        "default_checkpoint"})


@dataclass(frozen=True)
class ModelCall:
    """A call that loads a model: where its arguments name the model (and the task)."""

    call: str
    model_keywords: tuple[str, ...]
    model_position: int | None
    task_keywords: tuple[str, ...] = ()
    task_position: int | None = None
    default_checkpoint: bool = False


@dataclass(frozen=True)
class Vendor:
    key: str
    label: str
    layer_name: str
    kind: str
    aliases: tuple[str, ...]
    python_packages: tuple[str, ...]
    npm_packages: tuple[str, ...]
    python_modules: tuple[str, ...]
    js_modules: tuple[str, ...]
    model_patterns: tuple[re.Pattern[str], ...]
    python_calls: tuple[ModelCall, ...] = ()
    local_folders: frozenset[str] = frozenset()

    def names(self) -> frozenset[str]:
        """Every spelling of this vendor, squeezed (see :func:`squeeze`)."""
        return frozenset(squeeze(name) for name in (self.key, self.label, *self.aliases))

    def model_of(self, literal: str) -> str | None:
        text = literal.strip()
        return text if len(text) <= 100 and any(p.fullmatch(text) for p in self.model_patterns) else None


@dataclass(frozen=True)
class Catalog:
    vendors: tuple[Vendor, ...]
    reasons: dict[str, str]

    def reason(self, vendor: Vendor) -> str:
        return self.reasons[vendor.kind].format(label=vendor.label)

    def by_key(self, key: str) -> Vendor:
        return next(vendor for vendor in self.vendors if vendor.key == key)


def squeeze(name: str) -> str:
    """``"Open AI"``, ``"open-ai"`` and ``"OpenAI"`` all become ``"openai"``."""
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def normalize_python(name: str) -> str:
    """A distribution name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def package_matches(name: str, patterns: tuple[str, ...], *, python: bool) -> bool:
    wanted = normalize_python(name) if python else name.lower()
    return any(fnmatch.fnmatchcase(wanted, normalize_python(p) if python else p.lower())
               for p in patterns)


def module_matches(module: str, patterns: tuple[str, ...], *, separator: str) -> bool:
    """``module`` is a pattern's module or below it; ``name*`` matches top-level names."""
    for pattern in patterns:
        if pattern.endswith("*"):
            top = _js_package(module) if separator == "/" else module.split(".")[0]
            if fnmatch.fnmatchcase(top, pattern):
                return True
        elif module == pattern or module.startswith(pattern + separator):
            return True
    return False


def _js_package(specifier: str) -> str:
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _position(entry: dict[str, Any], key: str, where: str) -> int | None:
    value = entry.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        raise ValueError(f"{where}: {key!r} must be a position (0, 1, ...)")
    return value


def _call(raw: Any, where: str) -> ModelCall:
    if not isinstance(raw, dict) or not isinstance(raw.get("call"), str):
        raise ValueError(f"{where}: each call needs a 'call' (module.function)")
    unknown = sorted(set(raw) - _CALL_KEYS)
    if unknown:
        raise ValueError(f"{where}: unexpected key(s) {unknown}")
    return ModelCall(raw["call"], _strings(raw, "model_keywords", where),
                     _position(raw, "model_position", where), _strings(raw, "task_keywords", where),
                     _position(raw, "task_position", where), bool(raw.get("default_checkpoint", False)))


def _patterns(entry: dict[str, Any], where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for text in _strings(entry, "model_patterns", where):
        try:
            compiled.append(re.compile(text, re.IGNORECASE))
        except re.error as exc:
            raise ValueError(f"{where}: model pattern {text!r} is not a regular expression: {exc}") from exc
    return tuple(compiled)


def _vendor(key: str, raw: Any, source: str) -> Vendor:
    where = f"{source}: vendor {key!r}"
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: expected a mapping")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ValueError(f"{where}: unexpected key(s) {unknown}")
    for text_key in ("label", "layer_name", "kind"):
        if not isinstance(raw.get(text_key), str) or not raw[text_key].strip():
            raise ValueError(f"{where}: {text_key!r} must be a non-empty string")
    if raw["kind"] not in KINDS:
        raise ValueError(f"{where}: kind {raw['kind']!r} is not one of {list(KINDS)}")
    lists = {name: _strings(raw, name, where) for name in _LISTS if name != "model_patterns"}
    calls = raw.get("python_calls", [])
    if not isinstance(calls, list):
        raise ValueError(f"{where}: 'python_calls' must be a list")
    return Vendor(key, raw["label"].strip(), raw["layer_name"].strip(), raw["kind"],
                  model_patterns=_patterns(raw, where),
                  python_calls=tuple(_call(call, f"{where} call #{i + 1}") for i, call in enumerate(calls)),
                  local_folders=frozenset(_strings(raw, "local_folders", where)), **lists)


def load_catalog(path: Path = DATA_PATH) -> Catalog:
    """Read and check a vendor file; a mistake raises ``ValueError`` naming the vendor and key."""
    source = str(path)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict) or not isinstance(document.get("vendors"), dict):
        raise ValueError(f"{source}: expected a mapping with 'vendors'")
    reasons = document.get("kinds")
    if not isinstance(reasons, dict) or set(reasons) != set(KINDS):
        raise ValueError(f"{source}: 'kinds' must give a reason text for each of {list(KINDS)}")
    vendors = tuple(_vendor(str(key), raw, source) for key, raw in document["vendors"].items())
    return Catalog(vendors, {str(k): str(v) for k, v in reasons.items()})


@functools.cache
def catalog() -> Catalog:
    return load_catalog(DATA_PATH)

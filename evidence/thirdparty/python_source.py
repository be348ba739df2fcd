"""Python files: imports of vendor SDKs, the model names they are given, and hub model loads.

Files are parsed with :mod:`ast`, so names are resolved through the file's imports
(``from transformers import pipeline as make`` then ``make("summarization")`` is a pipeline
with its default checkpoint) and nothing in a comment or docstring counts as an import. Files
that do not parse (Python 2, templates) and notebooks are read line by line for imports and
model names only.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator

from evidence.thirdparty.findings import Mention, MentionKind, clip
from evidence.thirdparty.vendors import Catalog, ModelCall, Vendor, module_matches

IMPORT_LINE = re.compile(
    r"^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)\s*(?:#.*)?$")
FROM_LINE = re.compile(r"^\s*from\s+([\w.]+)\s+import\s+\(?\s*([\w\s,]+)")
STRING = re.compile(r"""(["'])([^"'\s\\]{1,100})\1""")
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*(/[A-Za-z0-9][\w.-]*)?$")
WEIGHT_FILES = (".bin", ".pt", ".pth", ".safetensors", ".onnx", ".ckpt", ".gguf")


def python_mentions(path: str, text: str, catalog: Catalog) -> list[Mention]:
    if path.endswith(".ipynb"):
        return _line_mentions(path, [_notebook_line(line) for line in text.splitlines()], catalog)
    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError):
        return _line_mentions(path, text.splitlines(), catalog)
    return _FileScan(path, text.splitlines(), catalog).run(tree)


class _FileScan:
    def __init__(self, path: str, lines: list[str], catalog: Catalog) -> None:
        self.path, self.lines, self.catalog = path, lines, catalog
        self.aliases: dict[str, str] = {}  # a local name -> the qualified name it stands for
        self.imported: set[str] = set()
        self.found: list[Mention] = []

    def run(self, tree: ast.AST) -> list[Mention]:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                self._import(node)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                self._call(node)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and self.imported:
                self._literal(node.value, node.lineno)
        return self.found

    def _mention(self, line: int, kind: MentionKind, vendor: Vendor, model: str | None = None) -> None:
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        self.found.append(Mention(self.path, line, kind, vendor.key, clip(text), model))

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                self.aliases[local] = alias.name if alias.asname else local
        elif node.module and not node.level:
            modules = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            for alias in node.names:
                self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        else:
            return
        for vendor in self.catalog.vendors:
            if any(module_matches(m, vendor.python_modules, separator=".") for m in modules):
                self.imported.add(vendor.key)
                self._mention(node.lineno, MentionKind.IMPORT, vendor)

    def _literal(self, value: str, line: int) -> None:
        for key in self.imported:
            model = self.catalog.by_key(key).model_of(value)
            if model:
                self._mention(line, MentionKind.MODEL, self.catalog.by_key(key), model)

    def _call(self, node: ast.Call) -> None:
        name = self._qualified(node.func)
        if name is None:
            return
        for vendor in self.catalog.vendors:
            for call in vendor.python_calls:
                if call.call == name:
                    model = _loaded_model(node, call, vendor)
                    if model:
                        self._mention(node.lineno, MentionKind.CALL, vendor, model)

    def _qualified(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._qualified(node.value)
            return f"{base}.{node.attr}" if base else None
        return None


_ABSENT = object()


def _argument(node: ast.Call, keywords: tuple[str, ...], position: int | None) -> object:
    """The argument node, :data:`_ABSENT`, or None when ``*args``/``**kwargs`` may hold it."""
    for keyword in node.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if position is not None and len(node.args) > position:
        before = node.args[: position + 1]
        return None if any(isinstance(arg, ast.Starred) for arg in before) else node.args[position]
    unknown = any(k.arg is None for k in node.keywords) or any(isinstance(a, ast.Starred) for a in node.args)
    return None if unknown else _ABSENT


def _loaded_model(node: ast.Call, call: ModelCall, vendor: Vendor) -> str | None:
    """The hub model a call loads, the default checkpoint's words, or None if it cannot be told."""
    model = _argument(node, call.model_keywords, call.model_position)
    if model is _ABSENT:
        if not call.default_checkpoint:
            return None
        task = _argument(node, call.task_keywords, call.task_position)
        named = task.value if isinstance(task, ast.Constant) and isinstance(task.value, str) else None
        return f"default checkpoint for {named!r}" if named else "default checkpoint"
    if isinstance(model, ast.Constant) and isinstance(model.value, str):
        return model.value if is_hub_id(model.value, vendor.local_folders) else None
    return None


def is_hub_id(name: str, local_folders: frozenset[str]) -> bool:
    """``org/name`` or ``name`` as the hub spells it, not a path to local weights."""
    if not HUB_ID.match(name) or name.lower().endswith(WEIGHT_FILES):
        return False
    parts = name.split("/")
    return not (len(parts) == 2 and parts[0].lower() in local_folders)


# --- line by line: unparsable files and notebooks -------------------------------------------


def _notebook_line(raw: str) -> str:
    """A notebook's JSON line as the code it holds (``"import openai\\n",`` -> ``import openai``)."""
    text = raw.strip().rstrip(",")
    if text.startswith('"') and text.endswith('"'):
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            return raw
        return decoded.rstrip("\n") if isinstance(decoded, str) else raw
    return raw


def _imported_modules(line: str) -> Iterator[str]:
    match = IMPORT_LINE.match(line)
    if match:
        yield from (part.split()[0] for part in match.group(1).split(","))
        return
    match = FROM_LINE.match(line)
    if match:
        module = match.group(1)
        yield module
        yield from (f"{module}.{name.split()[0]}" for name in match.group(2).split(",") if name.strip())


def _line_mentions(path: str, lines: list[str], catalog: Catalog) -> list[Mention]:
    found: list[Mention] = []
    imported: list[Vendor] = []
    for number, line in enumerate(lines, start=1):
        modules = list(_imported_modules(line))
        for vendor in catalog.vendors if modules else ():
            if any(module_matches(m, vendor.python_modules, separator=".") for m in modules):
                imported.append(vendor)
                found.append(Mention(path, number, MentionKind.IMPORT, vendor.key, clip(line)))
    for number, line in enumerate(lines, start=1):
        for match in STRING.finditer(line):
            for vendor in imported:
                model = vendor.model_of(match.group(2))
                if model:
                    found.append(Mention(path, number, MentionKind.MODEL, vendor.key, clip(line), model))
    return found

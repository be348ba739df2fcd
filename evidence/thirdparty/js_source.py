"""JavaScript and TypeScript files: imports and requires of vendor SDKs and the model names used."""

from __future__ import annotations

import re
from collections.abc import Iterator

from evidence.thirdparty.findings import Mention, MentionKind, clip
from evidence.thirdparty.vendors import Catalog, Vendor, module_matches

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
SPECIFIERS = (
    re.compile(r"""\bfrom\s*(["'])([^"'\s]+)\1"""),  # import x from "m", also a multi-line import's end
    re.compile(r"""^\s*import\s*(["'])([^"'\s]+)\1"""),  # import "m"
    re.compile(r"""\b(?:require|import)\s*\(\s*(["'])([^"'\s]+)\1\s*\)"""),  # require("m"), import("m")
)
STRING = re.compile(r"""(["'`])([^"'`\s\\]{1,100})\1""")


def is_js(path: str) -> bool:
    return path.endswith(JS_SUFFIXES) and not path.endswith((".min.js", ".d.ts"))


def _specifiers(line: str) -> Iterator[str]:
    if line.lstrip().startswith(("//", "*", "/*")):
        return
    for pattern in SPECIFIERS:
        for match in pattern.finditer(line):
            yield match.group(2)


def js_mentions(path: str, text: str, catalog: Catalog) -> list[Mention]:
    lines = text.splitlines()
    found: list[Mention] = []
    imported: dict[str, Vendor] = {}
    for number, line in enumerate(lines, start=1):
        specifiers = list(_specifiers(line))
        for vendor in catalog.vendors if specifiers else ():
            if any(module_matches(s, vendor.js_modules, separator="/") for s in specifiers):
                imported[vendor.key] = vendor
                found.append(Mention(path, number, MentionKind.IMPORT, vendor.key, clip(line)))
    for number, line in enumerate(lines, start=1):
        for match in STRING.finditer(line):
            for vendor in imported.values():
                model = vendor.model_of(match.group(2))
                if model:
                    found.append(Mention(path, number, MentionKind.MODEL, vendor.key, clip(line), model))
    return found

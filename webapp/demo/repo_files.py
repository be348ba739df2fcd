"""File contents of the demo repository and how they evolve commit by commit.

Source files are a fixed header plus a list of blocks (functions, doc sections,
config keys); a commit adds, rewrites or drops blocks, which gives real diffs.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from webapp.demo import snippets


@dataclass
class SourceFile:
    header: str
    blocks: list[str] = field(default_factory=list)
    literal: bool = False
    separator: str = "\n\n"

    def render(self) -> str:
        if self.literal or not self.blocks:
            return self.header
        body = self.separator.join(b.strip("\n") for b in self.blocks)
        return self.header.rstrip("\n") + self.separator + body + "\n"

    def copy(self) -> SourceFile:
        return SourceFile(self.header, list(self.blocks), self.literal, self.separator)


BlockMaker = Callable[[random.Random, str, "str | None"], str]


def _maker_for(path: str) -> BlockMaker:
    if path.endswith(".py"):
        return snippets.python_block
    if path.endswith(".md"):
        return snippets.markdown_block
    if path.endswith((".yaml", ".yml")):
        return snippets.yaml_block
    return snippets.text_block


def new_source(path: str) -> SourceFile:
    separator = "\n\n\n" if path.endswith(".py") else "\n" if path.endswith((".yaml", ".yml")) else "\n\n"
    return SourceFile(snippets.header_for(path), separator=separator)


class Tree:
    """The files of one branch, as mutable state while the history is written."""

    def __init__(self, files: dict[str, SourceFile] | None = None) -> None:
        self.files: dict[str, SourceFile] = files or {}

    def fork(self) -> Tree:
        return Tree({path: f.copy() for path, f in self.files.items()})

    def exists(self, path: str) -> bool:
        return path in self.files

    def text(self, path: str) -> str:
        return self.files[path].render()

    def set_literal(self, path: str, text: str) -> str:
        self.files[path] = SourceFile(text, literal=True)
        return text

    def evolve(self, path: str, rng: random.Random) -> str:
        source = self.files.get(path)
        if source is None or source.literal:
            source = new_source(path)
            self.files[path] = source
            for _ in range(rng.randint(1, 3)):
                source.blocks.append(_fresh_block(source, path, rng))
            return source.render()
        _mutate(source, path, rng)
        return source.render()

    def adopt(self, other: Tree, path: str) -> str:
        self.files[path] = other.files[path].copy()
        return self.text(path)


def _mutate(source: SourceFile, path: str, rng: random.Random) -> None:
    make = _maker_for(path)
    roll = rng.random()
    if roll < 0.5 or len(source.blocks) < 2:
        source.blocks.insert(rng.randint(0, len(source.blocks)), _fresh_block(source, path, rng))
    elif roll < 0.88 or len(source.blocks) < 5:
        index = rng.randrange(len(source.blocks))
        source.blocks[index] = make(rng, path, source.blocks[index])
    else:
        del source.blocks[rng.randrange(len(source.blocks))]


def _first_line(block: str) -> str:
    return block.strip("\n").split("\n", 1)[0]


def _fresh_block(source: SourceFile, path: str, rng: random.Random) -> str:
    """A new block whose first line (def, heading, key) is not already in the file."""
    taken = {_first_line(b).split("(")[0].split(":")[0] for b in source.blocks}
    block = _maker_for(path)(rng, path, None)
    for _ in range(8):
        if _first_line(block).split("(")[0].split(":")[0] not in taken:
            break
        block = _maker_for(path)(rng, path, None)
    return block

"""Interview guides: the questions to ask per prong of the four-part test, tailored by sub-sector.

The questions live in ``narratives/data/interview_guides.yaml`` (data, not code); this module
loads them once, checks their shape and builds the guide for one project's sub-sector.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from narratives.models import Prong

DATA_PATH = Path(__file__).with_name("data") / "interview_guides.yaml"
_PRONG_KEYS = ("label", "citation", "summary", "questions")
_QUESTION_KEYS = ("key", "text", "hint")
MAX_KEY_LENGTH = 80  # InterviewAnswer.question_key


@dataclass(frozen=True)
class Question:
    key: str
    prong: Prong
    text: str
    hint: str = ""
    sub_sector: str | None = None  # None for the questions every project is asked


@dataclass(frozen=True)
class ProngInfo:
    prong: Prong
    label: str
    citation: str
    summary: str


@dataclass(frozen=True)
class GuideSection:
    info: ProngInfo
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Guide:
    """The questions for one sub-sector, grouped by prong in the order of the four-part test."""

    sub_sector: str
    sections: tuple[GuideSection, ...]

    def questions(self) -> list[Question]:
        return [q for section in self.sections for q in section.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions() if q.key == key), None)


@dataclass(frozen=True)
class GuideBook:
    prongs: dict[Prong, ProngInfo]
    common: dict[Prong, tuple[Question, ...]]
    tailored: dict[str, dict[Prong, tuple[Question, ...]]]


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{where}: expected a non-empty mapping")
    return value


def _text(entry: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = entry.get(key, "" if not required else None)
    if value is None or not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{where}: key {key!r} must be a non-empty string")
    return value.strip()


def _prong(name: Any, where: str) -> Prong:
    try:
        return Prong(name)
    except ValueError:
        known = ", ".join(p.value for p in Prong)
        raise ValueError(f"{where}: {name!r} is not a prong; prongs: {known}") from None


def _questions(raw: Any, prong: Prong, sub_sector: str | None, where: str) -> tuple[Question, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{where}: expected a non-empty list of questions")
    questions = []
    for index, item in enumerate(raw):
        spot = f"{where} #{index + 1}"
        entry = _mapping(item, spot)
        unknown = sorted(set(entry) - set(_QUESTION_KEYS))
        if unknown:
            raise ValueError(f"{spot}: unexpected key(s) {', '.join(map(repr, unknown))}")
        key = _text(entry, "key", spot)
        if len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"{spot}: key {key!r} is longer than {MAX_KEY_LENGTH} characters")
        questions.append(Question(key, prong, _text(entry, "text", spot),
                                  _text(entry, "hint", spot, required=False), sub_sector))
    return tuple(questions)


def _prong_section(name: str, raw: Any, source: str) -> tuple[ProngInfo, tuple[Question, ...]]:
    where = f"{source}: prong {name!r}"
    prong = _prong(name, where)
    entry = _mapping(raw, where)
    unknown = sorted(set(entry) - set(_PRONG_KEYS))
    if unknown:
        raise ValueError(f"{where}: unexpected key(s) {', '.join(map(repr, unknown))}")
    info = ProngInfo(prong, *(_text(entry, key, where) for key in ("label", "citation", "summary")))
    return info, _questions(entry.get("questions"), prong, None, f"{where} questions")


def _tailored(code: str, raw: Any, source: str) -> dict[Prong, tuple[Question, ...]]:
    where = f"{source}: sub-sector {code!r}"
    return {_prong(name, where): _questions(items, _prong(name, where), code, f"{where} {name}")
            for name, items in _mapping(raw, where).items()}


def _check_unique(book: GuideBook, source: str) -> None:
    keys = [q.key for qs in book.common.values() for q in qs]
    keys += [q.key for per_prong in book.tailored.values() for qs in per_prong.values() for q in qs]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"{source}: duplicate question key(s) {duplicates}")


def load_guide_book(path: Path = DATA_PATH) -> GuideBook:
    """Read and validate a guide file; raise ``ValueError`` naming the bad entry and key."""
    source = str(path)
    document = _mapping(yaml.safe_load(path.read_text(encoding="utf-8")), source)
    unknown = sorted(set(document) - {"prongs", "sub_sectors"})
    if unknown:
        raise ValueError(f"{source}: unexpected key(s) {', '.join(map(repr, unknown))}")
    sections = [_prong_section(str(name), raw, source)
                for name, raw in _mapping(document.get("prongs"), f"{source}: 'prongs'").items()]
    missing = [p.value for p in Prong if p not in {info.prong for info, _ in sections}]
    if missing:
        raise ValueError(f"{source}: 'prongs' lacks {', '.join(missing)}")
    tailored = {str(code): _tailored(str(code), raw, source) for code, raw in
                _mapping(document.get("sub_sectors"), f"{source}: 'sub_sectors'").items()}
    book = GuideBook({info.prong: info for info, _ in sections},
                     {info.prong: questions for info, questions in sections}, tailored)
    _check_unique(book, source)
    return book


@functools.cache
def guide_book() -> GuideBook:
    return load_guide_book(DATA_PATH)


def guide_for(sub_sector: str) -> Guide:
    """The common questions of each prong followed by the sub-sector's own (none for an unknown code)."""
    book = guide_book()
    extra = book.tailored.get(sub_sector, {})
    sections = tuple(GuideSection(book.prongs[prong], book.common[prong] + extra.get(prong, ()))
                     for prong in Prong)
    return Guide(sub_sector, sections)


def all_questions() -> list[Question]:
    """Every question of the file, common and tailored: what a stored answer's key may refer to."""
    book = guide_book()
    tailored = [q for per_prong in book.tailored.values() for qs in per_prong.values() for q in qs]
    return [q for qs in book.common.values() for q in qs] + tailored


def prong_info(prong: Prong) -> ProngInfo:
    return guide_book().prongs[prong]

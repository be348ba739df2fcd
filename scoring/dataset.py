"""Labelled GL lines for training and evaluation: a labelled canonical CSV, the generated corpus, or the
lines reviewers decided in the database."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.corpus import STARTER_CORPUS, Line, generate
from scoring.gl_import import GLImportError, GLLine, RowProblem, read_gl
from scoring.models import GLAccount, GLExpense, GLImport
from studies.models import Organization, Study

DEFAULT_INDUSTRY = "AI/ML software"


@dataclass(frozen=True)
class LabelledLines:
    """GL lines and their labels (1 qualified, 0 not), in the same order."""

    lines: list[GLLine]
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.lines)

    def __add__(self, other: LabelledLines) -> LabelledLines:
        return LabelledLines(self.lines + other.lines, np.concatenate([self.labels, other.labels]))

    def digest(self) -> str:
        """SHA-256 of the fields the models read and the labels: the model card's data digest."""
        digest = hashlib.sha256()
        for line, label in zip(self.lines, self.labels.tolist(), strict=True):
            fields = (line.company, line.industry, line.account_number, line.account_name, line.account_type,
                      line.vendor, line.description, f"{line.amount:.2f}", str(label))
            digest.update("\x1f".join(fields).encode() + b"\x1e")
        return digest.hexdigest()


def read_labelled(path: str | Path) -> LabelledLines:
    """A canonical GL CSV (``.csv.gz`` too) with a ``label`` column of 0 or 1."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    gl = read_gl(data, name=path.name)
    problems, labels = [], []
    for line in gl.lines:
        value = line.extra.get("label", "").strip()
        if value not in ("0", "1"):
            problems.append(RowProblem(line.row_number, "label", f"{value!r} is not 0 or 1"))
        labels.append(value == "1")
    if problems:
        raise GLImportError(path.name, problems[:200], len(problems))
    return LabelledLines(gl.lines, np.array(labels, dtype=np.int8))


def starter_corpus() -> LabelledLines:
    """The shipped training corpus (scoring/data/starter_corpus.csv.gz)."""
    return read_labelled(STARTER_CORPUS)


def generated(split: str, seed: int | None = None, companies: int | None = None) -> LabelledLines:
    """A generated corpus split (``heldout``: companies and vendors the shipped models never saw)."""
    kwargs = {} if seed is None else {"seed": seed}
    return from_corpus(generate(split, companies=companies, **kwargs))


def from_corpus(lines: Iterable[Line]) -> LabelledLines:
    converted, labels = [], []
    for number, line in enumerate(lines, start=2):
        converted.append(GLLine(number, line.company, line.industry, line.date, line.account_number,
                                line.account_name, line.account_type, line.vendor, line.description,
                                Decimal(f"{line.amount:.2f}")))
        labels.append(line.label)
    return LabelledLines(converted, np.array(labels, dtype=np.int8))


def reviewed(session: Session) -> LabelledLines:
    """Every line a person decided (qualified set and a decider recorded), as GL lines of its study's client.

    The company is the study (one GL per client and year); the industry is the import's (see
    :func:`import_industry`).
    """
    rows = session.execute(
        select(GLExpense, GLAccount, GLImport, Organization.name, Study.id)
        .join(GLAccount, GLExpense.account_id == GLAccount.id)
        .join(GLImport, GLExpense.import_id == GLImport.id)
        .join(Study, GLImport.study_id == Study.id)
        .join(Organization, Study.organization_id == Organization.id)
        .where(GLExpense.qualified.is_not(None), GLExpense.decided_by_id.is_not(None))
        .order_by(GLExpense.id))
    lines, labels = [], []
    for expense, account, gl_import, organization, study_id in rows:
        lines.append(GLLine(expense.row_number, f"{organization} (study {study_id})",
                            import_industry(gl_import), expense.posted_on,
                            account.number, account.name, account.account_type, expense.vendor,
                            expense.description, expense.amount))
        labels.append(bool(expense.qualified))
    return LabelledLines(lines, np.array(labels, dtype=np.int8))


def import_industry(gl_import: GLImport) -> str:
    """The industry the models read for a stored import: the one it was imported with, else AI/ML software
    (Fourpart's clients are AI companies)."""
    return gl_import.industry.strip() or DEFAULT_INDUSTRY

"""Errors that name the file, the row and the column, and collect every bad row before raising."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scoring.gl_import.mapping import MappingProposal

MAX_LISTED_PROBLEMS = 200


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or, with ``row_number`` None, the whole file) cannot be imported."""

    row_number: int | None
    column: str | None
    reason: str

    def describe(self, name: str) -> str:
        where = name
        if self.row_number is not None:
            where += f" row {self.row_number}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.reason}"


class GLImportError(ValueError):
    """A file that cannot be imported; ``problems`` lists the first rows at fault, ``problem_count`` all."""

    def __init__(self, name: str, problems: list[RowProblem], problem_count: int | None = None) -> None:
        self.name = name
        self.problems = problems
        self.problem_count = problem_count if problem_count is not None else len(problems)
        super().__init__(self._message())

    @classmethod
    def whole_file(cls, name: str, reason: str) -> GLImportError:
        return cls(name, [RowProblem(None, None, reason)])

    def _message(self) -> str:
        lines = [problem.describe(self.name) for problem in self.problems]
        hidden = self.problem_count - len(self.problems)
        if hidden > 0:
            lines.append(f"{self.name}: ... and {hidden:,} more problems ({self.problem_count:,} in all)")
        if self.problem_count > 1:
            lines.insert(0, f"{self.name}: {self.problem_count:,} problems; nothing was imported")
        return "\n".join(lines)


class NeedsMapping(GLImportError):
    """The layout is not one Fourpart knows: the columns must be mapped by a person first.

    Carries the source header, a proposed mapping and a preview of the first rows read with it.
    """

    def __init__(self, name: str, proposal: MappingProposal) -> None:
        self.proposal = proposal
        columns = ", ".join(repr(column) for column in proposal.header if column) or "none"
        reason = f"columns not recognised as a known GL layout ({columns}); map them to the GL fields first"
        super().__init__(name, [RowProblem(proposal.mapping.header_row, None, reason)])


class ProblemLog:
    """Collects every problem while a file is read; the error lists the first ``limit`` in row order."""

    def __init__(self, limit: int = MAX_LISTED_PROBLEMS) -> None:
        self.limit = limit
        self.problems: list[RowProblem] = []

    def add(self, row_number: int | None, column: str | None, reason: str) -> None:
        self.problems.append(RowProblem(row_number, column, reason))

    def __len__(self) -> int:
        return len(self.problems)

    def raise_if_any(self, name: str) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=_order)
            raise GLImportError(name, ordered[: self.limit], len(ordered))


def _order(problem: RowProblem) -> tuple[int, str]:
    return (problem.row_number or 0, problem.column or "")

"""Which project a file belongs to, by the paths of the commits mapped to each project.

A file belongs to the project whose mapped commits touched it most often (several on a tie:
a commit mapped to two projects counts for both). A file no mapped commit touched belongs to
the project whose commits touched its nearest folder most (the repository root excepted:
everything is under the root). Dependency files do not choose a project themselves: a
declaration supports the projects that use the vendor in code at or below the dependency
file's folder. Without any mapping, findings stay unmapped.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.models import CommitProject, GitCommit
from evidence.thirdparty.findings import Finding, Mention, MentionKind
from evidence.thirdparty.vendors import Catalog


class ProjectPaths:
    """How often each project's mapped commits touched each file of one repository."""

    def __init__(self, touched: dict[str, Counter[int]]) -> None:
        self.touched = touched
        self.folders: dict[str, Counter[int]] = defaultdict(Counter)
        for path, projects in touched.items():
            for folder in _folders(path):
                self.folders[folder].update(projects)

    @classmethod
    def of(cls, touched: dict[str, set[int]]) -> ProjectPaths:
        """Each file touched once by each project named (for tests and callers without counts)."""
        return cls({path: Counter(projects) for path, projects in touched.items()})

    @classmethod
    def of_artifact(cls, session: Session, artifact_id: int) -> ProjectPaths:
        query = (select(CommitProject.project_id, GitCommit.files)
                 .join(GitCommit, GitCommit.id == CommitProject.commit_id)
                 .where(GitCommit.artifact_id == artifact_id))
        touched: dict[str, Counter[int]] = defaultdict(Counter)
        for project_id, files in session.execute(query):
            for change in files or []:
                if isinstance(change, list | tuple) and change and isinstance(change[0], str):
                    touched[change[0]][project_id] += 1
        return cls(dict(touched))

    def projects_of(self, path: str) -> set[int]:
        counts = self.touched.get(path) or next(
            (self.folders[folder] for folder in _folders(path) if folder in self.folders), Counter())
        most = max(counts.values(), default=0)
        return {project for project, count in counts.items() if count == most and most > 0}


def _folders(path: str) -> list[str]:
    """``a/b/c.py`` -> ``["a/b", "a"]``: nearest first, without the root."""
    parents = PurePosixPath(path).parents
    return [str(p) for p in parents if str(p) not in (".", "")]


def _is_below(path: str, folder: str) -> bool:
    return folder in ("", ".") or path.startswith(folder + "/")


def group_findings(artifact_id: int | None, mentions: Iterable[Mention], paths: ProjectPaths,
                   vendors: Catalog) -> list[Finding]:
    """Findings per vendor, model and project (None: no project could be told)."""
    groups: dict[tuple[str, str | None, int | None], list[Mention]] = defaultdict(list)
    declarations: list[Mention] = []
    for mention in mentions:
        if mention.kind is MentionKind.DEPENDENCY:
            declarations.append(mention)
            continue
        projects: set[int | None] = set(paths.projects_of(mention.path)) or {None}
        for project in projects:
            groups[(mention.vendor, mention.model, project)].append(mention)
    for declaration in declarations:
        folder = str(PurePosixPath(declaration.path).parent)
        users: set[int | None] = {project for (vendor, _, project), found in groups.items()
                 if vendor == declaration.vendor and project is not None
                 and any(_is_below(m.path, folder) for m in found)}
        for project in users or {None}:
            groups[(declaration.vendor, None, project)].append(declaration)
    return [Finding(artifact_id, vendor, vendors.by_key(vendor).label, model, project, tuple(found))
            for (vendor, model, project), found in sorted(groups.items(), key=_order)]


def _order(item: tuple[tuple[str, str | None, int | None], list[Mention]]) -> tuple[str, str, int]:
    (vendor, model, project), _ = item
    return (vendor, model or "", project if project is not None else -1)

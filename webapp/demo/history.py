"""Plans the demo repository's history: who committed what, where and when."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from webapp.demo import repo_static
from webapp.demo.adrs import decision_commits
from webapp.demo.clock import (
    Zone,
    git_tz,
    pick_day,
    unix_time,
    utc_offset_hours,
    working_hour,
)
from webapp.demo.company import ENGINEERS, TENSORLANE_ENGINEER, Person
from webapp.demo.history_phases import Phase, all_phases, fill_message
from webapp.demo.history_plan import (
    GITHUB,
    FileEdit,
    HistoryPlan,
    PlannedCommit,
    PlannedTag,
    Signature,
)
from webapp.demo.history_stories import (
    BRANCH_FILES,
    DEPENDENCY_CHANGES,
    MERGES,
    TAGS,
    stories,
)

_BUMPS = 10
_PR = "{pr}"
_SQUASHED_SHARE = 0.3
_FOLLOW_UPS = (" (follow-up)", ": review fixes", ", part 2")
_FOLLOW_UP_SHARE = 0.3


def _zone(person: Person) -> Zone:
    return "eastern" if person.state == "ON" else "pacific"


def signatures() -> dict[str, Signature]:
    sigs = {p.key: Signature(p.full_name, p.email, _zone(p)) for p in ENGINEERS}
    sigs["marcus"] = Signature(TENSORLANE_ENGINEER.full_name, TENSORLANE_ENGINEER.email, "central")
    return sigs


def _author_weights(project: str) -> list[tuple[str, float]]:
    if project == "common":
        return [
            (p.key, 4.0 if p.officer or p.first_line_supervisor else 10.0)
            for p in ENGINEERS
            if p.rd_share or p.key == "jordan"
        ]
    weights = [
        (p.key, p.shares.get(project, 0) * (0.3 if p.officer or p.first_line_supervisor else 1.0))
        for p in ENGINEERS
    ]
    if project == "forge":
        weights.append(("marcus", 65.0))
    return [(key, w) for key, w in weights if w > 0]


def _stamp(rng: random.Random, day: date, sig: Signature, hour: int | None = None) -> tuple[int, str]:
    offset = utc_offset_hours(sig.zone, day)
    ts = unix_time(
        day, working_hour(rng) if hour is None else hour, rng.randrange(60), rng.randrange(60), offset
    )
    return ts, git_tz(offset)


def _commit(
    rng: random.Random,
    day: date,
    sig: Signature,
    branch: str,
    message: str,
    edits: tuple[FileEdit, ...],
    hour: int | None = None,
) -> PlannedCommit:
    ts, tz = _stamp(rng, day, sig, hour)
    return PlannedCommit(ts, tz, branch, sig, message, edits)


def _story_commits(rng: random.Random, sigs: dict[str, Signature]) -> list[PlannedCommit]:
    planned = []
    for index, story in enumerate(stories()):
        hour = 9 if index == 0 else None
        planned.append(
            _commit(rng, story.day, sigs[story.author], story.branch, story.message, story.edits, hour)
        )
    return planned


def _merge_commits(rng: random.Random, sigs: dict[str, Signature]) -> list[PlannedCommit]:
    planned = []
    for merge in MERGES:
        sig = sigs[merge.author]
        ts, tz = _stamp(rng, merge.day, sig)
        message = f"Merge pull request #{_PR} from lexbridge/{merge.branch}\n\n{merge.title}"
        planned.append(PlannedCommit(ts, tz, "main", sig, message, (), merge.branch, GITHUB))
    return planned


def _decision_commits(rng: random.Random, sigs: dict[str, Signature]) -> list[PlannedCommit]:
    return [
        _commit(
            rng,
            dc.day,
            sigs[dc.author_key],
            "main",
            dc.message,
            tuple(FileEdit(path, "literal", text) for path, text in dc.files),
        )
        for dc in decision_commits()
    ]


def _dependency_commits(rng: random.Random, sigs: dict[str, Signature]) -> list[PlannedCommit]:
    engineers = [key for key, _ in _author_weights("common")]
    changes = list(DEPENDENCY_CHANGES)
    for _ in range(_BUMPS):
        changes.append(
            (pick_day(rng, date(2025, 2, 1), date(2025, 12, 12), 0.0), rng.choice(engineers), "bump")
        )
    changes.sort(key=lambda change: change[0])
    deps = dict(repo_static.INITIAL_DEPENDENCIES)
    planned = []
    for day, author, action in changes:
        message = _apply_dependency_change(deps, action, rng)
        edits = (
            FileEdit("requirements.txt", "literal", repo_static.requirements_txt(deps)),
            FileEdit("pyproject.toml", "literal", repo_static.pyproject_toml(deps)),
        )
        planned.append(_commit(rng, day, sigs[author], "main", message, edits))
    return planned


def _apply_dependency_change(deps: dict[str, str], action: str, rng: random.Random) -> str:
    if action == "init":
        return "chore: pin dependencies (requirements.txt + pyproject)"
    if action.startswith("add:"):
        name = action[4:]
        deps[name] = repo_static.LATER_DEPENDENCIES[name]
        return f"chore: add {name} {deps[name]}"
    name = rng.choice(sorted(deps))
    deps[name] = repo_static.bump_version(deps[name], rng)
    return f"chore: bump {name} to {deps[name]}"


def _blocked(path: str, ts: int, merge_times: dict[str, int]) -> bool:
    return any(path in files and ts < merge_times[branch] for branch, files in BRANCH_FILES.items())


def _pick_files(rng: random.Random, phase: Phase, hint: str | None) -> list[str]:
    chosen = [hint] if hint else [rng.choice(phase.files)]
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        extra = rng.choice(phase.files)
        if extra not in chosen:
            chosen.append(extra)
    return chosen


def _fresh_message(rng: random.Random, phase: Phase, used: set[str]) -> tuple[str, str | None]:
    """A filled template, preferring messages not used yet; repeats read as follow-ups."""
    for _ in range(6):
        message, hint = fill_message(rng.choice(phase.messages), rng, phase.project)
        if message not in used:
            break
    else:
        if rng.random() < _FOLLOW_UP_SHARE:
            message = f"{message}{rng.choice(_FOLLOW_UPS)}"
    used.add(message)
    return message, hint


def _filler(
    rng: random.Random,
    phase: Phase,
    sigs: dict[str, Signature],
    merge_times: dict[str, int],
    used: set[str],
) -> PlannedCommit:
    keys, weights = zip(*_author_weights(phase.project), strict=True)
    while True:
        message, hint = _fresh_message(rng, phase, used)
        sig = sigs[rng.choices(keys, weights)[0]]
        day = pick_day(rng, phase.start, phase.end)
        ts, tz = _stamp(rng, day, sig)
        files = _pick_files(rng, phase, hint)
        if not any(_blocked(path, ts, merge_times) for path in files):
            return PlannedCommit(ts, tz, "main", sig, message, tuple(FileEdit(p) for p in files))


def _tags(sigs: dict[str, Signature]) -> tuple[PlannedTag, ...]:
    return tuple(PlannedTag(name, day, sigs["rohan"], message) for name, day, message in TAGS)


def plan_history(rng: random.Random) -> HistoryPlan:
    sigs = signatures()
    merges = _merge_commits(rng, sigs)
    merge_times = {c.merge_of: c.timestamp for c in merges if c.merge_of}
    commits = (
        _story_commits(rng, sigs) + merges + _decision_commits(rng, sigs) + _dependency_commits(rng, sigs)
    )
    used: set[str] = set()
    for phase in all_phases():
        commits.extend(_filler(rng, phase, sigs, merge_times, used) for _ in range(phase.count))
    commits.sort(key=lambda c: c.timestamp)
    return HistoryPlan(_number_pull_requests(commits, rng), _tags(sigs), tuple(merge_times))


def _number_pull_requests(commits: list[PlannedCommit], rng: random.Random) -> tuple[PlannedCommit, ...]:
    """Give merges and some single-line main commits (squash merges) rising PR numbers."""
    numbered = []
    counter = 0
    for commit in commits:
        message = commit.message
        if commit.merge_of:
            counter += rng.randint(1, 3)
            message = message.replace(_PR, str(counter))
        elif commit.branch == "main" and "\n" not in message and rng.random() < _SQUASHED_SHARE:
            counter += rng.randint(1, 3)
            message = f"{message} (#{counter})"
        numbered.append(replace(commit, message=message))
    return tuple(numbered)

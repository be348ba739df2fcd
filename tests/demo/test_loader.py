"""The demo study: what ``fourpart demo load`` puts in the database, on both back ends."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.blobstore import LocalBlobStore
from core.users import authenticate
from evidence.models import Artifact, ArtifactKind, CommitProject, GitCommit, Run
from studies.models import (
    BusinessComponent,
    Contractor,
    Employee,
    Experiment,
    Layer,
    Membership,
    Outcome,
    Study,
    UncertaintyStatement,
)
from tests.databases import migrated
from webapp.demo import company
from webapp.demo.loader import DEMO_SLUG, load_demo


@pytest.fixture(scope="module")
def loaded(backend: str, worker_name: str, tmp_path_factory: pytest.TempPathFactory):
    """One demo load per back end, shared by these read-only tests (a load takes seconds)."""
    folder = tmp_path_factory.mktemp("demo")
    with migrated(backend, f"fourpart_demo_{worker_name}", folder) as database:
        store = LocalBlobStore(folder / "blobs")
        assert load_demo(database, store, folder / "materials").created
        yield database, store, folder / "materials"


@pytest.fixture
def session(loaded) -> Iterator[Session]:
    with loaded[0].session(reading=True) as session:
        yield session


@pytest.fixture
def store(loaded) -> LocalBlobStore:
    return loaded[1]


@pytest.fixture
def demo(session) -> Study:
    return session.scalars(select(Study).where(Study.slug == DEMO_SLUG)).one()


def test_demo_has_projects_people_contractors_and_members(session, demo: Study) -> None:
    assert {p.code for p in demo.projects} == {"citerag", "verdict", "forge", "quickbrief"}
    employees = session.scalar(select(func.count()).where(Employee.study_id == demo.id))
    assert employees == len(company.PEOPLE)
    contractors = session.scalars(select(Contractor).where(Contractor.study_id == demo.id)).all()
    assert {c.country for c in contractors} == {"US", "IN"}
    roles = {m.user.email.split("@")[0]: m.role.value for m in session.scalars(
        select(Membership).where(Membership.study_id == demo.id))}
    assert roles == {"admin": "admin", "interviewer": "interviewer", "engineer": "engineer", "cpa": "cpa"}
    assert authenticate(session, "cpa@demo.fourpart.test", company.DEMO_PASSWORD) is not None


def test_demo_records_failures_and_the_wrapper_line(session, demo: Study) -> None:
    outcomes = set(session.scalars(select(Experiment.outcome).where(Experiment.study_id == demo.id)))
    assert {Outcome.FAILED, Outcome.ABANDONED, Outcome.SUCCEEDED} <= outcomes
    wrapper = next(p for p in demo.projects if p.code == "quickbrief")
    assert {layer.kind.value for layer in wrapper.layers} == {"third_party_model", "excluded_activity"}
    assert not wrapper.uncertainties


def test_demo_plants_an_uncertainty_dated_after_its_projects_experiments(session, demo: Study) -> None:
    forge = next(p for p in demo.projects if p.code == "forge")
    late = [u for u in forge.uncertainties
            if u.experiments and u.identified_on > min(e.started_on for e in u.experiments)]
    assert len(late) == 1
    others = [u for p in demo.projects if p.code != "forge" for u in p.uncertainties if u.experiments]
    assert all(u.identified_on <= min(e.started_on for e in u.experiments) for u in others)


def test_loading_twice_changes_nothing(loaded, session, demo: Study) -> None:
    database, store, materials_dir = loaded
    before = session.scalar(select(func.count()).select_from(UncertaintyStatement))
    assert not load_demo(database, store, materials_dir).created
    assert session.scalar(select(func.count()).select_from(UncertaintyStatement)) == before
    assert session.scalar(select(func.count()).select_from(Layer)) > 0
    assert session.scalar(select(func.count()).select_from(BusinessComponent)) == 5
    assert (materials_dir / "lexbridge-platform" / ".git").is_dir()


def test_demo_evidence_is_ingested_by_the_real_ingestors(session, store, demo: Study) -> None:
    kinds = {kind: count for kind, count in session.execute(
        select(Artifact.kind, func.count()).where(Artifact.study_id == demo.id).group_by(Artifact.kind))}
    assert kinds[ArtifactKind.GIT_REPOSITORY] == 1 and kinds[ArtifactKind.RUN_LOG] == 1
    assert kinds[ArtifactKind.ABLATION] == 1 and kinds[ArtifactKind.ADR] >= 8
    statuses = dict(session.execute(select(Run.status, func.count()).group_by(Run.status)).all())
    assert statuses == {"finished": 28, "failed": 5, "killed": 4}
    assert session.scalar(select(func.count()).select_from(GitCommit)) == 746
    per_project = (select(BusinessComponent.code, func.count())
                   .join(CommitProject, CommitProject.project_id == BusinessComponent.id)
                   .group_by(BusinessComponent.code))
    mapped = dict(session.execute(per_project).all())
    assert set(mapped) == {"citerag", "verdict", "forge", "quickbrief"} and min(mapped.values()) > 5
    from scoring.models import GLImport, ScoringModel
    others = set(session.scalars(select(GLImport.blob_sha256))) | set(
        session.scalars(select(ScoringModel.blob_sha256)))  # the GL original, the models that scored it
    assert len(list(store.iter_hashes())) == session.scalar(
        select(func.count(func.distinct(Artifact.id))).where(Artifact.study_id == demo.id)) + len(others)


def test_readiness_finds_the_planted_problems_and_nothing_else(session, demo: Study) -> None:
    from narratives.readiness import run_readiness
    found = {(f.check, f.record.type, f.record.project) for f in run_readiness(session, demo).findings}
    assert found == {("wrapper-charged", "project", "quickbrief"),
                     ("prong-without-evidence", "project", "verdict"),
                     ("uncertainty-after-experiments", "uncertainty", "forge")}


def test_demo_narratives_are_approved_by_a_second_person(session, demo: Study) -> None:
    from narratives.models import Narrative, NarrativeState
    narratives = session.scalars(select(Narrative).where(Narrative.study_id == demo.id)).all()
    assert len(narratives) == 12 and {n.state for n in narratives} == {NarrativeState.APPROVED}
    for narrative in narratives:
        approved = [v for v in narrative.versions if v.approved_at is not None]
        assert len(approved) == 1 and approved[0].approved_by_id not in (None, approved[0].author_id)
        assert "TODO:" not in approved[0].markdown.replace("each line starting with TODO", "")


def test_demo_shows_the_80_percent_test_at_work(session, demo: Study) -> None:
    from studies.credit.compute import compute
    from studies.credit.from_study import inputs_from_study

    result = compute(inputs_from_study(session, demo))
    tests = {t.code: t for t in result.tests}
    assert {code: t.status for code, t in tests.items()} == {
        "citerag": "shrunk_back", "verdict": "passes", "forge": "passes", "quickbrief": "fails"}
    assert all(t.unconfirmed == 0 for t in tests.values())
    citerag = tests["citerag"]
    # 3,900 of 5,800 hours = 67.24% for the whole; the retrieval layer above GPT-4.1: 3,900 of 4,350 = 89.66%.
    assert citerag.whole is not None and citerag.claimed is not None
    assert (citerag.whole.share, citerag.claimed.share) == (Decimal("0.6724"), Decimal("0.8966"))
    assert "without Answer generation" in citerag.claimed.subject and citerag.fraction == Decimal("0.75")
    # Verdict's wage lines were proposed from its allocations (cost basis) and confirmed.
    assert tests["verdict"].basis == "cost" and tests["verdict"].whole is not None
    assert tests["verdict"].whole.total == Decimal("446100.00")
    quickbrief = next(c for c in result.schedule.components if c.code == "quickbrief")
    assert quickbrief.total == 0 and result.tie_out.ok

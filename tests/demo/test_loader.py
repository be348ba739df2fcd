"""The demo study: what ``fourpart demo load`` puts in the database, on both back ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.users import authenticate
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
from webapp.demo import company
from webapp.demo.loader import DEMO_SLUG, load_demo


@pytest.fixture(scope="session")
def materials_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo") / "materials"


@pytest.fixture
def demo(db, session, materials_dir: Path) -> Study:
    assert load_demo(db, materials_dir).created
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


def test_loading_twice_changes_nothing(db, session, demo: Study, materials_dir: Path) -> None:
    before = session.scalar(select(func.count()).select_from(UncertaintyStatement))
    assert not load_demo(db, materials_dir).created
    assert session.scalar(select(func.count()).select_from(UncertaintyStatement)) == before
    assert session.scalar(select(func.count()).select_from(Layer)) > 0
    assert session.scalar(select(func.count()).select_from(BusinessComponent)) == 5
    assert (materials_dir / "lexbridge-platform" / ".git").is_dir()

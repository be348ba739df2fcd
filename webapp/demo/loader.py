"""``fourpart demo load``: the demo study, built from the fictional company in ``company``.

Idempotent: a database that already has the ``demo`` study is left as it is. The raw
material (git repository, ADRs, MLflow runs, ablation workbook, GL export) is generated on
disk beside the instance, and its evidence is ingested as the demo engineer would.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from core.audit import Actor, acting_as
from core.blobstore import BlobStore
from core.db import Database
from core.users import User, create_user, find_user
from studies.models import (
    AllocationSource,
    BusinessComponent,
    Contractor,
    Employee,
    EntityType,
    Experiment,
    Layer,
    LayerKind,
    OrganizationYear,
    Outcome,
    ResearchOrgType,
    Role,
    Study,
    UncertaintyKind,
    UncertaintyStatement,
    WageActivity,
    WageAllocation,
)
from studies.services import add_member, create_organization, create_study, find_study
from webapp.demo import company
from webapp.demo.activities import measure_demo_activities
from webapp.demo.evidence import ingest_demo_evidence
from webapp.demo.gl_review import review_demo_gl
from webapp.demo.interviews import approve_demo_narratives, record_demo_interviews
from webapp.demo.links import link_demo_evidence
from webapp.demo.materials import generate_materials
from webapp.demo.story import (
    LATER_EXPERIMENTS,
    LAYERS,
    PRIOR_QRES,
    PURPOSES,
    UNCERTAINTIES,
    experiment_dates,
)

DEMO_SLUG = "demo"
DEMO_ENGINEER = "engineer@demo.fourpart.test"
DEMO_INTERVIEWER = "interviewer@demo.fourpart.test"
DEMO_APPROVER = "admin@demo.fourpart.test"
DEMO_CPA = "cpa@demo.fourpart.test"
OTHER_SLUG = "halvorsen-2025"
SUB_SECTORS = {
    "AI-native product engineering": "ai_native_product_engineering",
    "ML infrastructure": "ml_infrastructure",
}


@dataclass(frozen=True)
class DemoResult:
    created: bool
    study_slug: str
    materials: Path


def load_demo(db: Database, store: BlobStore, materials_dir: Path) -> DemoResult:
    materials = _materials(materials_dir)
    with acting_as(Actor("demo loader")), db.transaction() as session:
        if find_study(session, DEMO_SLUG) is not None:
            return DemoResult(False, DEMO_SLUG, materials)
        users = {user.email: _user(session, user) for user in company.DEMO_USERS}
        study = _demo_study(session)
        other = _other_study(session)
        for demo_user in company.DEMO_USERS:
            target = study if demo_user.client == company.ORGANIZATION.legal_name else other
            add_member(session, target, users[demo_user.email], Role(demo_user.role))
        study_id = study.id
        actor, interviewer, approver = (_actor(users[email]) for email in (DEMO_ENGINEER, DEMO_INTERVIEWER,
                                                                             DEMO_APPROVER))
        cpa = _actor(users[DEMO_CPA])
    with acting_as(actor):
        ingest_demo_evidence(db, store, study_id, materials, uploaded_by_id=actor.user_id)
    _interview_and_approve(db, study_id, interviewer, approver)
    review_demo_gl(db, store, study_id, materials, cpa)
    with acting_as(cpa), db.transaction() as session:
        assert cpa.user_id is not None
        measure_demo_activities(session, session.get_one(Study, study_id), user_id=cpa.user_id)
    return DemoResult(True, DEMO_SLUG, materials)


def _actor(user: User) -> Actor:
    return Actor(f"user:{user.email}", user.id)


def _interview_and_approve(db: Database, study_id: int, interviewer: Actor, approver: Actor) -> None:
    """The interviewer links the evidence, interviews the leads and drafts; a second person approves."""
    assert interviewer.user_id is not None and approver.user_id is not None
    with acting_as(interviewer), db.transaction() as session:
        link_demo_evidence(session, study_id, user_id=interviewer.user_id)
        record_demo_interviews(session, study_id, interviewer_id=interviewer.user_id)
    with acting_as(approver), db.transaction() as session:
        approve_demo_narratives(session, study_id, approver_id=approver.user_id)


def _materials(folder: Path) -> Path:
    """Generate the raw material once; a half-generated folder is never left in place."""
    if folder.is_dir():
        return folder
    staging = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    generate_materials(staging)
    staging.rename(folder)
    return folder


def _user(session: Session, demo_user: company.DemoUser) -> User:
    return find_user(session, demo_user.email) or create_user(
        session, email=demo_user.email, name=demo_user.full_name, password=company.DEMO_PASSWORD)


def _demo_study(session: Session) -> Study:
    org = company.ORGANIZATION
    organization = create_organization(
        session, name=org.legal_name, sub_sector=SUB_SECTORS[org.sub_sector], ein=org.ein,
        entity_type=EntityType.C_CORP, state=org.state_of_incorporation, founded_year=org.founded_year,
        business_activity_code=org.business_activity_code)
    for year, receipts in org.gross_receipts.items():
        qres = PRIOR_QRES.get(year)
        session.add(OrganizationYear(organization=organization, year=year,
                                     gross_receipts=Decimal(receipts),
                                     qres=Decimal(qres) if qres is not None else None))
    study = create_study(session, organization=organization, slug=DEMO_SLUG,
                         title=f"{org.short_name} {org.tax_year} research credit study",
                         tax_year=org.tax_year)
    projects = {p.code: _project(session, study, p) for p in company.PROJECTS}
    for person in company.PEOPLE:
        _employee(session, study, person, projects)
    for contractor in company.CONTRACTORS:
        _contractor(session, study, contractor, projects)
    return study


def _project(session: Session, study: Study, project: company.Project) -> BusinessComponent:
    component = BusinessComponent(
        study=study, code=project.code, name=project.name,
        sub_sector=SUB_SECTORS[project.sub_sector], description=project.summary,
        information_sought=project.uncertainty if project.qualifies else "",
        permitted_purpose=PURPOSES.get(project.code, ""),
        start_date=project.start, end_date=project.end)
    session.add(component)
    session.flush()
    for index, (kind, statement, identified_on) in enumerate(UNCERTAINTIES.get(project.code, ())):
        uncertainty = UncertaintyStatement(study_id=study.id, project_id=component.id,
                                           kind=UncertaintyKind(kind), statement=statement,
                                           identified_on=identified_on)
        session.add(uncertainty)
        session.flush()
        if index == 0:
            _experiments(session, study, uncertainty, project)
        _later_experiments(session, study, uncertainty, project.code, index)
    for kind, name, vendor, model, reason in LAYERS.get(project.code, ()):
        session.add(Layer(study_id=study.id, project_id=component.id, kind=LayerKind(kind),
                          name=name, vendor=vendor, model=model, reason=reason))
    return component


def _experiments(session: Session, study: Study, uncertainty: UncertaintyStatement,
                 project: company.Project) -> None:
    spans = experiment_dates(project.start, project.end, len(project.alternatives))
    for alternative, (start, end) in zip(project.alternatives, spans, strict=True):
        session.add(Experiment(study_id=study.id, uncertainty_id=uncertainty.id,
                               name=alternative.name, hypothesis=f"{alternative.name} meets the bar.",
                               method="Offline evaluation against the project's benchmark set.",
                               started_on=start, ended_on=end, outcome=Outcome(alternative.outcome),
                               notes=alternative.note))


def _later_experiments(session: Session, study: Study, uncertainty: UncertaintyStatement, code: str,
                       index: int) -> None:
    for number, name, outcome, note, start, end in LATER_EXPERIMENTS.get(code, ()):
        if number == index:
            session.add(Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name=name,
                                   hypothesis=f"{name} meets the bar.",
                                   method="Offline evaluation against the project's benchmark set.",
                                   started_on=start, ended_on=end, outcome=Outcome(outcome), notes=note))


def _employee(session: Session, study: Study, person: company.Person,
              projects: dict[str, BusinessComponent]) -> None:
    employee = Employee(study_id=study.id, name=person.full_name, email=person.email,
                        title=person.title, w2_wages=Decimal(person.wages_2025), state=person.state,
                        country=person.country, is_officer=person.officer)
    session.add(employee)
    session.flush()
    activity = (WageActivity.DIRECT_SUPERVISION if person.first_line_supervisor or person.officer
                else WageActivity.DIRECT_RESEARCH)
    source = AllocationSource.INTERVIEW if person.officer else AllocationSource.TIME_SURVEY
    for code, share in person.shares.items():
        session.add(WageAllocation(study_id=study.id, employee_id=employee.id,
                                   project_id=projects[code].id, activity=activity,
                                   percent=Decimal(share), source=source))


def _contractor(session: Session, study: Study, contractor: company.Contractor,
                projects: dict[str, BusinessComponent]) -> None:
    code = next(iter(contractor.shares))
    org_type = ResearchOrgType.UNIVERSITY if contractor.kind == "university" else ResearchOrgType.OTHER
    session.add(Contractor(study_id=study.id, project_id=projects[code].id, name=contractor.name,
                           country=contractor.country, amount_paid=Decimal(contractor.amount_2025),
                           rights_retained=contractor.rights_retained,
                           risk_borne=contractor.bears_financial_risk, org_type=org_type,
                           description=contractor.activity,
                           excluded_reason=contractor.expected_exclusion))


def _other_study(session: Session) -> Study:
    organization = create_organization(session, name=company.SECOND_CLIENT_NAME,
                                       sub_sector="computer_vision_multimodal", state="MI")
    study = create_study(session, organization=organization, slug=OTHER_SLUG,
                         title="Halvorsen 2025 research credit study", tax_year=2025)
    session.add(BusinessComponent(study=study, code="pick-perception", name="Bin-picking perception",
                                  sub_sector="computer_vision_multimodal",
                                  start_date=dt.date(2025, 2, 1), end_date=dt.date(2025, 11, 30)))
    return study

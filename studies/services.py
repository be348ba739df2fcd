"""Creating and finding clients, studies and their members."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.users import User
from studies.models import BusinessComponent, Contractor, Employee, Membership, Organization, Role, Study

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$")


class StudyError(ValueError):
    """A request about studies that cannot be carried out; the message says why."""


def create_organization(session: Session, *, name: str, sub_sector: str, **fields: object) -> Organization:
    organization = Organization(name=name.strip(), sub_sector=sub_sector, **fields)
    session.add(organization)
    session.flush()
    return organization


def create_study(session: Session, *, organization: Organization, slug: str, title: str,
                 tax_year: int, admin: User | None = None) -> Study:
    if not SLUG_PATTERN.match(slug):
        raise StudyError(f"study slug {slug!r}: use 3-60 lowercase letters, digits and dashes")
    if find_study(session, slug) is not None:
        raise StudyError(f"a study with the slug {slug!r} already exists")
    if not 1990 <= tax_year <= 2100:
        raise StudyError(f"tax year {tax_year} is out of range")
    study = Study(organization=organization, slug=slug, title=title.strip(), tax_year=tax_year)
    session.add(study)
    session.flush()
    if admin is not None:
        add_member(session, study, admin, Role.ADMIN)
    return study


def add_member(session: Session, study: Study, user: User, role: Role) -> Membership:
    membership = membership_of(session, study.id, user.id)
    if membership is None:
        membership = Membership(study_id=study.id, user_id=user.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def remove_member(session: Session, membership: Membership) -> None:
    admins = [m for m in membership.study.memberships if m.role == Role.ADMIN]
    if membership.role == Role.ADMIN and len(admins) == 1:
        raise StudyError("a study keeps at least one admin")
    session.delete(membership)
    session.flush()


def find_study(session: Session, slug: str) -> Study | None:
    return session.scalars(select(Study).where(Study.slug == slug)).first()


def membership_of(session: Session, study_id: int, user_id: int) -> Membership | None:
    query = select(Membership).where(Membership.study_id == study_id,
                                     Membership.user_id == user_id)
    return session.scalars(query).first()


def memberships_for(session: Session, user: User) -> list[Membership]:
    query = (select(Membership).join(Study).where(Membership.user_id == user.id)
             .order_by(Study.tax_year.desc(), Study.title))
    return list(session.scalars(query))


def find_project(session: Session, study: Study, code: str) -> BusinessComponent | None:
    query = select(BusinessComponent).where(BusinessComponent.study_id == study.id,
                                            BusinessComponent.code == code)
    return session.scalars(query).first()


def study_employees(session: Session, study: Study) -> list[Employee]:
    query = select(Employee).where(Employee.study_id == study.id).order_by(Employee.name)
    return list(session.scalars(query))


def study_contractors(session: Session, study: Study) -> list[Contractor]:
    query = select(Contractor).where(Contractor.study_id == study.id).order_by(Contractor.name)
    return list(session.scalars(query))

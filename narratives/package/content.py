"""Everything a package says, read from the study in one go; its digest names the study state."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from narratives.models import Narrative
from narratives.package.exhibits import (
    ExhibitEntry,
    cited_artifact_ids,
    linked_artifact_ids,
    number_exhibits,
)
from narratives.package.methodology import (
    GlReview,
    InterviewRow,
    SourceCount,
    evidence_sources,
    gl_review,
    interview_rows,
)
from narratives.package.projects import ProjectSection, project_sections
from narratives.readiness import ReadinessReport, run_readiness
from narratives.versions import approved_version
from studies.credit.compute import CreditResult, compute
from studies.credit.from_study import inputs_from_study
from studies.credit.inputs import InvalidCreditInput
from studies.models import Study
from studies.sectors import entity_type_label, sub_sector_label


@dataclass(frozen=True)
class ClientFacts:
    name: str
    ein: str
    entity_type: str
    sub_sector: str
    study_title: str
    study_slug: str
    tax_year: int
    credit_method: str
    reduced_credit: bool


@dataclass(frozen=True)
class PackageContent:
    client: ClientFacts
    projects: tuple[ProjectSection, ...]
    exhibits: tuple[ExhibitEntry, ...]
    sources: tuple[SourceCount, ...]
    interviews: tuple[InterviewRow, ...]
    gl: GlReview
    credit: CreditResult | None
    credit_error: str | None
    readiness: ReadinessReport

    def digest(self) -> str:
        """SHA-256 of everything the package shows that comes from the study: its inputs digest."""
        plain = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        plain["credit"] = self.credit.as_json() if self.credit else None
        plain["readiness"] = self.readiness.as_json()
        text = json.dumps(_plain(plain), sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def gather(session: Session, study: Study) -> PackageContent:
    exhibits = study_exhibits(session, study)
    credit, error = _credit(session, study)
    return PackageContent(
        _client(study), tuple(project_sections(session, study.id, exhibits)), tuple(exhibits),
        evidence_sources(session, study.id), interview_rows(session, study.id), gl_review(session, study.id),
        credit, error, run_readiness(session, study))


def study_exhibits(session: Session, study: Study) -> list[ExhibitEntry]:
    narratives = session.scalars(select(Narrative).where(Narrative.study_id == study.id)
                                 .options(selectinload(Narrative.versions)))
    approved = [v.markdown for n in narratives if (v := approved_version(n)) is not None]
    wanted = cited_artifact_ids(approved) | linked_artifact_ids(session, study.id)
    return number_exhibits(session, study.id, wanted)


def _credit(session: Session, study: Study) -> tuple[CreditResult | None, str | None]:
    try:
        return compute(inputs_from_study(session, study)), None
    except InvalidCreditInput as exc:
        return None, str(exc)


def _client(study: Study) -> ClientFacts:
    org = study.organization
    return ClientFacts(org.name, org.ein or "not recorded", entity_type_label(org.entity_type.value),
                       sub_sector_label(org.sub_sector), study.title, study.slug, study.tax_year,
                       study.credit_method.value, study.reduced_credit_election)

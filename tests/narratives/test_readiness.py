"""Readiness checks: each one fires on the problem it looks for and clears once it is fixed.

``ready`` is a project every check passes; each case breaks it one way, checks the finding
names the record, then fixes it another way than undoing and checks the finding is gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.blobs import register_blob
from core.users import User
from evidence.models import (
    Artifact,
    ArtifactKind,
    ArtifactRevision,
    CommitProject,
    EvidenceLink,
    GitCommit,
    LinkStatus,
)
from narratives.guides import guide_for
from narratives.interviews import AnswerInput, record_answers, start_interview
from narratives.models import Narrative, NarrativeVersion, Prong
from narratives.readiness import ReadinessReport, Severity, run_readiness
from narratives.readiness.checks import CHECK_IDS
from narratives.versions import approve, ensure_narrative, save_version, send_for_review
from studies.models import (
    AllocationSource,
    BusinessComponent,
    Employee,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    Study,
    UncertaintyKind,
    UncertaintyStatement,
    WageAllocation,
)
from tests.narratives.conftest import World, add_artifact, add_project, link

D = dt.date


def dated(session: Session, artifact: Artifact, start: dt.date, end: dt.date | None = None) -> None:
    """Give an artifact a stored revision whose content is dated ``start``..``end``."""
    sha = f"{artifact.id:064x}"
    register_blob(session, sha, 10, "text/plain")
    session.add(ArtifactRevision(study_id=artifact.study_id, artifact_id=artifact.id, number=1,
                                 blob_sha256=sha, size=10, media_type="text/plain",
                                 original_name=artifact.path, content_start=start, content_end=end or start))
    session.flush()


def approve_all(session: Session, project: BusinessComponent, author: User, approver: User) -> None:
    for prong in Prong:
        narrative = ensure_narrative(session, project, prong)
        save_version(session, narrative, f"# {prong.value}\n\nWhat the record shows.", author_id=author.id)
        send_for_review(session, narrative, user_id=author.id)
        approve(session, narrative, user_id=approver.id)


def add_employee(session: Session, study: Study, project: BusinessComponent, name: str, email: str,
                 percent: str = "50") -> WageAllocation:
    employee = Employee(study_id=study.id, name=name, email=email, title="ML Engineer",
                        w2_wages=Decimal(180000))
    session.add(employee)
    session.flush()
    allocation = WageAllocation(study_id=study.id, employee_id=employee.id, project_id=project.id,
                                percent=Decimal(percent), source=AllocationSource.TIME_SURVEY)
    session.add(allocation)
    session.flush()
    return allocation


@pytest.fixture
def ready(world: World, session: Session) -> World:
    """The conftest world made whole: every prong and record evidenced, dated, explained and approved."""
    project, artifacts = world.project, world.artifacts
    dated(session, artifacts["adr"], D(2025, 3, 4))
    link(session, artifacts["adr"], "project", project.id, prong="permitted_purpose")
    link(session, artifacts["runs"], "project", project.id, prong="technological_in_nature")
    link(session, artifacts["runs"], "experiment", world.experiments["hybrid"].id)
    link(session, artifacts["runs"], "experiment", world.experiments["colbert"].id)
    for layer in project.layers:
        layer.reason = layer.reason or "The vendor's model is called as shipped."
    allocation = add_employee(session, world.study, project, "Priya Raghunathan", "priya@client.test")
    interview = start_interview(session, project, interviewer_id=world.interviewer.id,
                                interviewee_name=allocation.employee.name, interviewee_role="Lead",
                                held_on=D(2026, 1, 20))
    record_answers(session, interview, guide_for(project.sub_sector),
                   {"pp.component": AnswerInput("CiteRAG, the retrieval layer.")})
    approve_all(session, project, world.interviewer, world.reviewer)
    session.commit()
    return world


def report(session: Session, study: Study) -> ReadinessReport:
    session.expire_all()
    return run_readiness(session, study)


def findings_of(session: Session, study: Study, check: str) -> list:
    return [f for f in report(session, study).findings if f.check == check]


def test_a_project_with_everything_in_place_has_no_finding_and_scores_100(session: Session,
                                                                          ready: World) -> None:
    result = report(session, ready.study)
    assert result.findings == ()
    assert (result.score, result.ready) == (100, True)
    assert result.checked >= len(CHECK_IDS)


# --- One case per check: break it, see the finding name the record, fix it, see it go -------------

@dataclass(frozen=True)
class Case:
    check: str
    severity: Severity
    record: str  # the type of record the finding must name
    breaks: Callable[[Session, World], object]
    fixes: Callable[[Session, World, object], None]
    says: str  # a phrase the message must contain


def _new_claimed_project(session: Session, world: World, code: str) -> BusinessComponent:
    project = add_project(session, world.study, code=code, name=f"{code.title()} project")
    session.add(Layer(study_id=world.study.id, project_id=project.id, kind=LayerKind.QUALIFYING_ENGINEERING,
                      name="Custom layer", reason="Built and evaluated here."))
    session.flush()
    return project


def _undate_everything(session: Session, world: World) -> object:
    session.execute(delete(ArtifactRevision).where(ArtifactRevision.study_id == world.study.id))
    dated(session, world.artifacts["adr"], D(2023, 5, 1))
    return None


def _date_runs_in_year(session: Session, world: World, _: object) -> None:
    dated(session, world.artifacts["runs"], D(2025, 6, 1), D(2025, 8, 30))


def _wrapper(session: Session, world: World) -> object:
    project = add_project(session, world.study, code="quickbrief", name="QuickBrief summary endpoint")
    session.add_all([
        Layer(study_id=world.study.id, project_id=project.id, kind=LayerKind.THIRD_PARTY_MODEL,
              name="Summary", vendor="OpenAI", reason="The vendor's model does the work."),
        Layer(study_id=world.study.id, project_id=project.id, kind=LayerKind.EXCLUDED_ACTIVITY,
              name="Pure API wrapper", reason="No custom engineering.")])
    return add_employee(session, world.study, project, "Jordan Whitfield", "jordan@client.test", "60")


def _take_allocation_out(session: Session, world: World, allocation: object) -> None:
    session.delete(allocation)


def _vendor_only(session: Session, world: World) -> object:
    project = add_project(session, world.study, code="summarizer", name="Summarizer")
    session.add(Layer(study_id=world.study.id, project_id=project.id, kind=LayerKind.THIRD_PARTY_MODEL,
                      name="Summaries", vendor="Anthropic", model="Claude", reason="Called as shipped."))
    return project


def _exclude_it(session: Session, world: World, project: object) -> None:
    assert isinstance(project, BusinessComponent)
    session.add(Layer(study_id=world.study.id, project_id=project.id, kind=LayerKind.EXCLUDED_ACTIVITY,
                      name="Prompt tuning", reason="Prompt tuning without systematic evaluation."))


def _drop_layers(session: Session, world: World) -> object:
    for layer in world.project.layers:
        session.delete(layer)
    return None


def _add_qualifying_layer(session: Session, world: World, _: object) -> None:
    session.add(Layer(study_id=world.study.id, project_id=world.project.id,
                      kind=LayerKind.QUALIFYING_ENGINEERING, name="Retrieval", reason="Custom retrieval."))


def _blank_reason(session: Session, world: World) -> object:
    layer = next(layer for layer in world.project.layers if layer.kind is LayerKind.THIRD_PARTY_MODEL)
    layer.reason = "   "
    return layer


def _give_reason(session: Session, world: World, layer: object) -> None:
    assert isinstance(layer, Layer)
    layer.reason = "Generation is the vendor's; retrieval is ours."


def _internal_use(session: Session, world: World) -> object:
    world.project.internal_use_software = True
    world.project.hti_innovative = "Cuts review time by half."
    return None


def _hti_statements(session: Session, world: World, _: object) -> None:
    world.project.hti_economic_risk = "Two quarters of engineering at stake with no known way to succeed."
    world.project.hti_not_commercially_available = "No vendor sells citation-aware retrieval for case law."


def _reject_purpose_link(session: Session, world: World) -> object:
    purpose = session.scalars(select(EvidenceLink).where(EvidenceLink.prong == "permitted_purpose")).one()
    purpose.status = LinkStatus.REJECTED
    return None


def _link_purpose(session: Session, world: World, _: object) -> None:
    memo = add_artifact(session, world.study, "Product requirements")
    dated(session, memo, D(2025, 1, 5))
    link(session, memo, "project", world.project.id, prong="permitted_purpose")
    link(session, memo, "uncertainty", world.uncertainty.id)


def _project_without_uncertainty(session: Session, world: World) -> object:
    return _new_claimed_project(session, world, "ranker")


def _state_uncertainty(session: Session, world: World, project: object) -> None:
    assert isinstance(project, BusinessComponent)
    session.add(UncertaintyStatement(study_id=world.study.id, project_id=project.id,
                                     kind=UncertaintyKind.METHOD, statement="How to rank.",
                                     identified_on=D(2025, 2, 1)))


def _late_uncertainty(session: Session, world: World) -> object:
    world.uncertainty.identified_on = D(2025, 11, 3)
    return None


def _date_uncertainty_first(session: Session, world: World, _: object) -> None:
    world.uncertainty.identified_on = D(2025, 1, 20)  # the day the first experiment started is fine


def _second_uncertainty(session: Session, world: World) -> object:
    item = UncertaintyStatement(study_id=world.study.id, project_id=world.project.id,
                                kind=UncertaintyKind.APPROPRIATE_DESIGN,
                                statement="Which fusion keeps order.", identified_on=D(2025, 4, 1))
    session.add(item)
    session.flush()
    link(session, world.artifacts["adr"], "uncertainty", item.id)
    return item


def _resolve_it(session: Session, world: World, item: object) -> None:
    assert isinstance(item, UncertaintyStatement)
    experiment = Experiment(study_id=world.study.id, uncertainty_id=item.id, name="Weighted fusion",
                            started_on=D(2025, 4, 10), outcome=Outcome.SUCCEEDED)
    session.add(experiment)
    session.flush()
    link(session, world.artifacts["runs"], "experiment", experiment.id)


def _baselines(session: Session, world: World) -> object:
    world.experiments["hybrid"].outcome = Outcome.BASELINE
    world.experiments["colbert"].outcome = Outcome.BASELINE
    return None


def _another_alternative(session: Session, world: World, _: object) -> None:
    experiment = Experiment(study_id=world.study.id, uncertainty_id=world.uncertainty.id, name="SPLADE",
                            started_on=D(2025, 6, 1), outcome=Outcome.INCONCLUSIVE)
    session.add(experiment)
    session.flush()
    link(session, world.artifacts["runs"], "experiment", experiment.id)


def _only_successes(session: Session, world: World) -> object:
    world.experiments["dense"].outcome = Outcome.SUCCEEDED
    world.experiments["colbert"].outcome = Outcome.INCONCLUSIVE
    return None


def _record_abandonment(session: Session, world: World, _: object) -> None:
    world.experiments["colbert"].outcome = Outcome.ABANDONED


def _unlinked_experiment(session: Session, world: World) -> object:
    experiment = Experiment(study_id=world.study.id, uncertainty_id=world.uncertainty.id, name="BM25 tuned",
                            started_on=D(2025, 2, 1), outcome=Outcome.FAILED)
    session.add(experiment)
    session.flush()
    return experiment


def _link_experiment(session: Session, world: World, experiment: object) -> None:
    assert isinstance(experiment, Experiment)
    sheet = add_artifact(session, world.study, "Ablation sheet", ArtifactKind.ABLATION)
    link(session, sheet, "experiment", experiment.id)


def _unsupported_allocation(session: Session, world: World) -> object:
    return add_employee(session, world.study, world.project, "Lena Voss", "Lena@Client.test", "10")


def _commit_by_them(session: Session, world: World, _: object) -> None:
    repo = add_artifact(session, world.study, "platform", ArtifactKind.GIT_REPOSITORY)
    dated(session, repo, D(2025, 1, 1), D(2025, 12, 1))
    revision_id = session.query(ArtifactRevision.id).filter_by(artifact_id=repo.id).scalar()
    when = dt.datetime(2025, 4, 2, 10, tzinfo=dt.UTC)
    commit = GitCommit(study_id=world.study.id, artifact_id=repo.id, revision_id=revision_id, sha="a" * 40,
                       author_name="Lena Voss", author_email="lena@client.test", authored_at=when,
                       committed_at=when, message="Tune the fusion weights")
    session.add(commit)
    session.flush()
    session.add(CommitProject(commit_id=commit.id, project_id=world.project.id, rule="paths citerag/**"))


def _unapprove_one(session: Session, world: World) -> object:
    """Approvals are frozen, so start the uncertainty narrative over as a fresh draft."""
    old = ensure_narrative(session, world.project, Prong.UNCERTAINTY)
    session.execute(delete(NarrativeVersion).where(NarrativeVersion.narrative_id == old.id))
    session.execute(delete(Narrative).where(Narrative.id == old.id))
    session.expire_all()
    narrative = ensure_narrative(session, world.project, Prong.UNCERTAINTY)
    save_version(session, narrative, "# Uncertainty\n\nStill being written.", author_id=world.interviewer.id)
    return narrative


def _approve_it(session: Session, world: World, narrative: object) -> None:
    assert isinstance(narrative, Narrative)
    send_for_review(session, narrative, user_id=world.interviewer.id)
    approve(session, narrative, user_id=world.reviewer.id)


CASES = [
    Case("study-no-evidence-in-year", Severity.BLOCKING, "study", _undate_everything, _date_runs_in_year,
         "dated within 2025"),
    Case("no-evidence-in-year", Severity.BLOCKING, "project", _undate_everything, _date_runs_in_year,
         "outside the tax year"),
    Case("wrapper-charged", Severity.BLOCKING, "project", _wrapper, _take_allocation_out,
         "Jordan Whitfield 60%"),
    Case("third-party-no-line", Severity.BLOCKING, "project", _vendor_only, _exclude_it,
         "uses Anthropic Claude"),
    Case("layers-missing", Severity.WARNING, "project", _drop_layers, _add_qualifying_layer,
         "no layers are recorded"),
    Case("layer-without-reason", Severity.WARNING, "layer", _blank_reason, _give_reason,
         "'Answer generation'"),
    Case("ius-without-hti", Severity.BLOCKING, "project", _internal_use, _hti_statements,
         "missing: significant economic risk, not commercially available"),
    Case("prong-without-evidence", Severity.BLOCKING, "project", _reject_purpose_link, _link_purpose,
         "permitted purpose prong"),
    Case("no-uncertainty", Severity.BLOCKING, "project", _project_without_uncertainty, _state_uncertainty,
         "no technical uncertainty"),
    Case("uncertainty-after-experiments", Severity.BLOCKING, "uncertainty", _late_uncertainty,
         _date_uncertainty_first, "dated 2025-11-03, after its first experiment 'Dense only'"),
    Case("uncertainty-without-experiments", Severity.WARNING, "uncertainty", _second_uncertainty, _resolve_it,
         "no alternative is recorded for the uncertainty 'Which fusion keeps order.'"),
    Case("too-few-alternatives", Severity.BLOCKING, "project", _baselines, _another_alternative,
         "1 alternative evaluated"),
    Case("no-failed-alternative", Severity.WARNING, "project", _only_successes, _record_abandonment,
         "no failed or abandoned alternative"),
    Case("asserted-only", Severity.WARNING, "experiment", _unlinked_experiment, _link_experiment,
         "'BM25 tuned' rests only on what a person wrote"),
    Case("allocation-unsupported", Severity.WARNING, "allocation", _unsupported_allocation, _commit_by_them,
         "Lena Voss's 10% on CiteRAG retrieval (time survey)"),
    Case("narrative-unapproved", Severity.BLOCKING, "narrative", _unapprove_one, _approve_it,
         "elimination of uncertainty narrative is draft"),
]


def test_every_check_has_a_case() -> None:
    assert {case.check for case in CASES} | {"no-projects"} == CHECK_IDS


@pytest.mark.parametrize("case", CASES, ids=[case.check for case in CASES])
def test_check_fires_then_clears(session: Session, ready: World, case: Case) -> None:
    made = case.breaks(session, ready)
    session.commit()
    found = findings_of(session, ready.study, case.check)
    assert len(found) == 1, found
    finding = found[0]
    assert finding.severity is case.severity
    assert finding.record.type == case.record
    assert case.says in finding.message, finding.message
    before = report(session, ready.study)
    assert before.score < 100 and before.ready is (case.severity is Severity.WARNING)
    case.fixes(session, ready, made)
    session.commit()
    assert findings_of(session, ready.study, case.check) == []


def test_a_study_with_no_project_has_nothing_to_claim(session: Session, make_study) -> None:
    study = make_study()
    result = report(session, study)
    assert {f.check for f in result.findings} == {"no-projects", "study-no-evidence-in-year"}
    assert (result.ready, result.score) == (False, 0)


def test_no_projects_clears_once_one_is_claimed(session: Session, ready: World) -> None:
    assert findings_of(session, ready.study, "no-projects") == []


def test_a_wrapper_is_judged_on_its_charges_not_on_the_four_parts(session: Session, ready: World) -> None:
    allocation = _wrapper(session, ready)
    session.commit()
    checks = {f.check for f in report(session, ready.study).findings}
    assert checks == {"wrapper-charged"}
    _take_allocation_out(session, ready, allocation)
    session.commit()
    assert report(session, ready.study).findings == ()


def test_evidence_removed_from_the_study_no_longer_counts(session: Session, ready: World) -> None:
    ready.artifacts["adr"].removed_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    session.commit()
    found = findings_of(session, ready.study, "prong-without-evidence")
    assert sorted(f.detail["prong"] for f in found) == ["elimination_of_uncertainty", "permitted_purpose"]


def test_suggested_links_are_not_evidence(session: Session, ready: World) -> None:
    memo = add_artifact(session, ready.study, "Roadmap")
    dated(session, memo, D(2025, 2, 1))
    link(session, memo, "experiment", ready.experiments["hybrid"].id, status=LinkStatus.SUGGESTED)
    experiment = _unlinked_experiment(session, ready)
    link(session, memo, "experiment", experiment.id, status=LinkStatus.SUGGESTED)  # type: ignore[attr-defined]
    session.commit()
    assert [f.record.label for f in findings_of(session, ready.study, "asserted-only")] == ["BM25 tuned"]


def test_findings_serialize_with_check_severity_message_and_record(session: Session, ready: World) -> None:
    _late_uncertainty(session, ready)
    session.commit()
    payload = report(session, ready.study).as_json()
    assert payload["ready"] is False and payload["blocking"] == 1
    (finding,) = payload["findings"]
    assert finding["check"] == "uncertainty-after-experiments" and finding["severity"] == "blocking"
    assert finding["record"] == {"type": "uncertainty", "id": ready.uncertainty.id,
                                 "label": "Whether any retrieval design reaches recall@10 of 0.85.",
                                 "project": "citerag"}


def test_another_studys_records_never_count(session: Session, ready: World, make_study) -> None:
    other = make_study()
    stranger = add_artifact(session, other, "Their notes")
    dated(session, stranger, D(2025, 3, 1))
    _late_uncertainty(session, ready)
    experiment = _unlinked_experiment(session, ready)
    # A link row claiming to be the other study's, pointing at this study's experiment, is ignored.
    link(session, stranger, "experiment", experiment.id)  # type: ignore[attr-defined]
    session.commit()
    labels = [f.record.label for f in findings_of(session, ready.study, "asserted-only")]
    assert labels == ["BM25 tuned"]

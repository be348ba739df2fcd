"""Projects, uncertainties, experiments and layers: what is saved, what is refused, and by which field."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.audit import AuditEvent
from evidence.models import Artifact, ArtifactKind, EvidenceLink
from studies.models import BusinessComponent, Experiment, Layer, Outcome, Study, UncertaintyStatement
from studies.project_checks import TEXT_LIMIT, InvalidInput, format_metrics, parse_metrics
from studies.projects import (
    ExperimentInput,
    LayerInput,
    ProjectInput,
    UncertaintyInput,
    add_experiment,
    add_layer,
    add_uncertainty,
    create_project,
    delete_experiment,
    delete_layer,
    delete_uncertainty,
    find_experiment,
    find_uncertainty,
    update_experiment,
    update_layer,
    update_project,
    update_uncertainty,
)

D = dt.date
PROJECT = ProjectInput(code="citerag", name="CiteRAG — citation-aware retrieval",
                       sub_sector="ai_native_product_engineering", description="Hybrid retrieval.",
                       information_sought="Whether any design reaches the recall bar.",
                       permitted_purpose="Better recall on statute citations.",
                       start_date=D(2025, 1, 13), end_date=D(2025, 10, 31))
UNCERTAINTY = UncertaintyInput(kind="capability", statement="Can hybrid retrieval reach recall@10 of 0.9?",
                               identified_on=D(2025, 1, 20))
EXPERIMENT = ExperimentInput(name="Dense only", hypothesis="Dense embeddings suffice.",
                             method="Recall@10 on 500 statute questions.", started_on=D(2025, 2, 1),
                             ended_on=D(2025, 3, 1), outcome="failed",
                             metrics={"recall@10": 0.61, "index": "HNSW"})
LAYER = LayerInput(kind="third_party_model", name="Answer generation", vendor="OpenAI", model="GPT-4.1",
                   reason="Called as shipped.")


def refused(call, *args) -> dict[str, str]:
    with pytest.raises(InvalidInput) as caught:
        call(*args)
    for name, message in caught.value.errors.items():
        assert f"{name}: {message}" in str(caught.value)
    return caught.value.errors


def count(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def study(make_study) -> Study:
    return make_study()


@pytest.fixture
def project(session, study) -> BusinessComponent:
    created = create_project(session, study, PROJECT)
    session.commit()
    return created


@pytest.fixture
def uncertainty(session, study, project) -> UncertaintyStatement:
    created = add_uncertainty(session, study, project.id, UNCERTAINTY)
    session.commit()
    return created


# --- projects -----------------------------------------------------------------------------


def test_a_project_is_created_with_every_field_and_audited(backend, session, study) -> None:
    data = replace(PROJECT, internal_use_software=True, component_type="process")
    project = create_project(session, study, data)
    session.commit()
    stored = session.get(BusinessComponent, project.id)
    assert (stored.code, stored.sub_sector, stored.component_type, stored.internal_use_software) == (
        "citerag", "ai_native_product_engineering", "process", True)
    assert (stored.start_date, stored.end_date, stored.permitted_purpose) == (
        D(2025, 1, 13), D(2025, 10, 31), "Better recall on statute citations.")
    event = session.scalars(select(AuditEvent).where(AuditEvent.record_type == "business_components")).one()
    assert event.action == "create" and event.study_id == study.id


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"code": ""}, "code", "Code is required"),
    ({"code": "has space"}, "code", "letters, digits"),
    ({"code": "new"}, "code", "reserved"),
    ({"code": "x" * 61}, "code", "limit is 60"),
    ({"name": "   "}, "name", "Name is required"),
    ({"name": "n" * 201}, "name", "limit is 200"),
    ({"sub_sector": "crypto"}, "sub_sector", "'crypto' is not one of"),
    ({"component_type": "vibes"}, "component_type", "'vibes' is not one of"),
    ({"description": "d" * (TEXT_LIMIT + 1)}, "description", "the limit is 20,000"),
    ({"information_sought": "null\x00byte"}, "information_sought", "control characters"),
    ({"end_date": D(2024, 12, 31)}, "end_date", "2024-12-31 is before the start date 2025-01-13"),
    ({"start_date": D(1, 1, 1)}, "start_date", "not between 1950 and 2100"),
])
def test_each_bad_project_field_is_named(backend, session, study, change, field, words) -> None:
    errors = refused(create_project, session, study, replace(PROJECT, **change))
    assert list(errors) == [field] and words in errors[field]
    assert count(session, BusinessComponent) == 0


def test_every_bad_field_is_reported_at_once(session, study) -> None:
    bad = replace(PROJECT, code="", name="", sub_sector="x", end_date=D(2020, 1, 1))
    assert set(refused(create_project, session, study, bad)) == {"code", "name", "sub_sector", "end_date"}


def test_codes_are_unique_within_a_study_only(backend, session, study, project, make_study) -> None:
    assert "already used" in refused(create_project, session, study, replace(PROJECT, name="Other"))["code"]
    other = make_study()
    assert create_project(session, other, PROJECT).code == "citerag"


def test_a_project_is_updated_only_when_every_field_is_good(backend, session, study, project) -> None:
    second = create_project(session, study, replace(PROJECT, code="verdict", name="Verdict"))
    session.commit()
    bad = replace(PROJECT, code="verdict", name="Renamed", end_date=D(2020, 1, 1))
    errors = refused(update_project, session, study, project, bad)
    assert set(errors) == {"code", "end_date"}
    assert project.name == PROJECT.name and not session.dirty  # nothing was even assigned
    session.rollback()
    assert session.get(BusinessComponent, project.id).name == PROJECT.name
    update_project(session, study, project, replace(PROJECT, code="citerag-v2", name="Renamed"))
    session.commit()
    assert (project.code, project.name, second.code) == ("citerag-v2", "Renamed", "verdict")


def test_a_project_of_another_study_is_not_updated(session, project, make_study) -> None:
    assert "another study" in refused(update_project, session, make_study(), project, PROJECT)["study"]


# --- uncertainties ------------------------------------------------------------------------


def test_an_uncertainty_is_recorded_and_edited(backend, session, study, project) -> None:
    uncertainty = add_uncertainty(session, study, project.id, UNCERTAINTY)
    session.commit()
    assert (uncertainty.kind.value, uncertainty.identified_on) == ("capability", D(2025, 1, 20))
    update_uncertainty(session, study, uncertainty, replace(UNCERTAINTY, kind="appropriate_design"))
    session.commit()
    assert session.get(UncertaintyStatement, uncertainty.id).kind.value == "appropriate_design"


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "vibe"}, "kind"), ({"statement": ""}, "statement"), ({"identified_on": None}, "identified_on"),
    ({"statement": "s" * (TEXT_LIMIT + 1)}, "statement"),
])
def test_each_bad_uncertainty_field_is_named(backend, session, study, project, change, field) -> None:
    errors = refused(add_uncertainty, session, study, project.id, replace(UNCERTAINTY, **change))
    assert list(errors) == [field]
    assert count(session, UncertaintyStatement) == 0


def test_an_uncertainty_on_a_project_of_another_study_is_refused(backend, session, project,
                                                                 make_study) -> None:
    other = make_study()
    errors = refused(add_uncertainty, session, other, project.id, UNCERTAINTY)
    assert "not a record of this study" in errors["project"]
    assert "project" in refused(add_uncertainty, session, other, 999_999, UNCERTAINTY)
    assert count(session, UncertaintyStatement) == 0
    assert find_uncertainty(session, other, project.id) is None


# --- experiments --------------------------------------------------------------------------


def test_an_experiment_is_recorded_with_its_metrics(backend, session, study, uncertainty) -> None:
    experiment = add_experiment(session, study, uncertainty.id, EXPERIMENT)
    session.commit()
    session.expire_all()
    stored = session.get(Experiment, experiment.id)
    assert (stored.outcome, stored.metrics) == (Outcome.FAILED, {"recall@10": 0.61, "index": "HNSW"})
    assert stored.uncertainty.project.code == "citerag"


@pytest.mark.parametrize("outcome", [o.value for o in Outcome])
def test_every_outcome_is_accepted(session, study, uncertainty, outcome) -> None:
    experiment = add_experiment(session, study, uncertainty.id, replace(EXPERIMENT, outcome=outcome))
    assert experiment.outcome == outcome


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"name": ""}, "name", "Alternative is required"),
    ({"outcome": "won"}, "outcome", "'won' is not one of"),
    ({"ended_on": D(2025, 1, 1)}, "ended_on", "is before the start date"),
    ({"metrics": {"": 1}}, "metrics", "needs a name"),
    ({"metrics": {"loss": float("nan")}}, "metrics", "not a finite number"),
    ({"metrics": {"loss": [1, 2]}}, "metrics", "'loss': give a number"),
    ({"metrics": {"loss": True}}, "metrics", "'loss': give a number"),
    ({"metrics": {f"m{i}": i for i in range(101)}}, "metrics", "the limit is 100"),
    ({"hypothesis": "<script>\x07</script>"}, "hypothesis", "control characters"),
])
def test_each_bad_experiment_field_is_named(backend, session, study, uncertainty, change, field,
                                            words) -> None:
    errors = refused(add_experiment, session, study, uncertainty.id, replace(EXPERIMENT, **change))
    assert list(errors) == [field] and words in errors[field]
    assert count(session, Experiment) == 0


def test_an_experiment_on_an_uncertainty_of_another_study_is_refused(backend, session, uncertainty,
                                                                      make_study) -> None:
    other = make_study()
    errors = refused(add_experiment, session, other, uncertainty.id, EXPERIMENT)
    assert errors == {
        "uncertainty": f"The uncertainty statement {uncertainty.id} is not a record of this study."}
    assert count(session, Experiment) == 0


def test_an_experiment_moves_only_to_an_uncertainty_of_its_project(backend, session, study, project,
                                                                    uncertainty, make_study) -> None:
    experiment = add_experiment(session, study, uncertainty.id, EXPERIMENT)
    sibling = add_uncertainty(session, study, project.id, replace(UNCERTAINTY, kind="method"))
    other_project = create_project(session, study, replace(PROJECT, code="forge", name="Forge"))
    elsewhere = add_uncertainty(session, study, other_project.id, UNCERTAINTY)
    foreign_study = make_study()
    foreign = add_uncertainty(session, foreign_study, create_project(session, foreign_study, PROJECT).id,
                              UNCERTAINTY)
    session.commit()
    renamed = replace(EXPERIMENT, name="Dense (renamed)")
    assert "this experiment's project" in refused(
        update_experiment, session, study, experiment, elsewhere.id, renamed)["uncertainty"]
    assert "not a record of this study" in refused(
        update_experiment, session, study, experiment, foreign.id, renamed)["uncertainty"]
    session.rollback()
    assert session.get(Experiment, experiment.id).name == "Dense only"
    update_experiment(session, study, experiment, sibling.id, renamed)
    session.commit()
    assert (experiment.uncertainty_id, experiment.name) == (sibling.id, "Dense (renamed)")


def test_metrics_are_read_from_lines_and_written_back() -> None:
    assert parse_metrics("recall@10 = 0.82\n\nlatency_ms: 140\nindex = HNSW, M=32\nruns = 3\n") == {
        "recall@10": 0.82, "latency_ms": 140, "index": "HNSW, M=32", "runs": 3}
    assert format_metrics({"recall@10": 0.82, "runs": 3}) == "recall@10 = 0.82\nruns = 3"
    with pytest.raises(InvalidInput, match=r"metrics: Metrics line 2: write one 'name = value'"):
        parse_metrics("a = 1\njust words\n")
    with pytest.raises(InvalidInput, match=r"line 2: 'a' is given twice"):
        parse_metrics("a = 1\na = 2\n")


# --- layers -------------------------------------------------------------------------------


def test_layers_of_each_kind(backend, session, study, project) -> None:
    third = add_layer(session, study, project.id, LAYER)
    mine = add_layer(session, study, project.id,
                     LayerInput(kind="qualifying_engineering", name="Hybrid retrieval"))
    update_layer(session, study, mine, LayerInput(kind="excluded_activity", name="Routine labeling",
                                                  reason="Routine data collection."))
    session.commit()
    assert (third.vendor, third.model) == ("OpenAI", "GPT-4.1")
    assert (mine.kind.value, mine.vendor, mine.model) == ("excluded_activity", None, None)


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "first_party"}, "kind"), ({"name": ""}, "name"), ({"vendor": ""}, "vendor"),
    ({"vendor": "v" * 121}, "vendor"), ({"model": "m" * 121}, "model"),
])
def test_each_bad_layer_field_is_named(backend, session, study, project, change, field) -> None:
    assert list(refused(add_layer, session, study, project.id, replace(LAYER, **change))) == [field]
    assert count(session, Layer) == 0


def test_a_layer_on_a_project_of_another_study_is_refused(backend, session, project, make_study) -> None:
    errors = refused(add_layer, session, make_study(), project.id, LAYER)
    assert "not a record of this study" in errors["project"]
    assert count(session, Layer) == 0


# --- deleting -----------------------------------------------------------------------------


def _link(session: Session, study: Study, target_type: str, target_id: int) -> EvidenceLink:
    artifact = session.scalars(select(Artifact).where(Artifact.study_id == study.id)).first()
    if artifact is None:
        artifact = Artifact(study_id=study.id, kind=ArtifactKind.DOCUMENT, source="test", path="notes.md",
                            title="Notes")
        session.add(artifact)
        session.flush()
    link = EvidenceLink(study_id=study.id, artifact_id=artifact.id, target_type=target_type,
                        target_id=target_id, suggested_by="manual")
    session.add(link)
    session.flush()
    return link


def test_deleting_an_uncertainty_takes_its_experiments_and_their_links(backend, session, study, project,
                                                                      uncertainty) -> None:
    experiment = add_experiment(session, study, uncertainty.id, EXPERIMENT)
    kept = add_uncertainty(session, study, project.id, replace(UNCERTAINTY, kind="method"))
    for target_type, target_id in (("uncertainty", uncertainty.id), ("experiment", experiment.id),
                                   ("uncertainty", kept.id), ("project", project.id)):
        _link(session, study, target_type, target_id)
    session.commit()
    delete_uncertainty(session, study, uncertainty)
    session.commit()
    assert find_uncertainty(session, study, uncertainty.id) is None
    assert find_experiment(session, study, experiment.id) is None
    remaining = {(link.target_type, link.target_id) for link in session.scalars(select(EvidenceLink))}
    assert remaining == {("uncertainty", kept.id), ("project", project.id)}
    deleted = {(e.record_type, e.action) for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "delete"))}
    assert deleted == {("uncertainty_statements", "delete"), ("experiments", "delete"),
                       ("evidence_links", "delete")}


def test_deleting_an_experiment_and_a_layer(backend, session, study, project, uncertainty) -> None:
    experiment = add_experiment(session, study, uncertainty.id, EXPERIMENT)
    layer = add_layer(session, study, project.id, LAYER)
    _link(session, study, "layer", layer.id)
    session.commit()
    delete_experiment(session, study, experiment)
    delete_layer(session, study, layer)
    session.commit()
    assert count(session, Experiment) == count(session, Layer) == count(session, EvidenceLink) == 0
    assert count(session, UncertaintyStatement) == 1


def test_records_of_another_study_are_not_deleted(session, study, project, uncertainty, make_study) -> None:
    other = make_study()
    experiment = add_experiment(session, study, uncertainty.id, EXPERIMENT)
    layer = add_layer(session, study, project.id, LAYER)
    pairs = ((delete_uncertainty, uncertainty), (delete_experiment, experiment), (delete_layer, layer))
    for call, record in pairs:
        assert "another study" in refused(call, session, other, record)["study"]
    assert count(session, Experiment) == count(session, Layer) == 1

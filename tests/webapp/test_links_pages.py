"""The evidence links pages: suggestions by target, accept and reject, manual links, the job,
the artifact page's links and the project page's evidence timeline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from core.jobs import Job
from evidence.linking.suggest import suggest_links
from evidence.models import EvidenceLink, LinkStatus, Run
from studies.models import Role
from tests.evidence.test_linking import World, build_world


@pytest.fixture
def people(make_user) -> dict[str, object]:
    return {role.value: make_user(name=f"{role.value.title()} Person") for role in Role} | {
        "outsider": make_user(name="Outsider")
    }


@pytest.fixture
def world(db, session, make_study, people, tmp_path) -> World:
    study = make_study(members={people[r.value]: r for r in Role})
    return build_world(db, session, study.id, tmp_path)


@pytest.fixture
def slug(session, world) -> str:
    from studies.models import Study

    return session.get(Study, world.study_id).slug


def links(session, study_id: int) -> list[EvidenceLink]:
    session.expire_all()
    return list(
        session.scalars(
            select(EvidenceLink).where(EvidenceLink.study_id == study_id).order_by(EvidenceLink.id)
        )
    )


def run_link(session, world: World, name: str) -> EvidenceLink:
    run_id = session.scalar(select(Run.id).where(Run.name == name))
    [link] = [
        link
        for link in links(session, world.study_id)
        if link.part_type == "run" and link.part_ref == str(run_id) and link.target_type == "project"
    ]
    return link


def test_the_links_page_shows_suggestions_in_words_grouped_by_target(
    db, client, sign_in, people, world, slug
):
    suggest_links(db, world.study_id, embedder=None)
    sign_in(people["engineer"])
    page = client.get(f"/studies/{slug}/evidence/links").get_data(as_text=True)
    assert "Project <strong>CiteRAG — citation-aware retrieval</strong>" in page
    assert "ADR 0002: Use hybrid retrieval with reciprocal rank fusion" in page
    assert "run &#39;dense-only&#39; (failed) in &#39;citerag-retrieval&#39;" in page
    assert "3 commits 2025-02..2025-03 mapped by rule 1: paths citerag/**" in page
    assert "rule: commit mapping" in page and "score 0.95" in page
    assert 'data-testid="decide-form"' not in page  # an engineer sees, but does not decide
    assert 'data-testid="suggest-form"' not in page


def test_filters_narrow_the_list_by_status_target_and_project(db, client, sign_in, people, world, slug):
    suggest_links(db, world.study_id, embedder=None)
    sign_in(people["interviewer"])
    forge = client.get(f"/studies/{slug}/evidence/links?project=forge").get_data(as_text=True)
    assert "forge-parallelism" in forge and "citerag-retrieval" not in forge
    experiments = client.get(f"/studies/{slug}/evidence/links?target=experiment").get_data(as_text=True)
    assert "Experiment (forge): <strong>DeepSpeed ZeRO-3 with CPU offload</strong>" in experiments
    assert "Project <strong>" not in experiments
    accepted = client.get(f"/studies/{slug}/evidence/links?status=accepted").get_data(as_text=True)
    assert 'data-testid="link-row"' not in accepted and "No links match these filters." in accepted


def test_an_interviewer_accepts_and_rejects_and_who_and_when_are_recorded(
    db, session, client, sign_in, people, world, slug
):
    suggest_links(db, world.study_id, embedder=None)
    dense, bm25 = run_link(session, world, "dense-only"), run_link(session, world, "bm25-baseline")
    sign_in(people["interviewer"])
    back = f"/studies/{slug}/evidence/links?project=citerag"
    response = client.post(
        f"/studies/{slug}/evidence/links/decide",
        data={"link_id": dense.id, "decision": "accept", "next": back},
    )
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    client.post(f"/studies/{slug}/evidence/links/decide", data={"link_id": bm25.id, "decision": "reject"})
    session.refresh(dense)
    session.refresh(bm25)
    assert (dense.status, dense.decided_by_id) == (LinkStatus.ACCEPTED, people["interviewer"].id)
    assert (bm25.status, bm25.decided_by_id) == (LinkStatus.REJECTED, people["interviewer"].id)
    assert dense.decided_at is not None
    page = client.get(f"/studies/{slug}/evidence/links?status=all").get_data(as_text=True)
    assert "Interviewer Person" in page


def test_an_engineer_cannot_decide_and_an_outsider_is_told_nothing(
    db, session, client, sign_in, people, world, slug
):
    suggest_links(db, world.study_id, embedder=None)
    link = links(session, world.study_id)[0]
    sign_in(people["engineer"])
    assert (
        client.post(
            f"/studies/{slug}/evidence/links/decide", data={"link_id": link.id, "decision": "accept"}
        ).status_code
        == 403
    )
    assert client.post(f"/studies/{slug}/evidence/links/new", data={}).status_code == 403
    assert client.post(f"/studies/{slug}/evidence/links/suggest", data={}).status_code == 403
    client.post("/sign-out")
    sign_in(people["outsider"])
    assert client.get(f"/studies/{slug}/evidence/links").status_code == 404
    assert (
        client.post(
            f"/studies/{slug}/evidence/links/decide", data={"link_id": link.id, "decision": "accept"}
        ).status_code
        == 404
    )
    session.refresh(link)
    assert link.status is LinkStatus.SUGGESTED


def test_a_link_of_another_study_is_not_found(
    db, session, client, sign_in, people, world, slug, make_study, tmp_path
):
    suggest_links(db, world.study_id, embedder=None)
    other = make_study(members={people["interviewer"]: Role.INTERVIEWER})
    sign_in(people["interviewer"])
    link = links(session, world.study_id)[0]
    assert (
        client.post(
            f"/studies/{other.slug}/evidence/links/decide", data={"link_id": link.id, "decision": "reject"}
        ).status_code
        == 404
    )


def test_a_manual_link_is_accepted_at_once_and_a_foreign_next_is_ignored(
    db, session, client, sign_in, people, world, slug
):
    sign_in(people["interviewer"])
    repo = world.artifacts["repo"].artifact_id
    response = client.post(
        f"/studies/{slug}/evidence/links/new",
        data={
            "artifact_id": repo,
            "target": f"uncertainty:{world.uncertainties['forge']}",
            "prong": "process_of_experimentation",
            "next": "https://evil.example/steal",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/studies/{slug}/evidence/links")
    [link] = links(session, world.study_id)
    assert (link.suggested_by, link.status, link.prong) == (
        "manual",
        LinkStatus.ACCEPTED,
        "process_of_experimentation",
    )
    assert link.decided_by_id == people["interviewer"].id
    refused = client.post(
        f"/studies/{slug}/evidence/links/new",
        data={"artifact_id": repo, "target": "experiment:999999"},
        follow_redirects=True,
    )
    assert "experiment 999999 is not part of this study" in refused.get_data(as_text=True)
    assert len(links(session, world.study_id)) == 1


def test_the_suggest_button_runs_the_job_with_progress_and_result(
    db, session, client, sign_in, people, world, slug
):
    sign_in(people["interviewer"])
    response = client.post(f"/studies/{slug}/evidence/links/suggest", data={})  # similarity box unticked
    assert response.status_code == 303
    job_id = int(re.search(r"/jobs/(\d+)$", response.headers["Location"]).group(1))
    job = session.get(Job, job_id)
    session.refresh(job)
    assert (job.kind, job.status, job.params["similarity"]) == ("evidence.suggest_links", "succeeded", False)
    assert job.result["created"] == len(links(session, world.study_id)) > 0
    assert job.result["created_by_source"]["rule:commit_mapping"] == 2
    again = client.post(f"/studies/{slug}/evidence/links/suggest", data={})
    rerun = session.get(Job, int(again.headers["Location"].rsplit("/", 1)[1]))
    session.refresh(rerun)
    assert rerun.result["created"] == 0


def test_the_artifact_page_lists_its_links_with_accept_and_reject(
    db, session, client, sign_in, people, world, slug
):
    suggest_links(db, world.study_id, embedder=None)
    sign_in(people["interviewer"])
    mlruns = world.artifacts["mlruns"].artifact_id
    page = client.get(f"/studies/{slug}/evidence/{mlruns}").get_data(as_text=True)
    section = page[page.index('data-testid="artifact-links"') :]
    assert section.count('data-testid="link-row"') == 4  # each run to its project
    assert "run &#39;zero3-offload-7b&#39; (failed) in &#39;forge-parallelism&#39;" in section
    assert section.count(">Accept</button>") == 4 and 'data-testid="artifact-manual-link"' in section


def test_the_project_page_shows_the_timeline_accepted_links_and_what_waits(
    db, session, client, sign_in, people, world, slug
):
    suggest_links(db, world.study_id, embedder=None)
    sign_in(people["interviewer"])
    for name in ("zero3-offload-7b", "fsdp-7b-ac"):
        client.post(
            f"/studies/{slug}/evidence/links/decide",
            data={"link_id": run_link(session, world, name).id, "decision": "accept"},
        )
    page = client.get(f"/studies/{slug}/projects/forge").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", page[page.index('data-testid="evidence-timeline"') :], re.DOTALL).group(
        0
    )
    ids = {element.get("id") for element in ET.fromstring(svg).iter()}
    assert {"timeline-run", "timeline-run-failed", "timeline-tax-year", "timeline-uncertainty-1"} <= ids
    assert not any(i and "suggested" in i for i in ids)
    assert 'style="' not in svg  # the page's CSP forbids inline styles
    accepted = page[page.index('data-testid="accepted-links"') :]
    assert accepted.count("<tr>") == 3  # the header and the two runs
    pending = len(
        [
            link
            for link in links(session, world.study_id)
            if link.status is LinkStatus.SUGGESTED
            and (link.target_type, link.target_id)
            in {
                ("project", world.projects["forge"]),
                ("uncertainty", world.uncertainties["forge"]),
                *(
                    ("experiment", world.experiments[name])
                    for name in ("FSDP with activation checkpointing", "DeepSpeed ZeRO-3 with CPU offload")
                ),
            }
        ]
    )
    assert f"{pending} suggested links" in page
    faint = client.get(f"/studies/{slug}/projects/forge?suggested=1").get_data(as_text=True)
    assert 'id="timeline-adr-suggested"' in faint and 'id="timeline-commits-suggested-2025-05"' in faint

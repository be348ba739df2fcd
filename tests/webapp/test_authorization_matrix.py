"""Every route of the app, every method, every role: who gets in and who is told nothing.

The matrix is built from the URL map, so a route added without an access rule, or with a
rule the roles do not honour, fails here without anyone writing a new test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from werkzeug.routing import Rule

from core.audit import Actor
from core.jobs import _HANDLERS
from studies.models import Role
from studies.permissions import can
from studies.services import membership_of
from studies.tokens import issue_token
from tests.conftest import PASSWORD
from webapp.access import ACCESS_ATTR, AccessRule

UNGUARDED_ENDPOINTS = {"static", "bootstrap.static"}
IGNORED_METHODS = {"HEAD", "OPTIONS"}
OBJECT_ARGS = {"job_id", "token_id", "membership_id", "code", "artifact_id", "number", "uncertainty_id",
               "experiment_id", "layer_id", "interview_id", "prong", "import_id", "account_id",
               "version"}


@dataclass
class World:
    study_slug: str
    study_id: int
    other_study_id: int
    users: dict[str, object]
    tokens: dict[str, str]
    args: dict[str, object]
    cookies: dict[str, str]


@pytest.fixture
def world(app: Flask, session, make_user, make_study, monkeypatch: pytest.MonkeyPatch) -> World:
    # the matrix checks who may start a retraining; the retraining itself is tested in test_gl_models_pages
    monkeypatch.setitem(_HANDLERS, "scoring.retrain", lambda _context: {"version": 0})
    users = {role.value: make_user(name=f"{role.value} user") for role in Role}
    users["outsider"] = make_user(name="outsider")
    study = make_study(members={users[r.value]: r for r in Role})
    other = make_study(members={users["outsider"]: Role.ENGINEER})
    tokens = {}
    for label, target in (("engineer", study), ("admin", study), ("outsider", other)):
        membership = membership_of(session, target.id, users[label].id)
        _token, tokens[label] = issue_token(session, membership, f"{label} pipeline")
    engineer_token = _token_of(session, study.id, users["engineer"].id)
    session.commit()
    job_id = app.extensions["fourpart.queue"].submit(
        "evidence.verify", actor=Actor("test"), study_id=study.id)
    args = {"slug": study.slug, "study_id": study.id, "job_id": job_id,
            "token_id": engineer_token, "membership_id": membership_of(
                session, study.id, users["cpa"].id).id, "code": _project_code(session, study),
            "artifact_id": _artifact_id(app, session, study), "number": 1, "uncertainty_id": 1,
            "experiment_id": 1, "layer_id": 1, "interview_id": 1, "prong": "permitted_purpose",
            "version": 1, "kind": "pdf", "fmt": "csv", "import_id": 1, "account_id": 1}
    cookies = {label: _session_cookie(app, user) for label, user in users.items()}
    return World(study.slug, study.id, other.id, users, tokens, args, cookies)


def _session_cookie(app: Flask, user) -> str:
    """Signed in once per user; each request then starts from a copy of that session."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("fourpart_session").value


def _project_code(session, study) -> str:
    from studies.models import BusinessComponent
    session.add(BusinessComponent(study_id=study.id, code="rag", name="Retrieval",
                                  sub_sector="ai_native_product_engineering"))
    session.commit()
    return "rag"


def _artifact_id(app: Flask, session, study) -> int:
    import io

    from core.blobs import FreshBlobs
    from evidence.models import ArtifactKind
    from evidence.store import Original, store_original
    blobs = FreshBlobs(app.extensions["fourpart.db"], app.extensions["fourpart.blobs"])
    original = Original(stream=io.BytesIO(b"# Retrieval notes\n"), original_name="notes.md",
                        media_type="text/markdown", kind=ArtifactKind.DOCUMENT, source="api",
                        path="notes.md", title="Retrieval notes")
    stored = store_original(session, blobs, study.id, original, uploaded_by_id=None)
    session.commit()
    return stored.artifact.id


def _token_of(session, study_id: int, user_id: int) -> int:
    from studies.tokens import tokens_of
    return tokens_of(session, study_id, user_id)[0].id


def _guarded_rules(app: Flask) -> list[tuple[Rule, AccessRule]]:
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in UNGUARDED_ENDPOINTS:
            continue
        access = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, None)
        assert access is not None, f"route {rule.rule} ({rule.endpoint}) has no access rule"
        rules.append((rule, access))
    return rules


def _url(rule: Rule, world: World) -> str:
    missing = set(rule.arguments) - set(world.args)
    assert not missing, f"route {rule.rule}: give the matrix a value for {sorted(missing)}"
    return rule.build({name: world.args[name] for name in rule.arguments}, append_unknown=False)[1]


def _request(app: Flask, db, method: str, url: str, cookie: str | None = None,
             token: str | None = None) -> int:
    client = app.test_client()
    if cookie:
        client.set_cookie("fourpart_session", cookie)
    nested = db.connection.begin_nested()
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.open(url, method=method, headers=headers, data={}).status_code
    finally:
        nested.rollback()


def _check_study_route(app, db, world, rule, access, method, url) -> None:
    assert _request(app, db, method, url) == 302, f"{method} {url}: anonymous not sent to sign-in"
    assert _request(app, db, method, url, world.cookies["outsider"]) == 404, f"{method} {url}: non-member"
    for role in Role:
        status = _request(app, db, method, url, world.cookies[role.value])
        if can(role, access.permission):
            assert status not in (401, 403, 500), f"{method} {url}: {role} refused ({status})"
            if not set(rule.arguments) & OBJECT_ARGS:
                assert status != 404, f"{method} {url}: {role} got 404"
        else:
            assert status == 403, f"{method} {url}: {role} without {access.permission} got {status}"


def _check_api_route(app, db, world, access, method, url) -> None:
    assert _request(app, db, method, url) == 401, f"{method} {url}: no token"
    assert _request(app, db, method, url, token="fp_not-a-real-token") == 401
    assert _request(app, db, method, url, token=world.tokens["outsider"]) == 404
    for label in ("engineer", "admin"):
        status = _request(app, db, method, url, token=world.tokens[label])
        if can(Role(label), access.permission):  # an empty body may be refused (400), not the token
            assert status not in (401, 403, 404) and status < 500, f"{method} {url}: {label} got {status}"
        else:
            assert status == 403, f"{method} {url}: {label} token without {access.permission} got {status}"


def test_every_route_answers_each_role_as_the_permissions_say(app: Flask, db, world: World) -> None:
    checked = 0
    for rule, access in _guarded_rules(app):
        url = _url(rule, world)
        for method in sorted(rule.methods - IGNORED_METHODS):
            if access.kind == "study":
                _check_study_route(app, db, world, rule, access, method, url)
            elif access.kind == "api":
                _check_api_route(app, db, world, access, method, url)
            elif access.kind == "signed_in":
                assert _request(app, db, method, url) in (302, 401), f"{method} {url} open to anonymous"
                assert _request(app, db, method, url, world.cookies["outsider"]) < 400
            else:
                assert _request(app, db, method, url) < 500
            checked += 1
    assert checked >= 15


def test_a_route_without_an_access_rule_is_caught(app: Flask) -> None:
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    with pytest.raises(AssertionError, match="has no access rule"):
        _guarded_rules(app)

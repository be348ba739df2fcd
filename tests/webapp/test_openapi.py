"""The OpenAPI document: valid, public, complete (every /api/v1 route), and true to the answers."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_spec

from studies.models import Role
from studies.services import membership_of
from studies.tokens import issue_token

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def spec(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")  # no token: the document is public
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.json


def openapi_path(rule: str) -> str:
    """``/studies/<int:study_id>`` as OpenAPI writes it: ``/studies/{study_id}``."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def undocumented(app: Flask, spec: dict[str, Any]) -> list[str]:
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        documented = spec["paths"].get(openapi_path(rule.rule), {})
        missing += [f"{method} {rule.rule}" for method in sorted(rule.methods - IGNORED_METHODS)
                    if method.lower() not in documented]
    return missing


def test_the_document_is_valid_openapi_3(spec) -> None:
    validate_spec(spec)
    assert spec["openapi"].startswith("3.")


def test_every_api_route_is_documented(app: Flask, spec) -> None:
    assert undocumented(app, spec) == []
    assert {"/api/v1/studies/{study_id}/artifacts", "/api/v1/studies/{study_id}/artifacts/{artifact_id}",
            "/api/v1/studies/{study_id}/jobs/{job_id}"} <= set(spec["paths"])


def test_a_route_added_without_documentation_is_caught(app: Flask) -> None:
    app.add_url_rule("/api/v1/studies/<int:study_id>/forgotten", "forgotten", lambda study_id: "")
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert undocumented(app, spec) == ["GET /api/v1/studies/<int:study_id>/forgotten"]


def test_every_route_but_the_document_needs_the_bearer_token(spec) -> None:
    [(name, scheme)] = spec["components"]["securitySchemes"].items()
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["security"] == [{name: []}]
    operations = {(path, method): op for path, item in spec["paths"].items()
                  for method, op in item.items() if method != "parameters"}
    assert operations.pop(("/api/v1/openapi.json", "get"))["security"] == []
    for (path, method), operation in operations.items():
        assert "security" not in operation, f"{method} {path} overrides the token requirement"
        assert {"401", "403", "404"} <= set(operation["responses"]), f"{method} {path}"


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_pushing_is_documented_as_a_multipart_body_of_files_and_paths(spec) -> None:
    push = spec["paths"]["/api/v1/studies/{study_id}/artifacts"]["post"]
    assert push["requestBody"]["required"] is True
    [(media_type, body)] = push["requestBody"]["content"].items()
    assert media_type == "multipart/form-data"
    fields = resolve(spec, body["schema"])["properties"]
    assert fields["file"] == {**fields["file"], "type": "array",
                              "items": {"type": "string", "format": "binary"}}
    assert fields["path"]["items"] == {"type": "string"}
    assert set(push["responses"]) >= {"202", "400", "413"}
    assert "Location" in push["responses"]["202"]["headers"]


def assert_answer_matches(spec: dict[str, Any], path: str, method: str, response) -> None:
    """The answer's body validates against the schema the document gives for its status."""
    documented = spec["paths"][path][method]["responses"]
    answer = documented.get(str(response.status_code)) or documented["default"]
    if "$ref" in answer:
        answer = spec["components"]["responses"][answer["$ref"].rsplit("/", 1)[-1]]
    schema = {**answer["content"]["application/json"]["schema"], "components": spec["components"]}
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(response.json)


def test_the_answers_are_the_ones_documented(client: FlaskClient, session, spec, make_user,
                                             make_study) -> None:
    engineer = make_user()
    study = make_study(members={engineer: Role.ENGINEER})
    _token, plaintext = issue_token(session, membership_of(session, study.id, engineer.id), "ci")
    session.commit()
    auth = {"Authorization": f"Bearer {plaintext}"}
    base = f"/api/v1/studies/{study.id}"
    line = json.dumps({"run": "r1", "status": "finished", "metrics": {"loss": 0.3}}) + "\n"

    pushed = client.post(f"{base}/artifacts", headers=auth, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(line.encode()), "run.jsonl")})
    assert pushed.status_code == 202
    assert_answer_matches(spec, "/api/v1/studies/{study_id}/artifacts", "post", pushed)
    job = client.get(pushed.json["job"]["url"], headers=auth)
    assert_answer_matches(spec, "/api/v1/studies/{study_id}/jobs/{job_id}", "get", job)
    artifact_id = job.json["result"]["artifacts"][0]["id"]
    checks = [
        ("/api/v1/studies/{study_id}", base, auth, 200),
        ("/api/v1/studies/{study_id}/artifacts", f"{base}/artifacts", auth, 200),
        ("/api/v1/studies/{study_id}/artifacts/{artifact_id}", f"{base}/artifacts/{artifact_id}", auth, 200),
        ("/api/v1/studies/{study_id}/artifacts/{artifact_id}", f"{base}/artifacts/{artifact_id + 99}",
         auth, 404),
        ("/api/v1/studies/{study_id}/artifacts", f"{base}/artifacts?kind=nonsense", auth, 422),
        ("/api/v1/studies/{study_id}", base, {}, 401),
    ]
    for path, url, headers, status in checks:
        response = client.get(url, headers=headers)
        assert response.status_code == status, (url, response.json)
        assert_answer_matches(spec, path, "get", response)


def test_unrouted_api_urls_answer_json(client) -> None:
    missing = client.get("/api/v1/no/such/thing")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404
    wrong_method = client.delete("/api/v1/openapi.json")
    assert wrong_method.status_code == 405 and wrong_method.is_json
    page = client.get("/no/such/page")
    assert page.status_code == 404 and not page.is_json

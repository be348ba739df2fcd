"""Per-study API tokens: shown once, stored hashed, scoped to one study, revocable."""

import datetime as dt
import hashlib

from sqlalchemy import select

from core.db import utcnow
from studies.models import ApiToken, Role
from studies.services import membership_of, remove_member
from studies.tokens import TokenError, issue_token, revoke_token


def _engineer_token(session, make_user, make_study):
    engineer = make_user()
    study = make_study(members={engineer: Role.ENGINEER})
    token, plaintext = issue_token(session, membership_of(session, study.id, engineer.id), "ci")
    session.commit()
    return study, token, plaintext


def test_token_is_stored_only_as_its_hash(session, make_user, make_study) -> None:
    _study, token, plaintext = _engineer_token(session, make_user, make_study)
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = session.scalars(select(ApiToken)).one()
    assert plaintext not in repr(vars(stored))


def test_api_answers_for_the_tokens_study_and_records_last_use(client, session, make_user,
                                                                make_study) -> None:
    study, token, plaintext = _engineer_token(session, make_user, make_study)
    response = client.get(f"/api/v1/studies/{study.id}", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    assert response.json["slug"] == study.slug and response.json["role"] == "engineer"
    session.refresh(token)
    assert token.last_used_at is not None


def test_other_study_revoked_expired_and_removed_member_are_refused(client, session, make_user,
                                                                    make_study) -> None:
    study, token, plaintext = _engineer_token(session, make_user, make_study)
    other = make_study()
    auth = {"Authorization": f"Bearer {plaintext}"}
    assert client.get(f"/api/v1/studies/{other.id}", headers=auth).status_code == 404
    token.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    expired = client.get(f"/api/v1/studies/{study.id}", headers=auth)
    assert expired.status_code == 401 and expired.json["error"]["status"] == 401
    assert "Bearer" in expired.json["error"]["message"]
    token.expires_at = None
    revoke_token(token)
    session.commit()
    assert client.get(f"/api/v1/studies/{study.id}", headers=auth).status_code == 401


def test_token_stops_working_when_its_owner_leaves_the_study(client, session, make_user,
                                                             make_study) -> None:
    study, token, plaintext = _engineer_token(session, make_user, make_study)
    admin = make_user()
    from studies.services import add_member
    add_member(session, study, admin, Role.ADMIN)
    remove_member(session, membership_of(session, study.id, token.user_id))
    session.commit()
    response = client.get(f"/api/v1/studies/{study.id}", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 404


def test_roles_without_token_rights_cannot_hold_tokens(session, make_user, make_study) -> None:
    cpa = make_user()
    study = make_study(members={cpa: Role.CPA})
    try:
        issue_token(session, membership_of(session, study.id, cpa.id), "x")
    except TokenError as exc:
        assert "cpa" in str(exc)
    else:
        raise AssertionError("a CPA got an API token")


def test_token_page_shows_the_plaintext_once(client, session, make_user, make_study, sign_in) -> None:
    engineer = make_user()
    study = make_study(members={engineer: Role.ENGINEER})
    sign_in(engineer)
    created = client.post(f"/studies/{study.slug}/tokens", data={"name": "nightly eval"})
    page = created.get_data(as_text=True)
    token = session.scalars(select(ApiToken)).one()
    assert token.prefix in page and "Copy this token now" in page
    again = client.get(f"/studies/{study.slug}/tokens").get_data(as_text=True)
    assert "Copy this token now" not in again and token.prefix in again

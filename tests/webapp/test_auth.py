from flask.testing import FlaskClient

from studies.models import Role
from tests.conftest import PASSWORD


def test_sign_in_then_see_own_studies_only(client: FlaskClient, make_user, make_study) -> None:
    alice, bob = make_user(name="Alice Admin"), make_user()
    mine = make_study(members={alice: Role.ADMIN})
    theirs = make_study(members={bob: Role.ADMIN})
    response = client.post("/sign-in", data={"email": alice.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert mine.title in page and theirs.title not in page
    assert client.get(f"/studies/{theirs.slug}/").status_code == 404


def test_wrong_password_and_unknown_user_get_the_same_answer(client: FlaskClient, make_user) -> None:
    user = make_user()
    wrong = client.post("/sign-in", data={"email": user.email, "password": "not the password"})
    unknown = client.post("/sign-in", data={"email": "nobody@example.test", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 200
    for response in (wrong, unknown):
        assert "E-mail or password is incorrect." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_in_is_throttled(client: FlaskClient, make_user) -> None:
    user = make_user()
    codes = [client.post("/sign-in", data={"email": user.email, "password": "bad password!"}).status_code
             for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[10:] == [429, 429]
    assert "Too many attempts" in client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD}).get_data(as_text=True)


def test_inactive_user_cannot_sign_in(client: FlaskClient, make_user, session) -> None:
    user = make_user()
    user.is_active = False
    session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_open_redirect_is_refused(client: FlaskClient, make_user) -> None:
    user = make_user()
    response = client.post("/sign-in?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_forms_need_a_csrf_token(app, make_user) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    response = app.test_client().post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_session_cookie_is_http_only_and_pages_send_security_headers(client, make_user, sign_in) -> None:
    sign_in(make_user())
    cookie = client.get_cookie("fourpart_session")
    assert cookie is not None and cookie.http_only
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"

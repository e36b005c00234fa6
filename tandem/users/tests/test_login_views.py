"""Logging in, out, and changing the password through the web pages."""

from testsupport.builders import PASSWORD


def test_login_page_has_the_login_form(client, db):
    html = client.get("/login/").content.decode()
    assert 'id="login-form"' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_a_user_logs_in_and_lands_on_the_overview(client, org):
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_explained(client, org):
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_returns_to_the_page_asked_for(client, org):
    response = client.post(
        "/login/?next=/accounts/",
        {"username": "alice", "password": PASSWORD, "next": "/accounts/"},
    )
    assert response["Location"] == "/accounts/"


def test_password_change(client, org):
    client.force_login(org.alice)
    new = "a-much-better-passphrase-42"
    response = client.post(
        "/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    org.alice.refresh_from_db()
    assert org.alice.check_password(new)


def test_password_change_explains_a_mismatch(client, org):
    client.force_login(org.alice)
    response = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": "x-long-pass-1", "new_password2": "other-2"},
    )
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()

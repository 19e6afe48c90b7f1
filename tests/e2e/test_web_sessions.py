"""Issue 12's attacks on sign-in and sessions, each as an attacker would try it: redirects off
the site, a session cookie that outlives its sign-out, timing that tells which users exist, weak
passwords, and sign-in limits that each worker (or each proxy) counted apart."""

from __future__ import annotations

import subprocess
import sys
import time as real_time

import pytest

from app import create_app
from app.web import sessions
from tests.conftest import app_config
from tests.e2e.server import ROOT, environment_for
from tests.e2e.web import PASSWORD, add_web_users, csrf_token, password_hash, sign_in  # noqa: F401


@pytest.fixture
def users(banban, password_hash):  # noqa: F811
    add_web_users(banban, password_hash)


@pytest.fixture
def tokens(banban, users):
    """API tokens of the web users (the office's and an agent's)."""
    return {name: banban.issue_token(name, actor="test") for name in ("office", "li")}


def token_of(client, path="/board") -> str:
    return csrf_token(client.get(path).get_data(as_text=True))


def copy_of(client, app):
    """Another browser holding a copy of the client's session cookie (a stolen cookie)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


# ---- 1: redirects after signing in and switching the language stay on the site ----------------


@pytest.mark.parametrize("evil", [
    "/%09/evil.example", "/%0A/x", "/%0D%0A/evil.example", "/%5Cevil.example",
    "//evil.example", "https://evil.example/", "/%E2%80%AE/evil", "/ /evil.example",
    "javascript:alert(1)",
])
def test_sign_in_never_redirects_off_the_site(client, users, evil):
    page = client.get("/login").get_data(as_text=True)

    answer = client.post(f"/login?next={evil}", data={
        "username": "zhang", "password": PASSWORD, "csrf_token": csrf_token(page)})

    assert answer.status_code == 302 and answer.location == "/"


@pytest.mark.parametrize("evil", ["/\t/evil.example", "/\n/x", "/\\evil.example",
                                  "//evil.example"])
def test_the_language_switch_never_redirects_off_the_site(client, users, evil):
    token = csrf_token(client.get("/login").get_data(as_text=True))

    answer = client.post("/lang/en", data={"csrf_token": token, "next": evil})

    assert answer.status_code == 302 and answer.location == "/"


def test_a_path_on_the_site_is_where_sign_in_goes_back_to(client, users):
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login?next=/projects%3Fphase%3Dland", data={
        "username": "zhang", "password": PASSWORD, "csrf_token": csrf_token(page)})
    assert answer.location == "/projects?phase=land"


# ---- 2: sessions held on the server end when they should ---------------------------------------


def test_a_copy_of_the_cookie_is_worth_nothing_after_sign_out(app, client, users):
    sign_in(client, "zhang")
    thief = copy_of(client, app)
    assert thief.get("/board").status_code == 200  # the copy works while the session does

    client.post("/logout", data={"csrf_token": token_of(client)})

    assert thief.get("/board").status_code == 302
    forged = thief.post("/logout", data={"csrf_token": "x"})  # nor can it write anything
    assert forged.status_code == 400


def test_the_session_id_changes_at_sign_in(client, users):
    client.get("/login")
    before = client.get_cookie("session").value
    sign_in(client, "zhang")
    assert client.get_cookie("session").value != before


def test_the_office_signs_a_user_out_everywhere_at_once(app, client, users, tokens):
    sign_in(client, "zhang")
    other = app.test_client()
    sign_in(other, "zhang")

    answer = client.post("/api/users/zhang/sign-out",
                         headers={"Authorization": f"Bearer {tokens['office']}"})

    assert answer.status_code == 204
    assert client.get("/board").status_code == 302 and other.get("/board").status_code == 302
    assert sign_in(client, "zhang").status_code == 302  # signing in again works
    assert client.get("/board").status_code == 200


def test_only_the_office_signs_out_someone_else(client, users, tokens):
    answer = client.post("/api/users/zhang/sign-out",
                         headers={"Authorization": f"Bearer {tokens['li']}"})
    assert (answer.status_code, answer.get_json()["code"]) == (403, "forbidden")
    assert client.post("/api/users/nobody/sign-out",
                       headers={"Authorization": f"Bearer {tokens['office']}"}
                       ).status_code == 404


def test_a_user_signs_themselves_out_everywhere_from_their_account(app, client, users):
    sign_in(client, "zhang")
    elsewhere = app.test_client()
    sign_in(elsewhere, "zhang")

    answer = client.post("/account/sign-out-everywhere",
                         data={"csrf_token": token_of(client, "/account/password")})

    assert answer.location.endswith("/login")
    assert client.get("/board").status_code == 302 and elsewhere.get("/board").status_code == 302


class Clock:
    """time.time() as seen by the sessions, moved forward at will."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def time(self) -> float:
        return real_time.time() + self.ahead


@pytest.fixture
def later(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(sessions, "time", clock)
    return clock


def test_a_session_idle_too_long_ends(client, users, later):
    sign_in(client, "zhang")
    later.ahead = 7 * 3600
    assert client.get("/board").status_code == 200  # within the 8 idle hours, and refreshed
    later.ahead = 14 * 3600
    assert client.get("/board").status_code == 200  # 7 hours after the last request
    later.ahead = 23 * 3600
    assert client.get("/board").status_code == 302  # 9 idle hours


def test_a_session_ends_a_day_after_its_sign_in_however_busy(client, users, later):
    sign_in(client, "zhang")
    for hours in range(2, 24, 2):
        later.ahead = hours * 3600
        assert client.get("/board").status_code == 200, hours
    later.ahead = 24 * 3600 + 60
    assert client.get("/board").status_code == 302


# ---- 6: timing tells nothing about who exists -------------------------------------------------


def test_every_failed_sign_in_verifies_a_password_hash(client, users, banban, monkeypatch):
    from app import security

    calls = []
    hasher = security._hasher

    class Spy:
        def verify(self, stored, given):
            calls.append(stored)
            return hasher.verify(stored, given)

        def hash(self, password):
            return hasher.hash(password)

    monkeypatch.setattr(security, "_hasher", Spy())
    banban.disable_user("wang", actor="test")

    for username, password in [("zhang", "wrong-password"), ("nobody", PASSWORD),
                               ("wang", PASSWORD)]:
        calls.clear()
        assert sign_in(client, username, password).status_code == 401
        # One argon2 verification each, with the same parameters as a real user's hash.
        assert len(calls) == 1 and calls[0].startswith("$argon2id$v=19$m=65536,t=3,p=4$")


# ---- 8: weak passwords are refused ------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password", "12345678", "zhang", "zhangzhang1", "banban-demo",
                                  "1234567890"])
def test_a_guessable_new_password_is_refused(client, users, banban, weak):
    sign_in(client, "zhang")
    before = banban.password_hash("zhang")

    answer = client.post("/account/password", data={
        "current": PASSWORD, "new": weak, "again": weak,
        "csrf_token": token_of(client, "/account/password")})

    assert answer.status_code == 422
    assert banban.password_hash("zhang") == before


def test_a_strong_new_password_is_set_and_ends_the_users_other_sessions(app, client, users,
                                                                        banban):
    sign_in(client, "zhang")
    elsewhere = app.test_client()
    sign_in(elsewhere, "zhang")
    new = "orchard lantern tiger 47"

    answer = client.post("/account/password", data={
        "current": PASSWORD, "new": new, "again": new,
        "csrf_token": token_of(client, "/account/password")})

    assert answer.status_code == 302
    assert client.get("/board").status_code == 200  # this session goes on
    assert elsewhere.get("/board").status_code == 302
    assert sign_in(app.test_client(), "zhang", new).status_code == 302


def test_a_wrong_current_password_changes_nothing(client, users, banban):
    sign_in(client, "zhang")
    before = banban.password_hash("zhang")
    new = "orchard lantern tiger 47"
    answer = client.post("/account/password", data={
        "current": "not-mine-at-all", "new": new, "again": new,
        "csrf_token": token_of(client, "/account/password")})
    assert answer.status_code == 422 and banban.password_hash("zhang") == before


# ---- 9: sign-in limits count every worker, per real client address -----------------------------


# Another worker: a process of its own on the same store, failing to sign in as zhang.
OTHER_WORKER = """
import sys
from app import create_app
from tests.e2e.web import sign_in
app = create_app({"TESTING": True})
client = app.test_client()
print([sign_in(client, "zhang", "wrong-password").status_code for _ in range(6)])
"""


def test_the_limits_count_the_attempts_of_every_worker(store_env, users, client):
    other = subprocess.run([sys.executable, "-c", OTHER_WORKER], cwd=ROOT, text=True,
                           env=environment_for(store_env), capture_output=True, timeout=120)
    assert other.stdout.strip() == str([401] * 6), other.stderr

    answers = [sign_in(client, "zhang", "wrong-password").status_code for _ in range(5)]

    assert answers == [401] * 4 + [429]  # the 11th failure, counting the other worker's


def attempt(client, address: str, password: str):
    """A sign-in as zhang from a client address as a proxy forwards it."""
    headers = {"X-Forwarded-For": address}
    page = client.get("/login", headers=headers).get_data(as_text=True)
    return client.post("/login", headers=headers, data={
        "username": "zhang", "password": password, "csrf_token": csrf_token(page)})


def test_behind_a_trusted_proxy_each_client_address_is_limited_apart(store_env, users):
    proxied = create_app(app_config(store_env) | {"BANBAN_TRUSTED_PROXIES": 1})
    try:
        client = proxied.test_client()
        failures = [attempt(client, "203.0.113.7", "wrong").status_code for _ in range(11)]
        assert failures == [401] * 10 + [429]
        assert attempt(client, "198.51.100.2", PASSWORD).status_code == 302  # a colleague
    finally:
        proxied.extensions["banban.store"].close()


def test_without_trusted_proxies_a_forwarded_address_is_ignored(client, users):
    for n in range(10):
        assert attempt(client, f"10.0.0.{n}", "wrong").status_code == 401
    assert attempt(client, "10.9.9.9", PASSWORD).status_code == 429

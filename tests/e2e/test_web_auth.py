"""Signing in and out, CSRF, security headers, languages and error pages of the web pages."""

from __future__ import annotations

import pytest

from tests.e2e.web import PASSWORD, add_web_users, csrf_token, password_hash, sign_in  # noqa: F401


@pytest.fixture
def users(banban, password_hash):  # noqa: F811
    add_web_users(banban, password_hash)


@pytest.mark.parametrize("username, home", [("zhang", "/board"), ("leader", "/dispatch/weekly"),
                                            ("office", "/projects"), ("auditor", "/audit")])
def test_signing_in_takes_each_role_where_it_works(client, users, username, home):
    assert client.get("/").location.endswith("/login")
    answer = sign_in(client, username)
    assert answer.status_code == 302
    assert client.get("/").location.endswith(home)
    assert client.get(home).status_code == 200


def test_a_wrong_password_or_unknown_user_is_refused_the_same_way(client, users):
    for username, password in [("zhang", "wrong-password"), ("nobody", PASSWORD)]:
        answer = sign_in(client, username, password)
        assert answer.status_code == 401
        assert "用户名或密码错误" in answer.get_data(as_text=True)
        assert client.get("/board").status_code == 302  # still signed out


def test_a_disabled_user_cannot_sign_in_and_is_signed_out(client, users, banban):
    assert sign_in(client, "wang").status_code == 302
    banban.disable_user("wang", actor="test")
    assert client.get("/board").status_code == 302
    assert sign_in(client, "wang").status_code == 401


def test_a_password_change_ends_existing_sessions(client, users, banban):
    from app.security import hash_password

    sign_in(client, "zhang")
    assert client.get("/board").status_code == 200
    banban.set_password("zhang", hash_password("another-pw-123"), actor="test")
    assert client.get("/board").status_code == 302


def test_pages_need_signing_in_and_the_right_role(client, users):
    assert client.get("/board").location.startswith("/login?next=")
    sign_in(client, "leader")
    assert client.get("/board").status_code == 403
    assert client.get("/audit").status_code == 403


def test_after_signing_in_the_user_goes_back_where_they_were_but_never_off_site(client, users):
    page = client.get("/login?next=/projects")
    answer = client.post("/login?next=/projects", data={
        "username": "zhang", "password": PASSWORD,
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert answer.location == "/projects"
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/projects").get_data(as_text=True))})
    for evil in ["//evil.example/x", "https://evil.example/", "/\\evil.example"]:
        page = client.get("/login")
        answer = client.post(f"/login?next={evil}", data={
            "username": "zhang", "password": PASSWORD,
            "csrf_token": csrf_token(page.get_data(as_text=True))})
        assert answer.location == "/", evil
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/projects").get_data(as_text=True))})


def test_forms_without_a_valid_csrf_token_are_refused(client, users):
    answer = client.post("/login", data={"username": "zhang", "password": PASSWORD})
    assert answer.status_code == 400
    sign_in(client, "zhang")
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/board").status_code == 200  # still signed in


def test_the_api_keeps_its_bearer_tokens_without_csrf(client, tokens):
    answer = client.get("/api/me", headers={"Authorization": f"Bearer {tokens['zhang']}"})
    assert answer.status_code == 200
    assert client.get("/api/nowhere").get_json()["status"] == 404


def test_sign_out_ends_the_session(client, users):
    sign_in(client, "zhang")
    token = csrf_token(client.get("/board").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).location.endswith("/login")
    assert client.get("/board").status_code == 302


def test_login_attempts_on_one_account_are_rate_limited_but_colleagues_can_sign_in(client, users):
    answers = [sign_in(client, "zhang", "wrong-password") for _ in range(11)]
    assert [a.status_code for a in answers[:10]] == [401] * 10
    assert answers[10].status_code == 429
    assert "尝试次数过多" in answers[10].get_data(as_text=True)
    assert sign_in(client, "zhang").status_code == 429  # even the right password, for now
    assert sign_in(client, "li").status_code == 302     # same address, another account


def test_pages_carry_security_headers_and_a_policy_without_inline_scripts(client, users):
    answer = client.get("/login")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in answer.get_data(as_text=True)
    assert " style=" not in answer.get_data(as_text=True)
    sign_in(client, "zhang")
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_pages_are_in_chinese_by_default_and_english_on_request(client, users):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page and "登录" in page
    token = csrf_token(page)
    answer = client.post("/lang/en", data={"csrf_token": token, "next": "/login"})
    assert answer.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Sign in" in page and "登录" not in page
    client.post("/lang/zh_CN", data={"csrf_token": csrf_token(page), "next": "https://evil.example"})
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_web_errors_are_pages_and_api_errors_stay_json(client, users):
    sign_in(client, "zhang")
    answer = client.get("/no/such/page")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "没有这个页面" in answer.get_data(as_text=True)
    assert client.get("/api/projects/nope").mimetype == "application/json"

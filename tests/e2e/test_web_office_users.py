"""The office runs its users from the browser: creates one (who then signs in with the password
shown once), renames, resets the password, disables and enables, each with its history."""

from __future__ import annotations

import html as entities
import re

import pytest

from app.security import verify_password
from tests.e2e.web import (  # noqa: F401 - fixtures
    PASSWORD,
    csrf_token,
    errors_of,
    overtaken,
    password_hash,
    sign_in,
)
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("tokens")


def shown_password(html: str) -> str:
    found = re.search(r'role="status">[^<]*[:：]\s*([A-Za-z0-9_-]{16})<', html)
    assert found, html
    return found.group(1)


def test_the_office_creates_a_user_who_then_signs_in(app, client):
    sign_in(client, "office")
    page = client.get("/office/users").get_data(as_text=True)
    created = client.post("/office/users", data={
        "csrf_token": csrf_token(page), "username": "sunli", "display_name": "孙丽",
        "role": "agent", "scope": ""}, follow_redirects=True)
    assert created.status_code == 200
    html = entities.unescape(created.get_data(as_text=True))
    assert "孙丽" in html and "创建" in html
    password = shown_password(html)

    newcomer = app.test_client()
    assert sign_in(newcomer, "sunli", password).status_code == 302
    assert "孙丽" in newcomer.get("/board").get_data(as_text=True)


def test_a_username_taken_is_refused_next_to_its_field(client):
    sign_in(client, "office")
    page = client.get("/office/users").get_data(as_text=True)
    again = client.post("/office/users", data={
        "csrf_token": csrf_token(page), "username": "zhang", "display_name": "另一个张伟",
        "role": "agent", "scope": ""})
    assert again.status_code == 422
    assert errors_of(again.get_data(as_text=True), "username") == ["该用户名已被使用。"]


def test_the_office_disables_renames_and_resets_with_history(app, client):
    sign_in(client, "office")
    page = client.get("/office/users/li").get_data(as_text=True)
    token = csrf_token(page)
    assert client.post("/office/users/li?action=rename", data={
        "csrf_token": token, "rename-display_name": "李娜娜"}).status_code == 302
    assert client.post("/office/users/li?action=disable", data={
        "csrf_token": token, "why-reason": "调离"}).status_code == 302
    assert sign_in(app.test_client(), "li").status_code != 302  # refused while disabled
    assert client.post("/office/users/li?action=enable",
                       data={"csrf_token": token}).status_code == 302
    reset = client.post("/office/users/li?action=password", data={"csrf_token": token},
                        follow_redirects=True)
    password = shown_password(entities.unescape(reset.get_data(as_text=True)))
    assert sign_in(app.test_client(), "li", PASSWORD).status_code != 302
    assert sign_in(app.test_client(), "li", password).status_code == 302

    history = client.get("/office/users/li").get_data(as_text=True)
    assert "李娜娜" in history and "调离" in history
    for change in ("改名", "停用", "启用", "设置密码"):
        assert change in history, change


def test_a_rename_overtaken_by_another_change_is_409_and_records_nothing(
        client, banban, monkeypatch):
    sign_in(client, "office")
    page = client.get("/office/users/li").get_data(as_text=True)
    overtaken(banban, monkeypatch,
              lambda: banban.rename_user("li", "李娜（另一位同事改的）", actor="office"))
    answer = client.post("/office/users/li?action=rename", data={
        "csrf_token": csrf_token(page), "rename-display_name": "李娜娜"})
    assert answer.status_code == 409
    assert errors_of(answer.get_data(as_text=True), "rename-display_name") == [
        "有人同时修改了这里，本次未记录任何内容。请核对页面上的内容后再提交。"]
    assert banban.user("li")["display_name"] == "李娜（另一位同事改的）"
    assert [change["display_name"] for change in banban.user_history("li")
            if change["type"] == "Renamed"] == ["李娜（另一位同事改的）"]


def test_a_disable_overtaken_by_another_disable_says_so_at_the_top_and_records_nothing(
        client, banban, monkeypatch):
    sign_in(client, "office")
    page = client.get("/office/users/li").get_data(as_text=True)
    overtaken(banban, monkeypatch,
              lambda: banban.disable_user("li", actor="office", reason="另一位同事停用"))
    answer = client.post("/office/users/li?action=disable", data={
        "csrf_token": csrf_token(page), "why-reason": "调岗"})
    assert answer.status_code == 409
    shown = answer.get_data(as_text=True)
    # The user is disabled now: the page offers to enable, and says why nothing was done.
    assert re.search(r'class="flash flash-error" role="status">有人同时修改了这里', shown)
    assert "action=enable" in shown and 'name="why-reason"' not in shown
    assert [(change["type"], change["reason"]) for change in banban.user_history("li")
            if change["type"] == "Disabled"] == [("Disabled", "另一位同事停用")]


@pytest.mark.parametrize("times, status", [(1, 302), (2, 409)])
def test_a_password_change_overtaken_once_is_made_on_the_user_as_it_now_is(
        client, banban, monkeypatch, times, status):
    sign_in(client, "li")
    page = client.get("/account/password").get_data(as_text=True)
    renames = iter(["李娜", "李娜娜"])
    overtaken(banban, monkeypatch,
              lambda: banban.rename_user("li", next(renames), actor="office"), times=times)
    answer = client.post("/account/password", data={
        "csrf_token": csrf_token(page), "current": PASSWORD,
        "new": "a-new-pass-phrase-9", "again": "a-new-pass-phrase-9"})
    assert answer.status_code == status
    changed = verify_password(banban.password_hash("li"), "a-new-pass-phrase-9")
    assert changed == (status == 302)
    assert verify_password(banban.password_hash("li"), PASSWORD) == (not changed)
    if not changed:
        assert "有人同时修改了这里" in answer.get_data(as_text=True)
    assert [change["type"] for change in banban.user_history("li")][-times - changed:] == \
        ["Renamed"] * times + ["PasswordSet"] * changed


def test_signing_out_everywhere_overtaken_once_still_ends_every_session(
        app, client, banban, monkeypatch):
    other = app.test_client()
    sign_in(other, "li")
    assert other.get("/board").status_code == 200
    sign_in(client, "office")
    page = client.get("/office/users/li").get_data(as_text=True)
    overtaken(banban, monkeypatch, lambda: banban.rename_user("li", "李娜", actor="office"))
    answer = client.post("/office/users/li?action=sign_out",
                         data={"csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    assert other.get("/board").status_code == 302  # signed out
    assert [change["type"] for change in banban.user_history("li")][-2:] == [
        "Renamed", "SignedOutEverywhere"]


def test_the_office_issues_an_api_token_shown_once(app, client):
    sign_in(client, "office")
    token = csrf_token(client.get("/office/users/li").get_data(as_text=True))
    issued = client.post("/office/users/li?action=token", data={"csrf_token": token},
                         follow_redirects=True)
    text = entities.unescape(issued.get_data(as_text=True))
    found = re.search(r"新的 API 令牌（仅显示这一次）：(li\.[A-Za-z0-9_-]+)", text)
    assert found, text
    answer = app.test_client().get("/api/projects",
                                   headers={"Authorization": f"Bearer {found.group(1)}"})
    assert answer.status_code == 200
    again = client.get("/office/users/li").get_data(as_text=True)
    assert "签发 API 令牌" in again and found.group(1) not in again


def test_only_the_office_manages_users(client):
    sign_in(client, "zhang")
    assert client.get("/office/users").status_code == 403
    assert client.get("/office/users/li").status_code == 403

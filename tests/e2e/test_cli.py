"""The `flask users ...` commands, run through Flask's CLI runner against a real store."""

from __future__ import annotations

import pytest

from app.security import verify_password
from tests.e2e.web import overtaken


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_users_create_stores_a_hashed_password_and_lists_the_user(runner, banban):
    result = runner.invoke(args=["users", "create", "zhangwei", "--role", "agent",
                                 "--password", "lantern-orchard-tiger-7", "--display-name", "张伟"])
    assert result.exit_code == 0, result.output
    assert "created zhangwei (agent, 张伟)" in result.output
    stored = banban.password_hash("zhangwei")
    assert stored != "lantern-orchard-tiger-7" and stored.startswith("$argon2")
    assert verify_password(stored, "lantern-orchard-tiger-7")
    assert not verify_password(stored, "wrong")

    listed = runner.invoke(args=["users", "list"])
    assert listed.exit_code == 0
    assert "zhangwei" in listed.output and "agent" in listed.output and "张伟" in listed.output


def test_users_create_without_a_password_prints_a_generated_one(runner, banban):
    result = runner.invoke(args=["users", "create", "office2", "--role", "office"])
    assert result.exit_code == 0, result.output
    password = result.output.strip().splitlines()[-1].removeprefix("password: ")
    assert verify_password(banban.password_hash("office2"), password)


def test_users_create_refuses_a_bad_role_and_a_duplicate_username(runner):
    bad = runner.invoke(args=["users", "create", "x1", "--role", "boss"])
    assert bad.exit_code != 0 and "boss" in bad.output
    assert runner.invoke(args=["users", "create", "dup", "--role", "agent"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "dup", "--role", "agent"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_users_token_prints_a_working_token_alone_on_the_last_line(runner, client):
    runner.invoke(args=["users", "create", "auditor1", "--role", "auditor"])
    result = runner.invoke(args=["users", "token", "auditor1"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert " " not in token
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["username"] == "auditor1"


def test_users_disable_refuses_the_user_from_then_on(runner, client):
    runner.invoke(args=["users", "create", "li", "--role", "agent"])
    token = runner.invoke(args=["users", "token", "li"]).output.strip().splitlines()[-1]
    result = runner.invoke(args=["users", "disable", "li"])
    assert result.exit_code == 0, result.output
    response = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "token", "li"]).exit_code != 0


def test_commands_about_an_unknown_user_fail_clearly(runner):
    for args in (["users", "token", "ghost"], ["users", "disable", "ghost"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "ghost" in result.output


@pytest.mark.parametrize("password, says", [
    ("", "at least 10 characters"),
    ("password1", "at least 10 characters"),
    ("12345678910", "too easy to guess"),
    ("passwordpassword", "too easy to guess"),
    ("weakling2026", "too easy to guess"),  # the username and a year
    ("张伟张伟张伟张伟张伟", "too easy to guess"),  # the display name, repeated
])
def test_a_short_or_guessable_password_is_refused_and_nothing_is_created(runner, password, says):
    result = runner.invoke(args=["users", "create", "weakling", "--role", "agent",
                                 "--display-name", "张伟", "--password", password])
    assert result.exit_code != 0 and says in result.output
    assert "weakling" not in runner.invoke(args=["users", "list"]).output


def test_setting_a_guessable_password_is_refused(runner, banban):
    runner.invoke(args=["users", "create", "li", "--role", "agent"])
    before = banban.password_hash("li")
    result = runner.invoke(args=["users", "password", "li"], input="li123456789\nli123456789\n")
    assert result.exit_code != 0 and "too easy to guess" in result.output
    assert banban.password_hash("li") == before


def test_a_username_with_a_trailing_newline_is_refused(runner):
    result = runner.invoke(args=["users", "create", "bob\n", "--role", "agent"])
    assert result.exit_code != 0 and "username" in result.output


def test_a_change_overtaken_by_another_at_the_same_moment_fails_saying_so(
        runner, banban, monkeypatch):
    assert runner.invoke(args=["users", "create", "wangfang", "--role", "agent",
                               "--display-name", "王芳"]).exit_code == 0
    overtaken(banban, monkeypatch,
              lambda: banban.rename_user("wangfang", "王芳芳", actor="office"))
    result = runner.invoke(args=["users", "disable", "wangfang", "--reason", "调岗"])
    assert result.exit_code == 1
    assert "changed by someone else at the same moment" in result.output
    assert "Traceback" not in result.output
    assert not banban.user("wangfang")["disabled"]
    assert banban.user("wangfang")["display_name"] == "王芳芳"

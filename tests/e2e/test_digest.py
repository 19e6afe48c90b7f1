"""The daily digest, end to end against local receivers: each person's reminders of the day,
once, through a WeCom-like webhook and over SMTP, retried with backoff; a receiver that is
down slows no request (requests never deliver)."""

from __future__ import annotations

import socket
import time
from email.header import decode_header, make_header

import pytest

from app import create_app
from app.digest import send_digests
from tests.conftest import TODAY, app_config
from tests.e2e.conftest import SIGNING, USERS
from tests.e2e.receivers import Smtp, Webhook

NAMES = {"zhang": "张伟", "li": "李娜", "leader": "刘建国"}


@pytest.fixture
def make_app(store_env):
    """Factory: the app with these digest settings, a project and an instruction today."""
    made = []

    def make(**settings):
        app = create_app(app_config(store_env) | {"BANBAN_DIGEST_BACKOFF": "0.01"} | settings)
        made.append(app)
        with app.app_context():
            from app.store import service

            banban = service()
            for username, role in USERS:
                banban.register_user(username, role, actor="test",
                                     display_name=NAMES.get(username))
            project = banban.sign_project("office", signed_on=TODAY, **{
                k: v for k, v in SIGNING.items() if k != "signed_on"})
            banban.record(project["id"], "leader", "instruction_given", expected_version=1,
                          occurred_on=TODAY, fields={"instruction": "本周内解决用地问题"})
        return app

    yield make
    for app in made:
        app.extensions["banban.store"].close()


def test_the_webhook_gets_each_persons_digest_once_after_retries(make_app):
    receiver = Webhook(failures=2)
    try:
        app = make_app(BANBAN_DIGEST_WEBHOOK=receiver.url)
        sent = send_digests(app, TODAY)
        again = send_digests(app, TODAY)
    finally:
        receiver.stop()

    assert sorted(sent["sent"]) == ["li", "zhang"] and sent["failed"] == []
    assert again == {"sent": [], "failed": []}  # each digest once
    assert receiver.attempts == 4  # two refusals, then one message per person
    texts = sorted(m["markdown"]["content"] for m in receiver.received)
    assert all(m["msgtype"] == "markdown" for m in receiver.received)
    assert texts[0].startswith("## 张伟：2026-11-25 新提醒 1 条") or \
        texts[1].startswith("## 张伟：2026-11-25 新提醒 1 条")
    assert all("鲁丽绿色新材料产业园 · 刘建国 作出批示" in t for t in texts)


def test_smtp_gets_each_persons_digest_after_a_refusal(make_app):
    server = Smtp(failures=1)
    try:
        app = make_app(BANBAN_DIGEST_SMTP_HOST="127.0.0.1",
                       BANBAN_DIGEST_SMTP_PORT=str(server.port),
                       BANBAN_DIGEST_MAIL_FROM="banban@anfu.test",
                       BANBAN_DIGEST_MAIL_TO="{username}@anfu.test")
        sent = send_digests(app, TODAY)
    finally:
        server.stop()

    assert sorted(sent["sent"]) == ["li", "zhang"]
    assert sorted(m["To"] for m in server.messages) == ["li@anfu.test", "zhang@anfu.test"]
    subjects = sorted(str(make_header(decode_header(m["Subject"]))) for m in server.messages)
    assert subjects == ["张伟：2026-11-25 新提醒 1 条", "李娜：2026-11-25 新提醒 1 条"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_receiver_that_is_down_slows_no_request_and_is_tried_again(make_app):
    app = make_app(BANBAN_DIGEST_WEBHOOK=f"http://127.0.0.1:{_closed_port()}/send",
                   BANBAN_DIGEST_ATTEMPTS="2")
    client = app.test_client()
    with app.app_context():
        from app.store import service

        token = service().issue_token("zhang", actor="test")
    started = time.monotonic()
    answer = client.get("/api/reminders", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.get_json()["unread"] == 1
    assert time.monotonic() - started < 2  # nothing is delivered in a request

    failed = send_digests(app, TODAY)
    assert sorted(failed["failed"]) == ["li", "zhang"]
    receiver = Webhook()
    try:
        app.extensions["banban.digest"] = app.extensions["banban.digest"].__class__(
            webhook=receiver.url, backoff=0.01)
        assert sorted(send_digests(app, TODAY)["sent"]) == ["li", "zhang"]  # tried again
    finally:
        receiver.stop()


def test_the_digest_command_says_when_none_is_configured(make_app):
    app = make_app()
    result = app.test_cli_runner().invoke(args=["reminders", "digest"])
    assert result.exit_code == 1 and "BANBAN_DIGEST_WEBHOOK" in result.output

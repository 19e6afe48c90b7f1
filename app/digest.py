"""The daily digest: each person's reminders of the day, sent once through a WeCom (企业微信)
group robot's webhook or by e-mail over SMTP. Both are off unless configured:

- BANBAN_DIGEST_WEBHOOK: the robot's URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…);
  one markdown message per person, naming them.
- BANBAN_DIGEST_SMTP_HOST (and _PORT, default 25; _USER and _PASSWORD to log in; _STARTTLS=1),
  BANBAN_DIGEST_MAIL_FROM and BANBAN_DIGEST_MAIL_TO, the address of a user as a pattern
  (`{username}@anfu.gov.cn`).
- BANBAN_DIGEST_ATTEMPTS (4) and BANBAN_DIGEST_BACKOFF (2 seconds, doubling between attempts).

Requests never deliver anything: `flask reminders digest` (from cron), or `flask projections run`
once a day after BANBAN_DIGEST_HOUR (17, county time), sends the day's digests. Each person's
digest of a day is claimed in the reminders view before it is sent, so two runners send it
once; a digest that still fails after its attempts is released, to be tried on the next run.
"""

from __future__ import annotations

import json
import smtplib
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

from flask import Flask, render_template
from flask_babel import force_locale

from app.config import ConfigError

TIMEOUT = 10  # seconds a receiver may take to answer one attempt


class DeliveryFailed(Exception):
    """A receiver refused or did not answer; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    webhook: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    starttls: bool = False
    mail_from: str | None = None
    mail_to: str | None = None
    attempts: int = 4
    backoff: float = 2.0
    hour: int = 17

    @property
    def on(self) -> bool:
        return bool(self.webhook or self.smtp_host)


def settings(environ: dict[str, str]) -> Settings:
    """The digest's settings from the environment; ConfigError naming what is missing."""
    get = environ.get
    try:
        found = _read(get)
    except ValueError as error:
        raise ConfigError(f"a BANBAN_DIGEST_* number is not a number: {error}") from None
    if found.smtp_host and not (found.mail_from and found.mail_to
                                and "{username}" in found.mail_to):
        raise ConfigError("BANBAN_DIGEST_SMTP_HOST needs BANBAN_DIGEST_MAIL_FROM and "
                          "BANBAN_DIGEST_MAIL_TO (a pattern such as {username}@anfu.gov.cn)")
    return found


def _read(get: Callable[[str], str | None]) -> Settings:
    return Settings(
        webhook=get("BANBAN_DIGEST_WEBHOOK") or None,
        smtp_host=get("BANBAN_DIGEST_SMTP_HOST") or None,
        smtp_port=int(get("BANBAN_DIGEST_SMTP_PORT") or 25),
        smtp_user=get("BANBAN_DIGEST_SMTP_USER") or None,
        smtp_password=get("BANBAN_DIGEST_SMTP_PASSWORD") or None,
        starttls=get("BANBAN_DIGEST_SMTP_STARTTLS") == "1",
        mail_from=get("BANBAN_DIGEST_MAIL_FROM") or None,
        mail_to=get("BANBAN_DIGEST_MAIL_TO") or None,
        attempts=max(1, int(get("BANBAN_DIGEST_ATTEMPTS") or 4)),
        backoff=float(get("BANBAN_DIGEST_BACKOFF") or 2.0),
        hour=int(get("BANBAN_DIGEST_HOUR") or 17),
    )


def with_retries(send: Callable[[], None], attempts: int, backoff: float,
                 sleep: Callable[[float], None] = time.sleep) -> int:
    """Call `send` until it succeeds, waiting `backoff` seconds, then twice as long, and so on
    between attempts; the attempts it took, or the last DeliveryFailed."""
    for attempt in range(1, attempts + 1):
        try:
            send()
            return attempt
        except DeliveryFailed:
            if attempt == attempts:
                raise
            sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def post_webhook(url: str, text: str) -> None:
    """One markdown message to a WeCom group robot; DeliveryFailed unless it says errcode 0."""
    body = json.dumps({"msgtype": "markdown", "markdown": {"content": text}},
                      ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            reply = json.loads(answer.read() or b"{}")
    except (OSError, ValueError) as error:
        raise DeliveryFailed(f"webhook: {error}") from None
    if reply.get("errcode") != 0:
        raise DeliveryFailed(f"webhook: errcode {reply.get('errcode')}: {reply.get('errmsg')}")


def send_mail(found: Settings, to: str, subject: str, text: str) -> None:
    """One plain-text e-mail over SMTP; DeliveryFailed when the server refuses or is away."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = found.mail_from, to, subject
    message.set_content(text)
    try:
        with smtplib.SMTP(found.smtp_host, found.smtp_port, timeout=TIMEOUT) as smtp:
            if found.starttls:
                smtp.starttls()
            if found.smtp_user:
                smtp.login(found.smtp_user, found.smtp_password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryFailed(f"smtp: {error}") from None


def send_digests(app: Flask, day: date | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> dict[str, list[str]]:
    """Send each person's digest of the day's reminders (once); who got one, who failed."""
    found = app.extensions["banban.digest"]
    result: dict[str, list[str]] = {"sent": [], "failed": []}
    if not found.on:
        return result
    store = app.extensions["banban.store"]
    view = store.reminders().view
    day = day or store.get().clock()
    names = {u["username"]: u["display_name"] for u in store.get().users()}
    for username in view.recipients_on(day):
        if not view.claim_digest(username, day):
            continue  # another runner has it
        rows = [r for r in view.reminders(username, limit=10_000) if r["on"] == day.isoformat()]
        subject, text = _digest(app, names.get(username, username), day, rows)
        try:
            _deliver(found, username, subject, text, sleep)
        except DeliveryFailed as error:
            view.release_digest(username, day)
            app.logger.warning("digest for %s on %s not sent: %s", username, day, error)
            result["failed"].append(username)
        else:
            result["sent"].append(username)
    return result


def _deliver(found: Settings, username: str, subject: str, text: str,
             sleep: Callable[[float], None]) -> None:
    if found.webhook:
        with_retries(lambda: post_webhook(found.webhook, f"## {subject}\n{text}"),
                     found.attempts, found.backoff, sleep)
    if found.smtp_host:
        to = found.mail_to.format(username=username)
        with_retries(lambda: send_mail(found, to, subject, text), found.attempts,
                     found.backoff, sleep)


def _digest(app: Flask, name: str, day: date, rows: list[dict[str, Any]]) -> tuple[str, str]:
    """The subject and text of a person's digest, in Chinese."""
    with app.test_request_context(), force_locale("zh_CN"):
        text = render_template("reminders/digest.txt", name=name, day=day, reminders=rows)
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def init_app(app: Flask) -> None:
    """Read the digest's settings (off unless configured)."""
    import os

    app.extensions["banban.digest"] = settings(dict(os.environ) | {
        k: v for k, v in app.config.items() if k.startswith("BANBAN_DIGEST_")})

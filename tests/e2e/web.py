"""Helpers of the web page tests: users with passwords, signing in through the form (with its
CSRF token), and reading pages."""

from __future__ import annotations

import re

import pytest

from app.security import hash_password
from tests.e2e.conftest import USERS

PASSWORD = "banban-test-pw"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per session


def add_web_users(banban, password_hash: str) -> None:
    """The e2e users (one per role and more agents), each able to sign in with PASSWORD."""
    for username, role in USERS:
        banban.register_user(username, role, actor="test", password_hash=password_hash)


@pytest.fixture
def web_tokens(banban, password_hash) -> dict[str, str]:
    """The e2e users, able to sign in to the pages too, and an API token for each."""
    add_web_users(banban, password_hash)
    return {username: banban.issue_token(username, actor="test") for username, _ in USERS}


def csrf_token(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    """Sign in through the login form, as a browser would; return the answer."""
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_token(page.get_data(as_text=True))})


def sign_form(client, **fields):
    """Post the signing form (a valid project unless `fields` say otherwise)."""
    page = client.get("/projects/new").get_data(as_text=True)
    return client.post("/projects/new", data={
        "csrf_token": csrf_token(page), "name": "培美新材料", "investor": "培美集团",
        "industry": "新材料", "investment": "50000", "chief_agent": "zhang",
        "signed_on": "2026-11-02", **fields})


def post_form(client, path: str, data: dict, page_path: str | None = None):
    """Post a form with the CSRF token of the page it is on (by default the same path)."""
    page = client.get(page_path or path)
    return client.post(path, data={**data, "csrf_token": csrf_token(page.get_data(as_text=True))})


def errors_of(html: str, name: str) -> list[str]:
    """The errors a form page shows next to the field `name` (empty if none)."""
    found = re.search(r'<div class="field has-error">\s*<label for="' + re.escape(name)
                      + r'".*?</div>', html, re.S)
    return re.findall(r'<small class="error" role="alert">(.*?)</small>',
                      found.group(0)) if found else []


def overtaken(banban, monkeypatch, meanwhile, times: int = 1) -> list[str]:
    """Make the next saves race another change: just before each of the next `times` saves,
    `meanwhile()` is done and saved by the real store (another office, another request), so
    the save that follows meets a real conflict in the store. Returns what was said to
    happen, in order."""
    save, said = banban.save, []

    def racing(*aggregates, **kwargs):
        monkeypatch.setattr(banban, "save", save)
        meanwhile()
        said.append("meanwhile saved")
        if len(said) < times:
            monkeypatch.setattr(banban, "save", racing)
        return save(*aggregates, **kwargs)

    monkeypatch.setattr(banban, "save", racing)
    return said

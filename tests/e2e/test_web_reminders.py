"""My reminders on the pages: the header counts the unread ones, the page lists them, opening
one shows its project and it is read on the next page."""

from __future__ import annotations

import re

from tests.e2e.test_api_reminders import _commitment_due_tomorrow
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401 - a fixture

# The API's users sign in on the pages too.
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture


def unread_badge(html: str) -> str | None:
    found = re.search(r'class="reminders-link">[^<]*<span class="badge[^"]*"[^>]*>(\d+)<', html)
    return found and found.group(1)


def test_an_agent_opens_a_reminder_and_it_is_read_on_the_next_page(client, api, project):
    sign_in(client, "zhang")
    assert unread_badge(client.get("/board").get_data(as_text=True)) is None

    _commitment_due_tomorrow(api, project["id"])

    assert unread_badge(client.get("/board").get_data(as_text=True)) == "1"
    page = client.get("/reminders").get_data(as_text=True)
    assert "环评 (生态环境局)" in page and "新" in page
    link = re.search(r'href="(/reminders/[0-9a-f]+)"', page).group(1)
    opened = client.get(link)
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/projects/{project['id']}")
    after = client.get("/reminders").get_data(as_text=True)
    assert unread_badge(after) is None
    assert 'class="read"' in after and 'class="unread"' not in after


def test_marking_all_read_and_another_persons_reminder(app, client, api, project):
    _commitment_due_tomorrow(api, project["id"])
    other = app.test_client()
    sign_in(other, "li")
    assert "环评" not in other.get("/reminders").get_data(as_text=True)
    sign_in(client, "zhang")
    page = client.get("/reminders").get_data(as_text=True)
    client.post("/reminders/read", data={"csrf_token": csrf_token(page)})
    assert unread_badge(client.get("/reminders").get_data(as_text=True)) is None
    assert client.get("/reminders/0123456789abcdef01234567").status_code == 404

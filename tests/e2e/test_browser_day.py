"""Through a real browser: the secretaries' and the office's day (reminders, users, catalogues)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from domain.application import county_today
from tests.e2e.browser import (  # noqa: F401 - fixtures
    PHONE,
    chromium,
    live_server,
    seed_users,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def county(store_env):
    """A signed project (chief zhang, co-agent li), dated around the real today."""
    today = county_today()
    banban = seed_users(store_env, today)
    made = banban.sign_project(
        "office", signed_on=today - timedelta(days=60), name="鲁丽绿色新材料产业园",
        investor="鲁丽集团", industry="新材料", investment=10_000_000_000, park="安福工业园",
        chief_agent="zhang", co_agents=["li"], leader="leader")
    yield {"project": made, "today": today, "banban": banban}
    banban.close()


def _until(page, url: str, check, seconds: float = 20.0):
    """Load the page until `check(page)` holds (the views catch up on a request), or fail."""
    deadline = time.monotonic() + seconds
    while True:
        page.goto(url)
        if check(page):
            return
        assert time.monotonic() < deadline, f"{url} never showed what was expected"
        time.sleep(0.2)


def test_an_agent_sees_a_reminder_appear_opens_it_and_it_is_read(chromium, live_server,
                                                                 county):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "zhang")
    assert page.locator(".reminders-link .badge").count() == 0
    banban, project = county["banban"], county["project"]
    banban.record(project["id"], "office", "approval_applied", expected_version=1,
                  fields={"approval_id": "A1", "item": "环评", "department": "生态环境局"})
    banban.record(project["id"], "office", "approval_granted", expected_version=2,
                  fields={"approval_id": "A1", "missing_documents": ["环评报告"],
                          "commitment_due_on": county["today"] + timedelta(days=1)})

    _until(page, f"{live_server.url}/board",
           lambda p: p.locator(".reminders-link .badge").count() == 1)
    assert page.locator(".reminders-link .badge").inner_text() == "1"
    page.locator(".reminders-link").click()
    page.locator(".reminders li.unread a").first.click()
    page.wait_for_url(f"**/projects/{project['id']}")
    assert page.locator(".reminders-link .badge").count() == 0  # read on the next page
    page.goto(f"{live_server.url}/reminders")
    assert page.locator(".reminders li.read").count() == 1
    context.close()


def test_the_office_creates_a_user_who_then_signs_in(chromium, live_server, county):
    office = chromium.new_context(locale="zh-CN")
    page = office.new_page()
    sign_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/office/users")
    page.fill("#username", "sunli")
    page.fill("#display_name", "孙丽")
    page.select_option("#role", "agent")
    page.get_by_role("button", name="创建用户").click()
    page.wait_for_url("**/office/users/sunli")
    flash = page.locator(".flash").inner_text()
    password = flash.rsplit("：", 1)[1].strip()

    newcomer = chromium.new_context(locale="zh-CN")
    other = newcomer.new_page()
    other.goto(f"{live_server.url}/login")
    other.fill("#username", "sunli")
    other.fill("#password", password)
    other.click("button.primary")
    other.wait_for_url("**/board")
    assert other.locator(".who").inner_text() == "孙丽"
    office.close()
    newcomer.close()


def test_a_catalogue_value_the_office_adds_is_offered_in_a_form(chromium, live_server, county):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/office/catalogues")
    page.fill("#value-units", "县自然资源局")
    page.locator("#units button.primary").click()
    page.wait_for_url("**/office/catalogues")

    page.goto(f"{live_server.url}/projects/{county['project']['id']}/record/problem_raised")
    offered = page.locator("#offered-responsible_unit option")
    assert offered.count() == 1 and offered.first.get_attribute("value") == "县自然资源局"
    assert page.locator("#responsible_unit").get_attribute("list") == "offered-responsible_unit"
    context.close()

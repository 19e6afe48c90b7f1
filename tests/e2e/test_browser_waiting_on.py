"""Through a real browser: whom a project waits on, on an agent's board (one line per project)
and in the county's waiting-on table on the weekly dispatch page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.application import county_today
from domain.calendar import PACKAGE_CALENDAR
from tests.e2e.browser import PHONE, live_server, seed_users, sign_in  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

LAND_BUREAU = "县自然资源局"


@pytest.fixture
def waiting(store_env):
    """A project with a plan ahead and an approval item pending at 县自然资源局 for 20 days,
    around the real today; the working days it has waited, by the official calendar."""
    today = county_today()
    applied_on = today - timedelta(days=20)
    banban = seed_users(store_env, today)
    made = banban.sign_project(
        "office", signed_on=today - timedelta(days=60), name="鲁丽绿色新材料产业园",
        investor="鲁丽集团", industry="新材料", investment=10_000_000_000, park="安福工业园",
        chief_agent="zhang", co_agents=["li"], leader="leader")
    banban.record(made["id"], "zhang", "milestone_planned", expected_version=1,
                  occurred_on=today - timedelta(days=50),
                  fields={"milestone": "park_review_passed",
                          "planned_on": today + timedelta(days=30)})
    banban.record(made["id"], "zhang", "approval_applied", expected_version=2,
                  occurred_on=applied_on,
                  fields={"approval_id": "A1", "item": "用地预审", "department": LAND_BUREAU})
    yield PACKAGE_CALENDAR.working_days_between(applied_on, today)
    banban.close()


def test_the_board_says_whom_a_project_waits_on_and_the_dispatch_page_ranks_the_parties(
        chromium, live_server, waiting):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "zhang")
    assert page.url.endswith("/board")
    line = page.locator(".project-card .waiting").first
    assert line.inner_text() == f"等待：{LAND_BUREAU} {waiting} 个工作日"
    assert line.is_visible()
    context.close()

    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "leader")
    assert "/dispatch/weekly" in page.url
    section = page.locator("#waiting-on-section")
    assert section.locator("summary").inner_text().startswith("等待谁")
    table = section.locator("table").first
    headers = table.locator("th").all_inner_texts()
    assert headers[:4] == ["名次", "等待谁", "类别", "等待中的项目数"]
    cells = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells == ["1", LAND_BUREAU, "部门", "1", str(waiting), str(waiting)]
    context.close()

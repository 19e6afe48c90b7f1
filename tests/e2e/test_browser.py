"""Through a real browser: the journeys of a help secretary, a leader, an auditor and the
office."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from domain.application import county_today
from tests.e2e.browser import (  # noqa: F401 - fixtures
    PHONE,
    live_server,
    seed_users,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def plain_county(store_env):
    """A signed project (chief zhang, co-agent li) with nothing else, around the real today."""
    today = county_today()
    banban = seed_users(store_env, today)
    made = banban.sign_project(
        "office", signed_on=today - timedelta(days=60), name="鲁丽绿色新材料产业园",
        investor="鲁丽集团", industry="新材料", investment=10_000_000_000, park="安福工业园",
        chief_agent="zhang", co_agents=["li"], leader="leader")
    yield {"project": made, "today": today, "banban": banban}
    banban.close()


@pytest.fixture
def county(plain_county):
    """The signed project with a plan, dated around the real today."""
    today, banban = plain_county["today"], plain_county["banban"]
    banban.record(plain_county["project"]["id"], "zhang", "milestone_planned",
                  expected_version=1, occurred_on=today - timedelta(days=50),
                  fields={"milestone": "land_approved", "planned_on": today + timedelta(days=30)})
    return plain_county


def test_an_agent_records_a_milestone_on_a_phone_and_sees_it_on_the_board(
        chromium, live_server, county):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "zhang")
    assert page.url.endswith("/board")
    assert page.get_by_text("用地报批获批").first.is_visible()
    page.get_by_role("link", name="鲁丽绿色新材料产业园").click()
    page.get_by_role("link", name="节点完成").click()
    page.select_option("#milestone", "land_approved")
    page.fill("#note", "省厅批复")
    page.get_by_role("button", name="记录").click()
    page.wait_for_url(f"**/projects/{county['project']['id']}")
    assert page.get_by_text("已记录：节点完成").is_visible()
    # The board of another member of the team shows it at once (any worker).
    page.goto(f"{live_server.url}/board")
    assert "未计划" in page.inner_text(".project-card")  # no next milestone now
    history = county["banban"].history(county["project"]["id"])
    assert (history[-1]["type"], history[-1]["actor"]) == ("milestone_reached", "zhang")
    # Nothing overflows a 375-px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not errors, errors  # no CSP violations or script errors
    context.close()


def test_a_bad_form_input_shows_its_error_and_records_nothing(chromium, live_server, county):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "li")
    page.goto(f"{live_server.url}/projects/{county['project']['id']}/record/progress_reported")
    page.fill("#investment_completed", "1.23456")  # finer than a yuan
    tomorrow = (county["today"] + timedelta(days=1)).isoformat()
    page.evaluate("document.querySelector('#occurred_on').removeAttribute('max')")
    page.fill("#occurred_on", tomorrow)
    page.get_by_role("button", name="记录").click()
    field = page.locator(".field.has-error", has=page.locator("#investment_completed"))
    assert "最多 4 位小数" in field.locator(".error").inner_text()
    date_field = page.locator(".field.has-error", has=page.locator("#occurred_on"))
    assert "日期不能晚于今天" in date_field.inner_text()
    assert county["banban"].project(county["project"]["id"])["version"] == 2
    context.close()


def test_an_auditor_views_a_project_as_of_an_earlier_time(chromium, live_server, county):
    import time
    from zoneinfo import ZoneInfo

    banban, project_id = county["banban"], county["project"]["id"]
    time.sleep(1.1)  # the milestone is recorded in a later second than the plan
    banban.record(project_id, "zhang", "milestone_reached", expected_version=2,
                  occurred_on=county["today"], fields={"milestone": "land_approved"})
    planned_at = banban.history(project_id)[1]["recorded_at"].astimezone(ZoneInfo("Asia/Shanghai"))
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "auditor")
    page.goto(f"{live_server.url}/audit/projects/{project_id}/history")
    assert "节点完成" in page.locator("main table").first.inner_text()
    page.goto(f"{live_server.url}/audit/projects/{project_id}/as-of")
    page.fill("#at", planned_at.strftime("%Y-%m-%dT%H:%M:%S"))
    page.locator("form:has(#at) button").click()
    page.wait_for_url("**/as-of?at=*")
    table = page.locator("table", has=page.get_by_text("用地报批获批")).first
    row = table.locator("tr", has=page.get_by_text("用地报批获批"))
    assert county["today"].isoformat() not in row.inner_text()  # not reached as of then
    page.goto(f"{live_server.url}/audit/projects/{project_id}/as-of?version=3")
    row = page.locator("tr", has=page.get_by_text("用地报批获批")).first
    assert county["today"].isoformat() in row.inner_text()  # reached at version 3
    context.close()


def test_a_leader_opens_the_weekly_dispatch_page_and_downloads_its_excel(
        chromium, live_server, county, tmp_path):
    import openpyxl

    banban, project_id = county["banban"], county["project"]["id"]
    banban.record(project_id, "zhang", "problem_raised", expected_version=2,
                  occurred_on=county["today"] - timedelta(days=20),
                  fields={"problem_id": "P1", "title": "施工用电未接入"})
    context = chromium.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    sign_in(page, live_server.url, "leader")
    assert "/dispatch/weekly" in page.url
    assert page.locator(".meeting").first.inner_text().startswith("周调度")
    week = county["today"].isocalendar()
    assert page.locator("h1").first.inner_text().startswith(f"{week.year}年第{week.week}周（")
    flags = page.locator("details", has=page.get_by_text("施工用电未接入")).first
    flags.locator("summary").click()  # a red flag opens its explanation
    explanation = flags.inner_text()
    assert "张伟" in explanation and county["today"].isoformat() in explanation
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == f"周调度-{week.year}年第{week.week}周.xlsx"
    book = openpyxl.load_workbook(path)
    assert "红灯事项" in book.sheetnames
    cells = [str(c.value) for row in book["红灯事项"].iter_rows() for c in row if c.value]
    assert any("施工用电未接入" in c for c in cells)
    context.close()


# ---- the secretaries' and the office's day: reminders, users, catalogues, the board --------


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
                                                                 plain_county):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "zhang")
    assert page.locator(".reminders-link .badge").count() == 0
    banban, project = plain_county["banban"], plain_county["project"]
    banban.record(project["id"], "office", "approval_applied", expected_version=1,
                  fields={"approval_id": "A1", "item": "环评", "department": "生态环境局"})
    banban.record(project["id"], "office", "approval_granted", expected_version=2,
                  fields={"approval_id": "A1", "missing_documents": ["环评报告"],
                          "commitment_due_on": plain_county["today"] + timedelta(days=1)})

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


def test_the_office_creates_a_user_who_then_signs_in(chromium, live_server, plain_county):
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


def test_a_catalogue_value_the_office_adds_is_offered_in_a_form(chromium, live_server,
                                                                plain_county):
    context = chromium.new_context(locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "office")
    page.goto(f"{live_server.url}/office/catalogues")
    page.fill("#value-units", "县自然资源局")
    page.locator("#units button.primary").click()
    page.wait_for_url("**/office/catalogues")

    project_id = plain_county["project"]["id"]
    page.goto(f"{live_server.url}/projects/{project_id}/record/problem_raised")
    offered = page.locator("#offered-responsible_unit option")
    assert offered.count() == 1 and offered.first.get_attribute("value") == "县自然资源局"
    assert page.locator("#responsible_unit").get_attribute("list") == "offered-responsible_unit"
    context.close()


def test_the_busiest_demo_agents_board_is_at_most_four_phone_screens(chromium, store_env):
    from app.demo import DEMO_PASSWORD, load_demo
    from app.security import hash_password
    from domain.application import Banban
    from tests.e2e.server import Gunicorn

    banban = Banban(env=store_env, clock=county_today)
    try:
        load_demo(banban, today=county_today(), hash_password=hash_password)
        agents = [u["username"] for u in banban.users() if u["role"] == "agent"]
        busiest = max(agents, key=lambda a: len(banban.board(a)["projects"]))
        projects = len(banban.board(busiest)["projects"])
    finally:
        banban.close()
    server = Gunicorn(store_env, workers=2)
    try:
        context = chromium.new_context(viewport=PHONE, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{server.url}/login")
        page.fill("#username", busiest)
        page.fill("#password", DEMO_PASSWORD)
        page.click("button.primary")
        page.wait_for_url("**/board")
        assert page.locator(".project-card").count() == projects
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= 4 * PHONE["height"], (busiest, projects, height)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        context.close()
    finally:
        server.stop()


def test_the_office_reassigns_a_team_from_the_teams_page_on_a_phone(chromium, live_server,
                                                                    plain_county):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "office")
    page.get_by_role("link", name="代办队伍").click()
    page.wait_for_url("**/office/teams")
    assert "首席代办员 张伟 · 代办员 李娜" in page.locator("ul.teams").inner_text()
    page.get_by_text("调整团队").click()
    form = page.locator("ul.teams form").first
    form.locator("select[name=chief_agent]").select_option("li")
    form.locator("input[name=co_agents][value=li]").uncheck()
    form.locator("input[name=co_agents][value=zhang]").check()
    form.locator("textarea[name=reason], input[name=reason]").fill("分工调整")
    form.get_by_role("button", name="记录").click()
    page.wait_for_url("**/office/teams")
    assert "首席代办员 李娜 · 代办员 张伟" in page.locator("ul.teams").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

"""Counties and scopes: a county's users see and record only their county (another county's
project, board or report is 404 to them, on the API and the pages); province users read every
county and record on none; the province summary and a county's report; `flask counties`."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from urllib.parse import quote, unquote

import openpyxl
import pytest
from pypdf import PdfReader

from domain import dispatching
from domain.counties import COUNTIES_ID

from tests.e2e.web import PASSWORD, csrf_token, password_hash, sign_in  # noqa: F401

ANFU, XINGAN = "360829", "360824"  # 安福县 (home) and 新干县, both in 吉安市
PERIOD = "2026-W48"
COUNTY_USERS = {ANFU: [("office_a", "office"), ("agent_a", "agent"), ("agent_a2", "agent"),
                       ("leader_a", "leader"), ("auditor_a", "auditor")],
                XINGAN: [("office_b", "office"), ("agent_b", "agent"), ("leader_b", "leader"),
                         ("auditor_b", "auditor")]}
PROVINCE_USERS = [("office_p", "office"), ("leader_p", "leader"), ("auditor_p", "auditor")]


def signing(name: str, chief: str, **more) -> dict:
    return {"name": name, "investor": f"{name}有限公司", "industry": "新材料",
            "investment": 500_000_000, "park": None, "signed_on": "2026-11-24",
            "chief_agent": chief, "co_agents": [], "leader": None} | more


@pytest.fixture
def province(banban, client, password_hash):  # noqa: F811
    """Two counties, their users and the province's, a project in each; returns API helpers."""
    banban.add_county(ANFU, "安福县", "吉安市", actor="test")
    banban.add_county(XINGAN, "新干县", "吉安市", actor="test")
    tokens = {}
    for county, users in COUNTY_USERS.items():
        for username, role in users:
            banban.register_user(username, role, actor="test", password_hash=password_hash,
                                 scope=county)
            tokens[username] = banban.issue_token(username, actor="test")
    for username, role in PROVINCE_USERS:
        banban.register_user(username, role, actor="test", password_hash=password_hash,
                             scope="province")
        tokens[username] = banban.issue_token(username, actor="test")

    class Api:
        def get(self, user, path):
            return client.get(path, headers={"Authorization": f"Bearer {tokens[user]}"})

        def post(self, user, path, body=None):
            return client.post(path, json=body or {},
                               headers={"Authorization": f"Bearer {tokens[user]}"})

    api = Api()
    api.a = api.post("office_a", "/api/projects", signing("安福光伏", "agent_a")).get_json()
    api.b = api.post("office_b", "/api/projects", signing("新干盐化", "agent_b")).get_json()
    assert api.a["county"] == ANFU and api.b["county"] == XINGAN
    return api


def visit(api, user, project):
    return api.post(user, f"/api/projects/{project['id']}/events", {
        "type": "visit_logged", "expected_version": project["version"], "purpose": "走访"})


# ---- the matrix: county users against another county ------------------------------------------


@pytest.mark.parametrize("user", [u for u, _ in COUNTY_USERS[ANFU]])
def test_a_county_user_finds_nothing_of_another_county_on_the_api(province, user):
    b = province.b
    for path in (f"/api/projects/{b['id']}", f"/api/projects/{b['id']}/events",
                 f"/api/projects/{b['id']}?version=1"):
        assert province.get(user, path).status_code == 404, path
    assert visit(province, user, b).status_code == 404
    assert province.get(user, "/api/boards/agent_b").status_code == 404
    for path in (f"/api/dispatch/weekly/{PERIOD}", f"/api/dispatch/weekly/{PERIOD}/trend",
                 f"/api/dispatch/weekly/{PERIOD}/published",
                 f"/api/dispatch/weekly/{PERIOD}/changes", "/api/dispatch/weekly"):
        report = province.get(user, f"{path}?county={XINGAN}")
        assert (report.status_code, report.get_json()["code"]) == (404, "county_not_found"), path
    listed = province.get(user, f"/api/projects?county={XINGAN}").get_json()
    assert [p["name"] for p in listed["projects"]] == ["安福光伏"]


@pytest.mark.parametrize("user", [u for u, _ in COUNTY_USERS[ANFU]])
def test_a_county_user_finds_nothing_of_another_county_on_the_pages(app, province, user):
    """Another county's project, its forms and its county's reports are not found. A page
    the user's role may not open at all (a leader's form, an agent's audit) is refused
    for their own county's project alike, so the refusal tells nothing of the other's."""
    for office in ("office_a", "office_b"):
        assert province.post(office, f"/api/dispatch/weekly/{PERIOD}/publish").status_code == 201
    browser = app.test_client()
    assert sign_in(browser, user).status_code == 302
    for path in ("/projects/{}", "/projects/{}/record/visit_logged",
                 "/audit/projects/{}/history", "/audit/projects/{}/as-of?version=1",
                 "/audit/projects/{}/diff?from=1&to=1"):
        own = browser.get(path.format(province.a["id"])).status_code
        other = browser.get(path.format(province.b["id"])).status_code
        assert other == 404 or other == own == 403, (path, own, other)
    for path in (f"/dispatch/weekly/{PERIOD}", f"/dispatch/weekly/{PERIOD}.xlsx",
                 f"/dispatch/weekly/{PERIOD}/sheet", f"/dispatch/weekly/{PERIOD}/sheet.pdf",
                 "/dispatch/weekly", f"/audit/dispatch/weekly/{PERIOD}/published"):
        own = browser.get(path).status_code
        other = browser.get(f"{path}?county={XINGAN}").status_code
        assert other == 404 or other == own == 403, (path, own, other)
    # Recording on the other county's project through its form: refused, nothing recorded.
    form = browser.get(f"/projects/{province.a['id']}/record/visit_logged")
    if form.status_code == 200:
        posted = browser.post(f"/projects/{province.b['id']}/record/visit_logged", data={
            "csrf_token": csrf_token(form.get_data(as_text=True)), "purpose": "走访",
            "expected_version": province.b["version"], "occurred_on": "2026-11-25"})
        assert posted.status_code == 404
    assert province.get("office_b", f"/api/projects/{province.b['id']}").get_json()[
        "version"] == province.b["version"]
    if user in ("office_a", "agent_a", "agent_a2"):
        page = browser.get("/projects").get_data(as_text=True)
        assert "安福光伏" in page and "新干盐化" not in page


def test_a_county_user_reads_and_records_their_own_county(province):
    a = province.a
    assert province.get("agent_a", f"/api/projects/{a['id']}").status_code == 200
    assert visit(province, "agent_a", a).status_code == 201
    board = province.get("agent_a", "/api/boards/agent_a").get_json()
    assert [card["name"] for card in board["projects"]] == ["安福光伏"]
    report = province.get("leader_a", f"/api/dispatch/weekly/{PERIOD}").get_json()
    assert [p["name"] for p in report["signed"]["projects"]] == ["安福光伏"]


# ---- the province ------------------------------------------------------------------------------


@pytest.mark.parametrize("user", [u for u, _ in PROVINCE_USERS])
def test_province_users_read_every_county(province, user):
    for project in (province.a, province.b):
        assert province.get(user, f"/api/projects/{project['id']}").status_code == 200
    listed = province.get(user, "/api/projects").get_json()
    assert sorted(p["name"] for p in listed["projects"]) == ["安福光伏", "新干盐化"]
    assert province.get(user, "/api/boards/agent_b").status_code == 200


@pytest.mark.parametrize("user", [u for u, _ in PROVINCE_USERS])
def test_province_users_read_every_county_on_the_pages(app, province, user):
    browser = app.test_client()
    assert sign_in(browser, user).status_code == 302
    for project in (province.a, province.b):
        assert browser.get(f"/projects/{project['id']}").status_code == 200
        history = browser.get(f"/audit/projects/{project['id']}/history").status_code
        assert history == (200 if user == "auditor_p" else 403)
    for county in (ANFU, XINGAN):
        for path in (f"/dispatch/weekly/{PERIOD}", f"/dispatch/weekly/{PERIOD}.xlsx",
                     f"/dispatch/weekly/{PERIOD}/sheet"):
            assert browser.get(f"{path}?county={county}").status_code == 200, (path, county)


@pytest.mark.parametrize(("user", "path"), [(u, "/projects") for u, _ in PROVINCE_USERS]
                         + [("office_p", "/office/teams")])
def test_a_province_users_project_pages_offer_the_counties_first(
        app, province, banban, monkeypatch, user, path):
    """Without `?county=` a province user's project list (and the province office's teams)
    lists the counties, each a link to its projects, reading no project; with it, that
    county's projects, the county named and a way back to them all."""
    loaded, get = [], banban._reads.get
    monkeypatch.setattr(banban._reads, "get", lambda aggregate_id, *args, **kwargs: loaded.append(
        str(aggregate_id)) or get(aggregate_id, *args, **kwargs))
    browser = app.test_client()
    sign_in(browser, user)
    first = browser.get(path)
    assert first.status_code == 200
    page = first.get_data(as_text=True)
    for code, name in ((ANFU, "安福县"), (XINGAN, "新干县")):
        assert f'href="{path}?county={code}">{name}</a>' in page
    assert "新干盐化" not in page and "安福光伏" not in page
    assert not {province.a["id"], province.b["id"]} & set(loaded)
    county = browser.get(f"{path}?county={XINGAN}").get_data(as_text=True)
    assert "新干县（吉安市）" in county and f'href="{path}">所有县</a>' in county
    assert "新干盐化" in county and "安福光伏" not in county
    assert browser.get(f"{path}?county=999999").status_code == 404  # no such county listed
    if path == "/projects":
        # A search, or any filter, narrows the province's projects: they are listed.
        found = browser.get(f"{path}?q=盐化").get_data(as_text=True)
        assert "新干盐化" in found and "安福光伏" not in found and "所有县" not in found
        # A county chosen keeps the order asked for.
        sorted_by = browser.get(f"{path}?sort=name").get_data(as_text=True)
        assert f'href="{path}?sort=name&amp;county={XINGAN}"' in sorted_by, sorted_by
    # A county user's page is their county's projects, as before, whatever county is asked.
    browser = app.test_client()
    sign_in(browser, "agent_a" if path == "/projects" else "office_a")
    own = browser.get(path).get_data(as_text=True)
    assert "安福光伏" in own and "新干盐化" not in own and "?county=" not in own
    other = browser.get(f"{path}?county={XINGAN}").get_data(as_text=True)
    assert "安福光伏" in other and "新干县" not in other and "新干盐化" not in other


def test_the_audit_index_lists_counties_for_the_province_and_projects_for_a_county(
        app, province, banban, monkeypatch):
    """A province auditor's index lists the counties, each a link to its projects; a county
    auditor's, their county's projects. Both read the cards: no project is loaded."""
    loaded, get = [], banban._reads.get
    monkeypatch.setattr(banban._reads, "get", lambda aggregate_id, *args, **kwargs: loaded.append(
        str(aggregate_id)) or get(aggregate_id, *args, **kwargs))
    browser = app.test_client()
    sign_in(browser, "auditor_p")
    index = browser.get("/audit").get_data(as_text=True)
    assert f'href="/audit?county={XINGAN}"' in index and "新干县" in index
    assert "新干盐化" not in index and "安福光伏" not in index
    county = browser.get(f"/audit?county={XINGAN}").get_data(as_text=True)
    assert "新干县的项目" in county and "新干盐化" in county and "安福光伏" not in county
    assert f'/audit/projects/{province.b["id"]}/history' in county
    browser = app.test_client()
    sign_in(browser, "auditor_a")
    own = browser.get("/audit").get_data(as_text=True)
    assert "安福光伏" in own and "新干盐化" not in own and "?county=" not in own
    assert browser.get(f"/audit?county={XINGAN}").status_code == 404
    assert not {province.a["id"], province.b["id"]} & set(loaded)


@pytest.mark.parametrize("user", [u for u, _ in PROVINCE_USERS])
def test_province_users_record_on_no_county(province, user):
    assert visit(province, user, province.a).status_code == 403
    signed = province.post(user, "/api/projects", signing("省里签的", "agent_a"))
    assert signed.status_code == 403


def test_the_province_summary_has_a_row_per_county_and_each_county_its_report(province):
    summary = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}").get_json()
    # Neither county has reached a milestone with a plan: both unranked, by name in pinyin.
    assert [(row["code"], row["rank"]) for row in summary["counties"]] == [
        (ANFU, None), (XINGAN, None)]
    assert {row["code"]: row["signed"] for row in summary["counties"]} == {ANFU: 1, XINGAN: 1}
    assert summary["totals"]["signed"] == 2
    one = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}?county={XINGAN}").get_json()
    own = province.get("leader_b", f"/api/dispatch/weekly/{PERIOD}").get_json()
    assert one == own and [p["name"] for p in one["signed"]["projects"]] == ["新干盐化"]


def test_each_office_publishes_its_own_report_and_the_province_its_summary(province):
    for office in ("office_a", "office_b", "office_p"):
        assert province.post(office, f"/api/dispatch/weekly/{PERIOD}/publish").status_code == 201
    mine = province.get("leader_b", f"/api/dispatch/weekly/{PERIOD}/published")
    assert mine.status_code == 200 and "新干盐化" in mine.get_data(as_text=True)
    assert "安福光伏" not in mine.get_data(as_text=True)
    summary = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}/published")
    assert '"counties"' in summary.get_data(as_text=True)
    other = province.get("leader_a", f"/api/dispatch/weekly/{PERIOD}/published?county={XINGAN}")
    assert other.status_code == 404


def test_the_province_summary_published_is_its_recomputation_after_a_county_is_added(
        province, banban):
    """A county listed after the publication was not in the summary then: recomputed as
    known at the publication, the summary is the text published, byte for byte."""
    record = province.post("office_p", f"/api/dispatch/weekly/{PERIOD}/publish")
    assert record.status_code == 201, record.get_json()
    published = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}/published")
    banban.add_county("360826", "泰和县", "吉安市", actor="test")
    moment = quote(record.get_json()["published_at"])
    then = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}?as_known_at={moment}")
    assert then.status_code == 200, then.get_json()
    assert then.get_data(as_text=True).rstrip("\n") == published.get_data(as_text=True)
    assert {c["code"] for c in then.get_json()["counties"]} == {ANFU, XINGAN}
    now = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}").get_json()
    assert {c["code"] for c in now["counties"]} == {ANFU, XINGAN, "360826"}
    # A second before the first county was listed there was none.
    listed = next(iter(banban.events.get(COUNTIES_ID))).timestamp - timedelta(seconds=1)
    before = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}?as_known_at="
                                      f"{quote(listed.isoformat())}").get_json()
    assert before.get("counties") == [], before


def test_a_county_listed_while_the_province_summary_is_assembled_makes_it_assembled_again(
        province, banban, monkeypatch):
    assemble, listed = dispatching.assemble, []

    def list_once(*args, **kwargs):
        if not listed:
            listed.append(banban.add_county("360826", "泰和县", "吉安市", actor="test"))
        return assemble(*args, **kwargs)

    monkeypatch.setattr(dispatching, "assemble", list_once)
    record = province.post("office_p", f"/api/dispatch/weekly/{PERIOD}/publish")
    assert record.status_code == 201 and listed
    published = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}/published")
    assert "泰和县" in published.get_data(as_text=True)
    moment = quote(record.get_json()["published_at"])
    then = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}?as_known_at={moment}")
    assert then.get_data(as_text=True).rstrip("\n") == published.get_data(as_text=True)


def test_the_changes_since_a_publication_read_only_the_projects_written_since(
        province, banban, monkeypatch):
    published = province.post("office_p", f"/api/dispatch/weekly/{PERIOD}/publish")
    assert published.status_code == 201
    moment = datetime.fromisoformat(published.get_json()["published_at"])
    assert visit(province, "agent_b", province.b).status_code == 201
    loaded, load = [], banban._project
    monkeypatch.setattr(banban, "_project", lambda project_id, *args, **kwargs: loaded.append(
        str(project_id)) or load(project_id, *args, **kwargs))
    changes = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}/changes").get_json()
    assert [(e["project"], e["type"]) for e in changes["events"]] == [("新干盐化", "visit_logged")]
    a, b = province.a["id"], province.b["id"]
    # What precedes the publication by less than WRITES_IN_FLIGHT is read too (writes in
    # flight together): here the whole test. Without that margin, only what was written since.
    assert {str(p) for p in banban._written_since(moment)} >= {a, b}
    monkeypatch.setattr(banban, "WRITES_IN_FLIGHT", timedelta(0))
    assert {str(p) for p in banban._written_since(moment)} == {b}
    loaded.clear()
    again = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}/changes").get_json()
    assert again["events"] == changes["events"] and a not in loaded


def test_a_county_report_reads_only_that_county_s_projects(app, banban, province, monkeypatch):
    """The cards say which projects are a county's: its report loads no other county's, and
    a project's kept part of a report is not made again until the project changes."""
    loaded, original = [], banban._histories_for_parts  # projects read for their parts

    def spy(project_ids):
        loaded.extend(map(str, project_ids))
        return original(project_ids)

    monkeypatch.setattr(banban, "_histories_for_parts", spy)
    monkeypatch.setattr(banban, "REUSED", 0)  # no whole report kept: only the parts
    real_assemble = dispatching.assemble
    a, b = str(province.a["id"]), str(province.b["id"])
    assert province.get("leader_b", f"/api/dispatch/weekly/{PERIOD}").status_code == 200
    # Its part of this week's report, read once for its two halves (the day's and the
    # week's); last week's (compared) has none of it: it was signed this week.
    assert loaded == [b]
    loaded.clear()
    county = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}?county={XINGAN}")
    assert county.status_code == 200 and loaded == []  # b's part was kept
    browser = app.test_client()  # the page: its report and its trend's pictures
    sign_in(browser, "leader_b")
    assert browser.get(f"/dispatch/weekly/{PERIOD}").status_code == 200
    assert set(loaded) <= {b}
    # The province summary makes only the part not kept yet: the other county's project.
    loaded.clear()
    assert province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}").status_code == 200
    assert loaded == [a]
    # A write to a makes a's part again, and only a's; only a's county is assembled again.
    assert visit(province, "agent_a", province.a).status_code == 201
    loaded.clear()
    assembled = []
    monkeypatch.setattr(dispatching, "assemble",
                        lambda *args, **kwargs: assembled.append(args)
                        or real_assemble(*args, **kwargs))
    summary = province.get("leader_p", f"/api/dispatch/weekly/{PERIOD}")
    assert summary.status_code == 200 and loaded == [a] and len(assembled) == 1
    assert {row["code"]: row["projects"] for row in summary.get_json()["counties"]} == {
        ANFU: 1, XINGAN: 1}


# ---- signing in a county -----------------------------------------------------------------------


def test_an_office_signs_only_in_its_own_county_and_with_its_own_agents(province):
    other = province.post("office_a", "/api/projects", signing("越界", "agent_a", county=XINGAN))
    assert (other.status_code, other.get_json()["code"]) == (422, "other_county")
    foreign = province.post("office_a", "/api/projects", signing("借人", "agent_b"))
    assert (foreign.status_code, foreign.get_json()["field"]) == (422, "chief_agent")
    unlisted = province.post("office_a", "/api/projects", signing("未列", "agent_a",
                                                                   county="360821"))
    assert (unlisted.status_code, unlisted.get_json()["code"]) == (422, "unknown_county")
    # A code of the right shape that names no county is refused by the same rule, saying so.
    bad = province.post("office_a", "/api/projects", signing("乱码", "agent_a", county="999999"))
    assert (bad.status_code, bad.get_json()["code"]) == (422, "unknown_county")
    assert "not a county of the official table" in bad.get_json()["message"]
    shapeless = province.post("office_a", "/api/projects", signing("乱码", "agent_a", county="3608"))
    assert (shapeless.status_code, shapeless.get_json()["field"]) == (422, "county")


# ---- the commands ------------------------------------------------------------------------------


def test_counties_are_added_from_the_official_table_and_listed_home_first(app, banban):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["counties", "add", ANFU, "安福县", "--city", "吉安市"])
    assert added.exit_code == 0 and "added 360829 安福县 (吉安市)" in added.output
    for args, says in ((["999999", "无此县", "--city", "无"], "six-digit code of a county"),
                       (["360800", "吉安市", "--city", "吉安市"], "six-digit code of a county"),
                       ([XINGAN, "新干", "--city", "吉安市"], "360824 is 新干县"),
                       ([XINGAN, "新干县", "--city", "南昌市"], "新干县 is in 吉安市"),
                       ([ANFU, "安福县", "--city", "吉安市"], "listed already")):
        refused = runner.invoke(args=["counties", "add", *args])
        assert refused.exit_code != 0 and says in refused.output, args
    runner.invoke(args=["counties", "add", XINGAN, "新干县", "--city", "吉安市"])
    listed = runner.invoke(args=["counties", "list"]).output.splitlines()
    assert listed == ["360829  安福县  吉安市  (home)", "360824  新干县  吉安市"]


def test_users_are_created_in_a_county_or_the_province(app, banban):
    runner = app.test_cli_runner()
    runner.invoke(args=["counties", "add", ANFU, "安福县", "--city", "吉安市"])
    made = runner.invoke(args=["users", "create", "zhou", "--role", "leader", "--province"])
    assert made.exit_code == 0 and "province" in made.output
    home = runner.invoke(args=["users", "create", "wu", "--role", "agent"])
    assert home.exit_code == 0 and banban.user("wu")["scope"] == ANFU
    agent = runner.invoke(args=["users", "create", "qian", "--role", "agent", "--province"])
    assert agent.exit_code != 0 and "one county" in agent.output
    unlisted = runner.invoke(args=["users", "create", "sun", "--role", "agent",
                                   "--county", XINGAN])
    assert unlisted.exit_code != 0 and "not listed" in unlisted.output


def test_the_province_page_lists_counties_each_leading_to_its_report(app, province):
    browser = app.test_client()
    sign_in(browser, "leader_p")
    page = browser.get(f"/dispatch/weekly/{PERIOD}").get_data(as_text=True)
    assert "全省汇总" in page and "安福县" in page and "新干县" in page
    assert f'href="?county={XINGAN}"' in page and "新干盐化" not in page
    county = browser.get(f"/dispatch/weekly/{PERIOD}?county={XINGAN}")
    assert county.status_code == 200 and "新干盐化" in county.get_data(as_text=True)
    book = browser.get(f"/dispatch/weekly/{PERIOD}.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"


# ---- what a province leader reads and prints (the meeting's pages, per county) ----------------


def test_the_province_page_names_its_period_in_chinese_and_answers_with_its_totals_first(
        app, province):
    browser = app.test_client()
    sign_in(browser, "leader_p")
    page = browser.get(f"/dispatch/weekly/{PERIOD}").get_data(as_text=True)
    assert "<h1>2026年第48周（11月23日—11月29日）</h1>" in page
    assert page.index("全省概览") < page.index('id="counties-section"') < page.index('id="tools"')
    assert f'/dispatch/weekly/{PERIOD}/sheet"' in page and "/sheet.pdf" in page
    assert "发布本期报告" not in page  # a leader does not publish
    book = browser.get(f"/dispatch/weekly/{PERIOD}.xlsx")
    assert "周调度-2026年第48周.xlsx" in unquote(book.headers["Content-Disposition"])
    sheets = openpyxl.load_workbook(io.BytesIO(book.data))
    summary, counties = sheets.worksheets
    assert summary.title == "概况" and summary["B1"].value == "周调度-2026年第48周（11月23日—11月29日）"
    headers = [cell.value for cell in counties[1]]
    assert {"红灯事项（个）", "节点按期率（%）", "本期完成投资（万元）"} <= set(headers)


def test_a_county_asked_for_keeps_its_county_in_every_link_and_download(app, province):
    browser = app.test_client()
    sign_in(browser, "leader_p")
    page = browser.get(f"/dispatch/weekly/{PERIOD}?county={XINGAN}").get_data(as_text=True)
    assert "新干县" in page and "新干盐化" in page and "全省概览" not in page
    for path in ("/dispatch/weekly/2026-W47", "/dispatch/monthly", f"/{PERIOD}/sheet",
                 f"/{PERIOD}/sheet.pdf", f"/{PERIOD}.xlsx"):  # monthly: this month's page
        assert f'{path}?county={XINGAN}"' in page, path
    sheet = browser.get(f"/dispatch/weekly/{PERIOD}/sheet?county={XINGAN}").get_data(as_text=True)
    assert "新干县" in sheet and "安福光伏" not in sheet
    book = browser.get(f"/dispatch/weekly/{PERIOD}.xlsx?county={XINGAN}")
    assert "周调度-新干县-2026年第48周.xlsx" in unquote(book.headers["Content-Disposition"])


def test_the_province_sheet_lists_every_county_on_one_page(app, province):
    browser = app.test_client()
    sign_in(browser, "leader_p")
    sheet = browser.get(f"/dispatch/weekly/{PERIOD}/sheet").get_data(as_text=True)
    assert "全省汇总" in sheet and "安福县" in sheet and "新干县" in sheet
    pdf = PdfReader(io.BytesIO(browser.get(f"/dispatch/weekly/{PERIOD}/sheet.pdf").data))
    assert len(pdf.pages) == 1 and "2026年第48周" in pdf.pages[0].extract_text()


def test_the_province_office_confirms_its_summary_before_publishing_it(app, province):
    browser = app.test_client()
    sign_in(browser, "office_p")
    step = browser.get(f"/dispatch/weekly/{PERIOD}/publish")
    assert step.status_code == 200
    text = step.get_data(as_text=True)
    assert "发布2026年第48周（11月23日—11月29日）报告？" in text and "发布为第 1 版" in text
    assert text.index("红灯事项") < text.index("逾期节点") < text.index("签约项目")
    assert province.get("office_p", f"/api/dispatch/weekly/{PERIOD}/published").status_code == 422
    # Asking for a county shows its report, never a way to publish it.
    county = browser.get(f"/dispatch/weekly/{PERIOD}?county={XINGAN}").get_data(as_text=True)
    assert "/publish" not in county


def test_another_countys_sheet_and_trend_are_404_to_a_county_user(app, province):
    browser = app.test_client()
    sign_in(browser, "leader_a")
    for path in (f"/dispatch/weekly/{PERIOD}/sheet?county={XINGAN}",
                 f"/dispatch/weekly/{PERIOD}/sheet.pdf?county={XINGAN}",
                 f"/dispatch/weekly/{PERIOD}.xlsx?county={XINGAN}"):
        assert browser.get(path).status_code == 404, path
    trend = f"/api/dispatch/weekly/{PERIOD}/trend?county={XINGAN}"
    assert province.get("leader_a", trend).status_code == 404
    assert province.get("leader_p", trend).status_code == 200


def test_auditors_read_the_publications_of_what_they_may_see_as_their_leaders_saw_them(
        app, province):
    for office in ("office_a", "office_b", "office_p"):
        assert province.post(office, f"/api/dispatch/weekly/{PERIOD}/publish").status_code == 201
    county_auditor, province_auditor = app.test_client(), app.test_client()
    sign_in(county_auditor, "auditor_b")
    sign_in(province_auditor, "auditor_p")
    listed = county_auditor.get("/audit").get_data(as_text=True)
    assert listed.count(f"/audit/dispatch/weekly/{PERIOD}/published") == 1
    assert f"county={XINGAN}" in listed
    own = county_auditor.get(f"/audit/dispatch/weekly/{PERIOD}/published?county={XINGAN}")
    assert own.status_code == 200 and "新干盐化" in own.get_data(as_text=True)
    assert county_auditor.get(
        f"/audit/dispatch/weekly/{PERIOD}/published?county={ANFU}").status_code == 404
    summary = province_auditor.get(f"/audit/dispatch/weekly/{PERIOD}/published")
    text = summary.get_data(as_text=True)
    assert summary.status_code == 200 and "全省概览" in text and "安福县" in text
    assert "province-r1.json" in province_auditor.get(
        f"/audit/dispatch/weekly/{PERIOD}/published.json").headers["Content-Disposition"]
    assert province_auditor.get("/audit").get_data(as_text=True).count(
        f"/audit/dispatch/weekly/{PERIOD}/published") == 3

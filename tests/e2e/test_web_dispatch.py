"""The leaders' dispatch page: sections with red flags first, the period picker, pictures,
Excel, publishing by the office, and both languages. Today is Wednesday 25 November 2026 (W48).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import openpyxl
import pytest
from babel.messages.pofile import read_po

from app.web.dispatch_view import PAGE_ROWS
from tests.e2e.conftest import SIGNING, USERS
from tests.e2e.helpers import post_sequence
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401

CATALOGUE = (Path(__file__).parents[2] / "translations" / "zh_Hans_CN" / "LC_MESSAGES"
             / "messages.po")
PROBLEM = "施工用电未接入"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def users(banban, tokens, password_hash):  # noqa: F811
    """The API's users can sign in to the pages too."""
    for username, _ in USERS:
        banban.set_password(username, password_hash, actor="test")


@pytest.fixture
def county(api, project, users) -> dict:
    """The project's November: a late milestone, an approval, progress, and a problem raised on
    Thursday 19 November with no solution plan, red since Monday 23rd (2 working days)."""
    post_sequence(api, project["id"], [
        ("zhang", "milestone_planned", {"milestone": "land_approved", "planned_on": "2026-11-20"}),
    ], 1, occurred_on="2026-11-02")
    post_sequence(api, project["id"], [
        ("zhang", "approval_applied", {"approval_id": "AP-1", "item": "环评",
                                       "department": "县生态环境局"}),
    ], 2, occurred_on="2026-10-12")
    post_sequence(api, project["id"], [
        ("zhang", "problem_raised", {"problem_id": "PB-1", "title": PROBLEM,
                                     "responsible_unit": "县供电公司"}),
    ], 3, occurred_on="2026-11-19")
    post_sequence(api, project["id"], [
        ("zhang", "approval_granted", {"approval_id": "AP-1"}),
    ], 4, occurred_on="2026-11-23")
    post_sequence(api, project["id"], [
        ("zhang", "milestone_reached", {"milestone": "land_approved"}),
        ("li", "progress_reported", {"investment_completed": 1_500_000_000}),
    ], 5, occurred_on="2026-11-24")
    return project


def page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def section(html: str, ident: str) -> str:
    """The markup of the <section> with this id."""
    found = re.search(rf'<section id="{ident}".*?</section>', html, re.S)
    assert found, f"no section {ident}"
    return found.group(0)


def chart_numbers(html: str, ident: str) -> list[str]:
    """The numbers written on a chart's bars, in drawing order."""
    svg = re.search(rf'<svg class="chart" id="{ident}".*?</svg>', html, re.S)
    assert svg, f"no chart {ident}"
    return re.findall(r'<text class="value"[^>]*>([^<]*)</text>', svg.group(0))


def use_english(client, path: str) -> None:
    token = csrf_token(page(client, path))
    client.post("/lang/en", data={"csrf_token": token, "next": path})


# ---- the page --------------------------------------------------------------------------------


def test_a_leader_sees_the_current_week_with_red_flags_first_each_opening_its_explanation(
        client, county):
    sign_in(client, "leader")
    html = page(client, "/dispatch/weekly")

    assert "<h1>2026年第48周（11月23日—11月29日）</h1>" in html
    assert "<title>周调度 · 2026年第48周（11月23日—11月29日） · 帮办代办</title>" in html
    assert "周调度" in html and "2026-11-23 – 2026-11-29" in html
    # The summary first, in the order a meeting asks; every other section folded below it.
    first = ("summary", "red-flags", "due-next", "new-problems", "escalations-section")
    folded = ("figures", "measures-section", "phases-section", "signed-section",
              "milestones-section", "approvals-section", "commitments-section",
              "problems-section", "investment-section", "rankings-section", "roll-up-section")
    order = [html.index(f'id="{ident}"') for ident in (*first, *folded)]
    assert order == sorted(order)
    for ident in first:
        assert "<details" not in section(html, ident).split("<h2", 2)[1].split("</h2>")[0]
    for ident in folded:
        fold = section(html, ident)
        assert re.search(r'<section id="[^"]+" class="fold">\s*<details>\s*<summary><h2>'
                         r'[^<]+<span class="count">[^<]+</span>', fold), ident
        assert "<details open" not in fold
    flags = section(html, "red-flags")
    assert '<span class="count">1</span>' in flags
    explanation = re.search(r"<details>.*?</details>", flags, re.S).group(0)
    assert f'href="/projects/{county["id"]}"' in explanation
    assert "未按时制定解决方案" in explanation  # the rule
    assert f"问题“{PROBLEM}”截至 2026-11-25 仍无解决方案；应在提出后 2 个工作日内（2026-11-23 前）制定。" \
        in explanation
    assert "<dt>制定解决方案时限（工作日）</dt><dd>2</dd>" in explanation  # the threshold
    # the event behind it: version 4, its business date and who recorded it
    assert re.search(r'<td class="num">4</td><td>2026-11-19</td><td>zhang</td>', explanation)
    assert "责任人：zhang" in explanation


def test_the_sections_show_the_reports_figures(client, county, api):
    report = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    sign_in(client, "leader")
    html = page(client, "/dispatch/weekly")

    milestones = section(html, "milestones-section")
    assert "本期完成节点 1 个；其中有计划的 1 个，按期完成 0 个（按期率 0.0%）" in milestones
    assert '<span class="late">逾期</span>' in milestones  # reached after its planned date
    approvals = section(html, "approvals-section")
    assert report["approvals_granted"]["approvals"][0]["working_days"] == 30
    assert '<td class="num" data-label="用时（工作日）">30</td>' in approvals
    assert '<td class="num" data-label="目标时限（工作日）">40</td>' in approvals
    investment = section(html, "investment-section")
    assert "本期完成投资 15 亿元；累计完成 15 亿元，计划总投资 100 亿元（完成率 15.0%）" in investment
    problems = section(html, "problems-section")
    assert "本期新增问题 0 个，解决 0 个，期末未解决 1 个" in problems
    roll_up = section(html, "roll-up-section")
    assert "计入 2026年11月" in roll_up and "以周促月" in roll_up


def test_the_measures_count_the_items_decided_on_the_parallel_approval_day(client, county, api):
    post_sequence(api, county["id"], [
        ("zhang", "approval_applied", {"approval_id": "AP-2", "item": "水土保持方案",
                                       "department": "县水利局"}),
        ("zhang", "approval_granted", {"approval_id": "AP-2"}),
    ], 7, occurred_on="2026-11-24")  # a Tuesday, the county's day by default
    parallel = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()[
        "measures"]["parallel_approval_day"]
    assert (parallel["weekday"], parallel["decided"], parallel["on_parallel_day"]) == (2, 2, 1)
    sign_in(client, "leader")

    measures = section(page(client, "/dispatch/weekly"), "measures-section")
    assert "并联审批日（星期二）" in measures
    assert "本期办结（准予或不予许可）的2项审批事项中，1项在并联审批日办结（50.0%）" in measures
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dispatch/weekly/2026-W48.xlsx").data))
    summary = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True) if row[0]}
    assert summary["并联审批日办结的审批事项"] == parallel["on_parallel_day"]
    use_english(client, "/dispatch/weekly")
    english = section(page(client, "/dispatch/weekly"), "measures-section")
    assert "Parallel-approval day (Tuesday)" in english
    assert "1 of the 2 approval items decided" in english


def test_the_pictures_are_inline_svg_carrying_the_figures_of_the_last_six_weeks(
        client, county, banban):
    trend = banban.dispatch_trend("weekly", "2026-W48")
    sign_in(client, "leader")
    html = page(client, "/dispatch/weekly")

    assert html.count('<svg class="chart"') == 4
    assert " style=" not in html and "<script>" not in html  # the CSP allows neither
    problems = [str(n) for p in trend for n in (p["problems_raised"], p["problems_solved"])]
    assert chart_numbers(html, "chart-problems") == problems
    assert problems[-4:] == ["1", "0", "0", "0"]  # raised in W47
    milestones = chart_numbers(html, "chart-milestones")
    assert milestones[-3:] == ["0", "0", "1"]  # W48: none due (it was due in W47), 1 reached
    assert chart_numbers(html, "chart-investment")[-2:] == ["15 亿元", "100 亿元"]
    funnel = chart_numbers(html, "chart-funnel")
    assert funnel == ["累计进入 1 个，当前处于本阶段 0 个", "累计进入 1 个，当前处于本阶段 1 个",
                      "累计进入 0 个，当前处于本阶段 0 个", "累计进入 0 个，当前处于本阶段 0 个"]
    for week in ("第43周", "第48周"):  # the periods as people name them
        assert f">{week}</text>" in section(html, "problems-section")


# ---- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path, previous, following", [
    ("/dispatch/weekly/2026-W01", "/dispatch/weekly/2025-W52", "/dispatch/weekly/2026-W02"),
    ("/dispatch/weekly/2026-W47", "/dispatch/weekly/2026-W46", "/dispatch/weekly/2026-W48"),
    ("/dispatch/half-monthly/2026-11-H1", "/dispatch/half-monthly/2026-10-H2",
     "/dispatch/half-monthly/2026-11-H2"),
    ("/dispatch/monthly/2026-01", "/dispatch/monthly/2025-12", "/dispatch/monthly/2026-02")])
def test_previous_and_next_link_the_neighbouring_periods(client, users, path, previous,
                                                          following):
    sign_in(client, "leader")
    html = page(client, path)
    assert f'rel="prev" href="{previous}"' in html
    assert f'rel="next" href="{following}"' in html
    page(client, previous)
    page(client, following)


@pytest.mark.parametrize("path, previous", [
    ("/dispatch/weekly", "/dispatch/weekly/2026-W47"),
    ("/dispatch/quarterly", "/dispatch/quarterly/2026-Q3")])
def test_the_current_period_offers_no_next_one(client, users, path, previous):
    sign_in(client, "leader")
    html = page(client, path)
    assert f'rel="prev" href="{previous}"' in html
    assert 'rel="next"' not in html


def test_a_period_that_has_not_begun_says_so_and_leads_to_the_current_one(client, users):
    sign_in(client, "leader")
    answer = client.get("/dispatch/weekly/2030-W01")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "该期尚未开始" in html and "已逾期" not in html and "红灯事项" not in html
    assert 'href="/dispatch/weekly"' in html and "2026年第48周（11月23日—11月29日）" in html
    assert client.get("/dispatch/weekly/2030-W01.xlsx").status_code == 422


@pytest.mark.parametrize("cadence, wanted, lands_on", [
    ("weekly", "2026-10-01", "/dispatch/weekly/2026-W40"),
    ("weekly", " 2026-W45 ", "/dispatch/weekly/2026-W45"),
    ("weekly", "2026-Q2", "/dispatch/weekly/2026-W14"),  # the week holding 1 April
    ("monthly", "2026-W48", "/dispatch/monthly/2026-11"),
    ("half-monthly", "2026-11-16", "/dispatch/half-monthly/2026-11-H2"),
    ("quarterly", "2025-12-31", "/dispatch/quarterly/2025-Q4")])
def test_the_period_picker_goes_to_the_period_holding_a_date_or_named_by_an_id(
        client, users, cadence, wanted, lands_on):
    sign_in(client, "leader")
    answer = client.get(f"/dispatch/{cadence}", query_string={"go": wanted})
    assert answer.status_code == 302
    assert answer.location == lands_on


@pytest.mark.parametrize("wanted", ["next week", "2026-13-01", "0001-01-01", "2026-W54", ""])
def test_the_period_picker_refuses_what_is_neither_a_date_nor_a_period(client, users, wanted):
    sign_in(client, "leader")
    answer = client.get("/dispatch/weekly/2026-W40", query_string={"go": wanted})
    assert answer.location == "/dispatch/weekly/2026-W40"
    assert f"“{wanted}”既不是日期" in page(client, answer.location)


def test_the_cadence_switcher_keeps_the_time_shown(client, users):
    sign_in(client, "leader")
    current = page(client, "/dispatch/weekly")
    assert 'href="/dispatch/monthly"' in current  # today's month
    past = page(client, "/dispatch/weekly/2026-W40")  # 28 September to 4 October
    assert 'href="/dispatch/monthly/2026-10"' in past  # the month holding its Thursday
    assert 'href="/dispatch/quarterly/2026-Q4"' in past


@pytest.mark.parametrize("path, status, says", [
    ("/dispatch/daily", 404, "没有这个页面"),
    ("/dispatch/weekly/2026-W54", 422, "无法办理"),
    ("/dispatch/monthly/2026-13", 422, "无法办理"),
    ("/dispatch/quarterly/2026-11", 422, "无法办理"),
    ("/dispatch/weekly/2026-W54.xlsx", 422, "无法办理")])
def test_a_bad_cadence_or_period_is_an_error_page(client, users, path, status, says):
    sign_in(client, "leader")
    answer = client.get(path)
    assert answer.status_code == status
    assert answer.mimetype == "text/html"
    assert says in answer.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/dispatch/weekly", "/dispatch/weekly/2026-W48",
                                  "/dispatch/weekly/2026-W48.xlsx",
                                  "/dispatch/weekly/2026-W48/sheet"])
def test_agents_read_their_countys_dispatch_pages_and_strangers_must_sign_in(client, users,
                                                                             path):
    assert client.get(path).location.startswith("/login?next=")
    sign_in(client, "zhang")
    assert client.get(path).status_code == 200


def test_an_agent_finds_the_dispatch_page_in_the_menu_and_cannot_publish(client, county):
    sign_in(client, "zhang")
    assert 'href="/dispatch/weekly"' in page(client, "/board")
    assert "发布本期报告" not in page(client, "/dispatch/weekly")
    assert client.get("/dispatch/weekly/2026-W48/publish").status_code == 403


@pytest.mark.parametrize("username", ["office", "auditor"])
def test_the_office_and_auditors_see_dispatch_pages_too(client, users, username):
    sign_in(client, username)
    assert "周调度" in page(client, "/dispatch/weekly")


# ---- Excel ---------------------------------------------------------------------------------


def test_the_report_downloads_as_excel_with_a_sheet_per_section_and_chinese_headers(
        client, county, api):
    report = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    sign_in(client, "leader")
    assert 'href="/dispatch/weekly/2026-W48.xlsx"' in page(client, "/dispatch/weekly")

    answer = client.get("/dispatch/weekly/2026-W48.xlsx")

    assert answer.status_code == 200 and answer.mimetype == XLSX
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=\"dispatch-weekly-2026-W48.xlsx\"; "
        f"filename*=UTF-8''{quote('周调度-2026年第48周.xlsx')}")
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames[:6] == ["概况", "红灯事项", "未来7日到期事项", "等待谁", "各项目等待明细",
                                   "分阶段项目"]
    assert {"完成节点", "逾期节点", "审批办结", "本期到期承诺", "逾期承诺", "新增问题",
            "已解决问题", "未解决问题", "问题上报", "领导批示", "投资", "逐级汇总"} \
        <= set(book.sheetnames)
    flags = book["红灯事项"]
    assert [c.value for c in flags[1]][:6] == ["项目", "事项类别", "事项", "规则", "责任人", "时限"]
    assert flags["A2"].value == "鲁丽绿色新材料产业园" and flags["D2"].value == "未按时制定解决方案"
    assert flags["F2"].is_date and flags["F2"].value.date() == date(2026, 11, 23)

    summary = {row[0]: row[1] for row in book["概况"].iter_rows(values_only=True) if row[0]}
    assert summary["周期"] == "2026年第48周（11月23日—11月29日）"
    assert summary["周期编号"] == "2026-W48"
    assert summary["本期完成投资"] == report["investment"]["completed"] / 10_000 == 150_000
    assert summary["红灯事项"] == report["red_flags"]["count"] == 1
    investment = book["投资"]
    assert [c.value for c in investment[1]] == [
        "项目", "总投资（万元）", "本期完成（万元）", "累计完成（万元）", "完成率（%）"]
    assert investment["B2"].value == 1_000_000 and "万元" in investment["B2"].number_format
    assert investment["E2"].value == 0.15 and investment["E2"].number_format == "0.0%"
    approvals = book["审批办结"]
    assert approvals["F2"].value == report["approvals_granted"]["approvals"][0]["working_days"]
    assert isinstance(approvals["E2"].value, datetime)


def test_text_that_looks_like_a_formula_stays_text_in_excel(client, project, api, users):
    post_sequence(api, project["id"], [
        ("zhang", "problem_raised", {"problem_id": "PB-9", "title": "=HYPERLINK(\"x\")"}),
    ], 1, occurred_on="2026-11-24")
    sign_in(client, "leader")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dispatch/weekly/2026-W48.xlsx").data))
    cell = book["新增问题"]["B2"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"


# ---- publishing ------------------------------------------------------------------------------


def publish(client, path: str):
    token = csrf_token(page(client, "/dispatch/weekly/2026-W48"))
    return client.post(path, data={"csrf_token": token})


def test_the_office_publishes_the_period_and_publishing_again_makes_revision_2(
        client, county, api):
    sign_in(client, "office")
    before = page(client, "/dispatch/weekly/2026-W48")
    assert "本期报告尚未发布。" in before and "发布本期报告" in before

    answer = publish(client, "/dispatch/weekly/2026-W48/publish")
    assert answer.location == "/dispatch/weekly/2026-W48"
    after = page(client, answer.location)
    assert "已发布2026年第48周（11月23日—11月29日）报告（第 1 版）。" in after
    assert "已发布：第 1 版" in after and "重新发布" in after

    publish(client, "/dispatch/weekly/2026-W48/publish")
    assert "已发布：第 2 版" in page(client, "/dispatch/weekly/2026-W48")
    published = api("leader").get("/api/dispatch/weekly/2026-W48/published")
    assert published.headers["X-Revision"] == "2"
    # The seal of the record it was computed from shows as its short code; the full head
    # only on the audit pages.
    seal = published.headers["X-Seal-Code"]
    text = page(client, "/dispatch/weekly/2026-W48")
    assert f'<strong class="seal-code">{seal}</strong>' in text
    assert published.headers["X-Seal"] not in text


def test_publishing_a_period_to_come_is_refused_with_a_message_and_records_nothing(
        client, county, api):
    sign_in(client, "office")
    answer = publish(client, "/dispatch/weekly/2026-W50/publish")
    assert answer.location == "/dispatch/weekly/2026-W50"
    shown = client.get(answer.location)
    assert shown.status_code == 422
    assert "该周期尚未开始，暂无可发布的内容。" in shown.get_data(as_text=True)
    assert api("leader").get("/api/dispatch/weekly/2026-W50/published").status_code == 422


def test_only_the_office_publishes_and_only_with_a_csrf_token(app, client, county, api):
    sign_in(client, "leader")
    assert "发布本期报告" not in page(client, "/dispatch/weekly/2026-W48")
    assert publish(client, "/dispatch/weekly/2026-W48/publish").status_code == 403
    office = app.test_client()
    sign_in(office, "office")
    assert office.post("/dispatch/weekly/2026-W48/publish").status_code == 400
    assert api("leader").get("/api/dispatch/weekly/2026-W48/published").status_code == 422


# ---- languages -----------------------------------------------------------------------------


def chinese_labels() -> set[str]:
    """Every Chinese text of the catalogue that is more than one character."""
    with CATALOGUE.open("rb") as file:
        return {m.string for m in read_po(file) if m.id and len(m.string or "") > 1}


def test_the_page_in_english_has_no_chinese_labels_and_in_chinese_has_them_all(
        client, county):
    sign_in(client, "leader")
    chinese = page(client, "/dispatch/weekly/2026-W47")
    for label in ("红灯事项", "主要指标", "项目分阶段、分状态统计", "节点推进", "审批办结",
                  "容缺承诺", "问题诉求", "领导批示与问题上报", "投资", "按期率排名",
                  "代办员按期率排名", "下载 Excel", "跳转到周期或日期", "上一期", "下一期"):
        assert label in chinese, label
    assert "Red flags" not in chinese and "Milestones" not in chinese

    use_english(client, "/dispatch/weekly/2026-W47")
    english = page(client, "/dispatch/weekly/2026-W47")
    assert "Weekly dispatch" in english and "Red flags" in english
    data = {"鲁丽绿色新材料产业园", PROBLEM, "县生态环境局", "县供电公司", "环评"}
    leaks = {label for label in chinese_labels()
             if label in english and not any(label in text for text in data)}
    assert leaks == set()


def test_a_long_table_shows_its_first_rows_and_its_full_count_and_excel_has_them_all(
        client, api, users):
    for n in range(25):
        signed = api("office").post("/api/projects", json=SIGNING | {
            "name": f"长表项目{n:02d}", "signed_on": "2026-11-24"})
        assert signed.status_code == 201, signed.get_json()
    sign_in(client, "leader")
    signed = section(page(client, "/dispatch/weekly/2026-W48"), "signed-section")
    assert signed.count("<tr>") == 1 + PAGE_ROWS  # the header row and the first 20
    assert "仅列出前 20 行，共 25 行" in signed
    assert "长表项目00" in signed and "长表项目24" not in signed
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dispatch/weekly/2026-W48.xlsx").data))
    names = [row[0] for row in book["新签约项目"].iter_rows(min_row=2, values_only=True)]
    assert len(names) == 25 and "长表项目24" in names
    # A short table says nothing of the kind.
    assert "仅列出前" not in section(page(client, "/dispatch/weekly/2026-W48"),
                                    "milestones-section")


def test_a_report_taking_longer_than_a_request_is_made_over_several_and_its_page_reloads(
        api, app, banban, client, county, monkeypatch):
    """BANBAN_REPORT_MAKING_MS: a request that has spent it making parts keeps those it made
    and answers 503 report_in_preparation with Retry-After (the API) or a page saying so in
    the reader's language that reloads itself; each asking goes on, until the report, which
    is the one made at one asking."""
    monkeypatch.setattr(banban, "REUSED", 0)  # no whole report kept: only the parts

    def forget() -> None:
        """Nothing kept: neither the parts nor what this process decoded and assembled."""
        banban.kept_parts.clear()
        banban._decoded = banban._assembled_of = None

    for n in range(3):
        assert api("office").post("/api/projects", json=SIGNING | {
            "name": f"第{n + 2}个项目", "signed_on": f"2026-0{n + 2}-02"}).status_code == 201
    path = "/api/dispatch/monthly/2026-05"  # no part of it or of April is kept yet
    monkeypatch.setitem(app.config, "BANBAN_REPORT_MAKING_MS", 1)
    answers = []
    while len(answers) < 40:
        answer = api("leader").get(path)
        answers.append(answer.status_code)
        if answer.status_code == 200:
            break
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "3"
        assert answer.get_json()["code"] == "report_in_preparation"
    assert answers[-1] == 200 and 503 in answers, answers
    made_over_several = answer.get_json()
    forget()
    monkeypatch.setitem(app.config, "BANBAN_REPORT_MAKING_MS", 0)  # no limit
    assert api("leader").get(path).get_json() == made_over_several
    assert banban.kept_parts.count() > 0  # made again, at one asking

    forget()
    monkeypatch.setitem(app.config, "BANBAN_REPORT_MAKING_MS", 1)
    sign_in(client, "leader")
    answer = client.get("/dispatch/monthly/2026-05")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "3"
    assert "报表正在生成" in html and '<meta http-equiv="refresh" content="3">' in html
    for _ in range(40):
        if (answer := client.get("/dispatch/monthly/2026-05")).status_code == 200:
            break
    assert answer.status_code == 200
    use_english(client, "/dispatch/monthly/2026-05")
    forget()
    assert "The report is being prepared" in client.get(
        "/dispatch/monthly/2026-04").get_data(as_text=True)

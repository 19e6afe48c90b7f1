"""The printed sheet of a dispatch meeting (its page, its page header and footer, its PDF),
publishing with a confirmation step, and Excel's units and measures. Today is Wednesday 25
November 2026 (W48)."""

from __future__ import annotations

import io
from urllib.parse import quote

import openpyxl
import pytest
from pypdf import PdfReader

from app.web.dispatch_summary import SHEET_ROWS
from tests.e2e.helpers import post_sequence
from tests.e2e.test_web_dispatch import county, page, section, users  # noqa: F401
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401

SHEET = "/dispatch/weekly/2026-W48/sheet"
NAME = "2026年第48周（11月23日—11月29日）"


def test_the_sheet_names_its_issuer_period_and_print_date_and_lists_the_red_flags(
        client, county):  # noqa: F811
    sign_in(client, "leader")
    html = page(client, SHEET)

    assert '<p class="issuer">县优化营商环境办公室</p>' in html
    assert f'<h1>周调度<span class="name">{NAME}</span></h1>' in html
    assert "统计截至 2026-11-25" in html and "打印日期 2026年11月25日" in html
    assert "未发布" in html
    flags = section(html, "sheet-red_flags")
    assert "施工用电未接入" in flags and "未按时制定解决方案" in flags and "zhang" in flags
    assert '<dt>红灯事项</dt>' in html  # the headline figures
    assert "<script" not in html and " style=" not in html
    # Its page header and footer: the period and the page number, in the reader's language.
    rules = client.get("/dispatch/weekly/2026-W48/sheet.css")
    assert rules.mimetype == "text/css"
    css = rules.get_data(as_text=True)
    assert f'@top-right {{ content: "周调度 {NAME}"' in css
    assert '"第 " counter(page) " 页，共 " counter(pages) " 页"' in css


def test_the_issuing_unit_is_configurable_and_escaped_in_the_stylesheet(app, client, county):  # noqa: F811
    app.config["BANBAN_ISSUING_UNIT"] = '安福县"营商办"'
    sign_in(client, "leader")
    assert '<p class="issuer">安福县&#34;营商办&#34;</p>' in page(client, SHEET)
    css = client.get("/dispatch/weekly/2026-W48/sheet.css").get_data(as_text=True)
    assert '@top-left { content: "安福县\\"营商办\\""' in css


def test_a_published_sheet_shows_its_revision_and_seal_code_only(client, county, api):  # noqa: F811
    sign_in(client, "office")
    client.post("/dispatch/weekly/2026-W48/publish",
                data={"csrf_token": csrf_token(page(client, "/dispatch/weekly"))})
    published = api("leader").get("/api/dispatch/weekly/2026-W48/published")
    html = page(client, SHEET)
    assert f'第 1 版，封印码 {published.headers["X-Seal-Code"]}' in html
    assert published.headers["X-Seal"] not in html


def test_long_lists_are_cut_to_one_page_and_the_rest_left_to_excel(client, api, project, users):  # noqa: F811
    steps = [("zhang", "problem_raised", {"problem_id": f"P{n:02d}", "title": f"问题{n:02d}"})
             for n in range(40)]
    post_sequence(api, project["id"], steps, 1, occurred_on="2026-11-16")
    sign_in(client, "leader")
    html = page(client, SHEET)
    rows = html.count("<tr>") - html.count("<thead><tr>")
    assert rows <= SHEET_ROWS
    assert "另有" in section(html, "sheet-red_flags")  # 40 plans late
    assert "详见 Excel 文件" in html


def test_the_sheet_downloads_as_a_one_page_a4_pdf_with_its_period_and_page_number(
        client, county):  # noqa: F811
    sign_in(client, "leader")
    answer = client.get("/dispatch/weekly/2026-W48/sheet.pdf")

    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == (
        "attachment; filename=\"dispatch-weekly-2026-W48.pdf\"; "
        f"filename*=UTF-8''{quote('周调度-2026年第48周.pdf')}")
    pdf = PdfReader(io.BytesIO(answer.data))
    assert len(pdf.pages) == 1
    width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4
    text = pdf.pages[0].extract_text()
    assert NAME in text and "第 1 页，共 1 页" in text and "施工用电未接入" in text


# ---- publishing: a confirmation step ---------------------------------------------------------


def test_publishing_first_shows_what_will_be_frozen_and_records_nothing(client, county, api):  # noqa: F811
    sign_in(client, "office")
    assert 'href="/dispatch/weekly/2026-W48/publish"' in page(client, "/dispatch/weekly")
    html = page(client, "/dispatch/weekly/2026-W48/publish")

    assert f"发布{NAME}报告？" in html and "将固定保存的内容" in html
    assert "<dt>红灯事项</dt>" in html and "发布为第 1 版" in html
    assert 'action="/dispatch/weekly/2026-W48/publish"' in html
    assert api("leader").get("/api/dispatch/weekly/2026-W48/published").status_code == 422


def test_a_republication_says_what_changed_since_the_last_revision(client, county, api):  # noqa: F811
    sign_in(client, "office")
    client.post("/dispatch/weekly/2026-W48/publish",
                data={"csrf_token": csrf_token(page(client, "/dispatch/weekly"))})
    post_sequence(api, county["id"], [
        ("zhang", "problem_raised", {"problem_id": "PB-2", "title": "道路未硬化"})],
        7, occurred_on="2026-11-24")

    html = page(client, "/dispatch/weekly/2026-W48/publish")

    since = section(html, "since")
    assert "第 1 版发布后的变化" in since
    assert "新增问题" in since and '<td class="num" data-label="现在">1</td>' in since
    assert "此后补录、更正的本期事项：1 条。" in since and "提出问题 · 2026-11-24 · zhang" in since
    assert "发布为第 2 版" in html


@pytest.mark.parametrize("username", ["leader", "agent"])
def test_only_the_office_sees_the_publishing_step(client, county, username):  # noqa: F811
    sign_in(client, "zhang" if username == "agent" else username)
    assert client.get("/dispatch/weekly/2026-W48/publish").status_code == 403


# ---- Excel: units, the summary against the previous period, the measures --------------------


def test_excel_gives_every_number_its_unit_and_the_summary_its_comparison(client, county):  # noqa: F811
    sign_in(client, "leader")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dispatch/weekly/2026-W48.xlsx").data))

    rows = [row for row in book["概况"].iter_rows(values_only=True)]
    header = rows.index(("指标", "本期", "上期", "变化", "单位"))
    headline = {row[0]: row[1:5] for row in rows[header + 1:header + 10]}
    assert headline["红灯事项"] == (1, 0, 1, "个")
    assert headline["本期完成投资"] == (150_000, 0, 150_000, "万元")
    figures = rows.index(("指标", "数值", "单位", None, None))
    units = {row[0]: row[2] for row in rows[figures + 1:] if row[0]}
    assert units["投资完成率"] == "%" and units["完成节点"] == "个"
    assert units["审批用时中位数（工作日）"] == "工作日"
    for sheet in book.worksheets[1:]:
        if "单位" in [c.value for c in sheet[1]]:
            continue  # figures of mixed units (the roll-up) say each row's
        for cell in sheet[1]:
            kinds = {type(c.value) for c in sheet[cell.column_letter][1:] if c.value is not None}
            if kinds & {int, float} and "工作日" not in cell.value and "名次" not in cell.value \
                    and "月" not in cell.value and "天" not in cell.value:
                assert cell.value.endswith(("（万元）", "（个）", "（%）")), (sheet.title,
                                                                         cell.value)
    assert {"项目审批用时", "签约至开工用时", "用地报批用时", "问题办理时限",
            "近几期效能指标"} <= set(book.sheetnames)
    trend = book["近几期效能指标"]
    assert [c.value for c in trend["A"][1:]] == ["第43周", "第44周", "第45周", "第46周", "第47周",
                                                 "第48周"]


def test_the_page_lists_only_the_projects_that_invested_in_the_period_and_counts_the_rest(
        client, county):  # noqa: F811
    sign_in(client, "leader")
    week = section(page(client, "/dispatch/weekly/2026-W48"), "investment-section")
    assert "鲁丽绿色新材料产业园" in week and "本期无新增投资" not in week
    before = section(page(client, "/dispatch/weekly/2026-W47"), "investment-section")
    assert "鲁丽绿色新材料产业园" not in before
    assert "另有 1 个项目本期无新增投资（Excel 文件列出全部项目）。" in before
    book = openpyxl.load_workbook(io.BytesIO(client.get("/dispatch/weekly/2026-W47.xlsx").data))
    assert book["投资"]["A2"].value == "鲁丽绿色新材料产业园"


@pytest.mark.parametrize("path", ["/dispatch/weekly/2026-W50/sheet",
                                  "/dispatch/weekly/2026-W50/sheet.pdf",
                                  "/dispatch/weekly/2026-W50/publish"])
def test_a_period_not_begun_has_no_sheet_and_nothing_to_publish(client, users, path):  # noqa: F811
    sign_in(client, "office")
    answer = client.get(path)
    assert answer.status_code == 422 and answer.mimetype == "text/html"

"""Forms that fit the project: only what its state allows is offered (and a user looking for
the rest is told why), corrections are listed by what they recorded, hints say what the field
means on that form, defaults are the sensible ones, and people are shown by their names."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import USERS
from tests.e2e.helpers import post_sequence
from tests.e2e.web import csrf_token, password_hash, sign_in  # noqa: F401 - fixtures

NAMES = {"office": "陈敏", "zhang": "张伟", "li": "李娜", "wang": "王芳", "leader": "刘建国",
         "auditor": "钟琳"}


@pytest.fixture
def tokens(banban, password_hash):  # noqa: F811 - users with names, who sign in on the pages
    for username, role in USERS:
        banban.register_user(username, role, actor="test", display_name=NAMES[username],
                             password_hash=password_hash)
    return {username: banban.issue_token(username, actor="test") for username, _ in USERS}


def page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def offered(html: str) -> set[str]:
    """The event types a project page offers to record."""
    return set(re.findall(r'href="/projects/[^/]+/record/([a-z_]+)"', html))


def selected(html: str, name: str) -> list[str]:
    """The values a select of the form shows selected."""
    found = re.search(r'<select[^>]*name="' + name + r'"[^>]*>(.*?)</select>', html, re.S)
    return re.findall(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                      found.group(1)) if found else []


def test_a_new_project_offers_only_what_it_can_take_and_says_why_not(client, project):
    sign_in(client, "zhang")
    html = page(client, f"/projects/{project['id']}")
    forms = offered(html)
    assert {"problem_raised", "visit_logged", "milestone_planned", "corrected"} <= forms
    assert not forms & {"problem_resolved", "problem_reopened", "approval_granted",
                        "commitment_fulfilled", "resumed"}
    assert "暂时不能记录" in html and "项目没有未解决的问题。" in html and "项目没有暂停。" in html
    answer = client.get(f"/projects/{project['id']}/record/problem_resolved")
    assert answer.status_code == 409 and "项目没有未解决的问题。" in answer.get_data(as_text=True)
    answer = client.get(f"/projects/{project['id']}/record/resumed")
    assert answer.status_code == 409 and "项目没有暂停。" in answer.get_data(as_text=True)


def test_a_suspended_project_offers_its_resumption_and_corrections(client, api, project):
    post_sequence(api, project["id"], [("office", "suspended", {"reason": "资金调整"})],
                  project["version"])
    sign_in(client, "office")
    assert offered(page(client, f"/projects/{project['id']}")) == {"resumed", "corrected"}
    answer = client.get(f"/projects/{project['id']}/record/visit_logged")
    assert answer.status_code == 409 and "只能记录复工或更正" in answer.get_data(as_text=True)


def test_corrections_are_listed_by_what_they_recorded_and_who_by_name(client, api, project):
    post_sequence(api, project["id"], [
        ("zhang", "milestone_planned", {"milestone": "land_approved", "planned_on": "2027-03-31"}),
        ("zhang", "problem_raised", {"problem_id": "P1", "title": "施工用电未接入"}),
        ("li", "problem_followed_up", {"problem_id": "P1", "note": "供电公司已勘察"}),
    ], project["version"])
    sign_in(client, "office")
    html = page(client, f"/projects/{project['id']}/record/corrected")
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert "v2 · 节点计划：用地报批获批，计划 2027-03-31 · 2026-11-10 · 张伟" in options
    assert "v4 · 问题跟进：施工用电未接入 · 2026-11-10 · 李娜" in options
    assert not any(re.search(r"\bzhang\b|\bli\b", o) for o in options)


def test_hints_say_what_the_field_means_on_that_form(client, project):
    sign_in(client, "office")
    correction = page(client, f"/projects/{project['id']}/record/corrected")
    assert "调整计划日期时必填" not in correction and "说明记录错在哪里" in correction
    signing = page(client, "/projects/new")
    assert "提交县领导时必填" not in signing and "负责该项目的县领导（分管县领导）" in signing
    assert "调整计划日期时必填" in page(client, f"/projects/{project['id']}/record/milestone_planned")


def test_the_review_forms_take_the_apis_clock_range_and_ask_the_department_first(
        client, api, project):
    sign_in(client, "zhang")
    convening = page(client, f"/projects/{project['id']}/record/park_review_convened")
    [clock] = re.findall(r'<input[^>]*name="opinion_within_working_days"[^>]*>', convening)
    assert 'type="number"' in clock and 'min="1"' in clock and 'max="60"' in clock
    assert "1 至 60" in convening  # its hint: empty is the county's setting
    post_sequence(api, project["id"], [
        ("zhang", "park_review_convened", {"review_id": "R1", "departments": ["县住建局"]})],
        project["version"])

    opinion = page(client, f"/projects/{project['id']}/record/park_review_opinion_given")
    order = [opinion.index(f'name="{name}"') for name in ("department", "opinion", "note")]
    assert order == sorted(order)


def test_the_signing_form_presets_no_chief_agent_and_shows_people_by_name(client, project):
    sign_in(client, "office")
    html = page(client, "/projects/new")
    assert selected(html, "chief_agent") in ([], [("", "")])
    assert re.search(r'<option value="zhang">张伟</option>', html)
    assert "(zhang)" not in html
    answer = client.post("/projects/new", data={
        "csrf_token": csrf_token(html), "name": "培美新材料", "investor": "培美集团",
        "industry": "新材料", "investment": "50000", "signed_on": "2026-11-02"})
    assert answer.status_code == 422  # no chief agent was chosen, so none is recorded


def test_the_instruction_form_presets_the_signed_in_leader(client, project):
    sign_in(client, "leader")
    html = page(client, f"/projects/{project['id']}/record/instruction_given")
    assert re.findall(r'<select[^>]*name="leader"[^>]*>(.*?)</select>', html, re.S)[0].count(
        "<option") == 1
    assert re.search(r'<option[^>]*value="leader"[^>]*>刘建国</option>', html)


def test_the_team_form_starts_from_the_team_as_it_is(client, project):
    sign_in(client, "office")
    html = page(client, f"/projects/{project['id']}/record/team_assigned")
    assert re.search(r'<option selected value="zhang">张伟</option>|'
                     r'<option value="zhang" selected>张伟</option>', html)
    assert re.search(r'<input[^>]*checked[^>]*value="li"|<input[^>]*value="li"[^>]*checked', html)


def test_the_project_page_shows_people_by_name_never_by_username(client, api, project):
    post_sequence(api, project["id"], [("li", "visit_logged", {"purpose": "了解投产计划"})],
                  project["version"])
    sign_in(client, "zhang")
    html = page(client, f"/projects/{project['id']}")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "张伟" in text and "李娜" in text and "刘建国" in text and "陈敏" in text
    assert not re.search(r"(?<![\w/-])(zhang|li|leader|office)(?![\w/-])", text)

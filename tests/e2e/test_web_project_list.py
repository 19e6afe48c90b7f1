"""The project list: search by name and investor, sort by any column, totals, late items in
colour, and for a leader the projects they lead (我分管的项目)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import post_event
from tests.e2e.web import password_hash, sign_in  # noqa: F401 - a fixture
from tests.e2e.web import web_tokens as tokens  # noqa: F401 - a fixture


@pytest.fixture
def three(api):
    """Three projects: two led by `leader`, one late on a milestone."""
    made = []
    for name, investor, investment, leader in [
            ("安福光伏组件", "赣能集团", 30_000_000, "leader"),
            ("鲁丽新材料", "鲁丽集团", 100_000_000, "leader"),
            ("佩玫标准厂房", "佩玫科技", 50_000_000, None)]:
        answer = api("office").post("/api/projects", json=SIGNING | {
            "name": name, "investor": investor, "investment": investment, "leader": leader})
        assert answer.status_code == 201, answer.get_json()
        made.append(answer.get_json())
    assert post_event(api, "office", made[1]["id"], "milestone_planned", {
        "milestone": "land_approved", "planned_on": "2026-11-02"}, 1,
        occurred_on="2026-10-01").status_code == 201
    return made


def names(html: str) -> list[str]:
    return re.findall(r'<td data-label="[^"]+"><a href="/projects/[^"]+">([^<]+)</a>', html)


def test_search_by_name_or_investor_with_totals(client, three):
    sign_in(client, "office")

    by_investor = client.get("/projects?q=鲁丽集团").get_data(as_text=True)
    by_name = client.get("/projects?q=光伏").get_data(as_text=True)
    everything = client.get("/projects").get_data(as_text=True)

    assert names(by_investor) == ["鲁丽新材料"] and names(by_name) == ["安福光伏组件"]
    assert "3 个项目 · 总投资 1.8 亿元" in everything


def test_sort_by_any_column_both_ways(client, three):
    sign_in(client, "office")

    up = names(client.get("/projects?sort=investment").get_data(as_text=True))
    down = names(client.get("/projects?sort=investment&desc=1").get_data(as_text=True))
    by_name = names(client.get("/projects?sort=name").get_data(as_text=True))

    assert up == ["安福光伏组件", "佩玫标准厂房", "鲁丽新材料"] == list(reversed(down))
    assert by_name == ["安福光伏组件", "鲁丽新材料", "佩玫标准厂房"]  # by pinyin
    assert client.get("/projects?sort=password").status_code == 404


def test_late_milestones_in_colour(client, three):
    sign_in(client, "office")
    html = client.get("/projects?sort=late&desc=1").get_data(as_text=True)

    assert names(html)[0] == "鲁丽新材料"
    assert 'class="has-late"' in html and 'badge-red' in html


def test_a_leader_sees_the_projects_they_lead(client, three):
    sign_in(client, "leader")
    html = client.get("/projects?led=1&sort=name").get_data(as_text=True)

    assert names(html) == ["安福光伏组件", "鲁丽新材料"]
    assert "我分管的项目" in html

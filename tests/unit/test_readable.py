"""Event data and project fields in plain words, as the audit pages show them."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from app.web.readable import event_rows, readable

PEOPLE = {"zhang": "张伟", "li": "李静"}


@pytest.mark.parametrize("name, value, english, chinese", [
    ("investment", 1_500_000_000, "15 hundred million yuan", "15 亿元"),
    ("investment_completed", 25_000, "2.5 ten thousand yuan", "2.5 万元"),
    ("planned_on", date(2026, 3, 1), "2026-03-01", "2026-03-01"),
    ("reached_on", "2026-03-02", "2026-03-02", "2026-03-02"),
    ("milestone", "land_delivered", "Land delivered", "交地"),
    ("phase", "construction", "Construction", "建设"),
    ("status", "granted", "Granted", "已办结"),
    ("action", "void", "Void", "作废"),
    ("same_day", True, "Yes", "是"),
    ("rating", 4, "4 of 5", "4 分（满分 5 分）"),
    ("chief_agent", "zhang", "张伟", "张伟"),  # a person by their name, never a username
    ("co_agents", ["zhang", "wang"], "张伟, wang", "张伟、wang"),
    ("missing_documents", ["水保方案", "能评"], "水保方案, 能评", "水保方案、能评"),
    ("note", None, "—", "—"),
    ("co_agents", [], "—", "—"),
    ("milestone", "not_a_milestone", "not_a_milestone", "not_a_milestone"),
    ("commitment", {"due_on": date(2026, 5, 1), "fulfilled_on": None},
     "Due on: 2026-05-01; Fulfilled on: —", "到期日: 2026-05-01; 兑现日期: —"),
])
def test_values_read_in_both_languages(page, name, value, english, chinese):
    with force_locale("en"):
        assert readable(name, value, PEOPLE) == english
    with force_locale("zh_CN"):
        assert readable(name, value, PEOPLE) == chinese


def test_an_event_reads_its_fields_in_order_then_server_fields_then_any_others(page):
    data = {"corrects_version": 5, "action": "amend", "reason": "记录有误",
            "changes": {"purpose": "了解用工需求", "occurred_on": date(2026, 11, 20)},
            "confirmed": ["date_too_early"], "corrected_type": "visit_logged",
            "previous": {"purpose": "了解投产计划"}, "added_later": "x"}
    with force_locale("en"):
        rows = event_rows("corrected", data, PEOPLE)
        assert [r.name for r in rows] == ["corrects_version", "action", "reason", "changes",
                                          "confirmed", "corrected_type", "previous",
                                          "added_later"]
        assert rows[0].version == 5 and rows[0].value == "5"
        assert [(r.label, r.value) for r in rows[3].rows] == [
            ("Purpose", "了解用工需求"), ("Business date", "2026-11-20")]
        assert rows[4].value == "Yes, the date is before 2000"
        assert str(rows[5].value) == "Visit logged"
        assert (rows[7].label, rows[7].value) == ("added_later", "x")

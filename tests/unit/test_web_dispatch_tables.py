"""The dispatch report's tables, shared by the page and Excel: how each kind of value reads, why
each red flag is red in words, and Excel's numbers, dates and sheet names. Outside a request the
texts are the English message ids."""

from __future__ import annotations

from datetime import date

import pytest

from app.web.dispatch_tables import BY_NAME, FIGURES, Column, Context, html, text
from app.web.flag_reasons import reason_text
from app.web.xlsx import cell, sheet_name

CONTEXT = Context(names={"zhang": "张伟", "office": "陈敏"}, end=date(2026, 11, 29))


def flag(rule: str, title: str = "施工用电", **thresholds) -> dict:
    """A flag as reports published before flags had a structured reason give it."""
    kind = rule.split("_")[0] if rule.split("_")[0] in ("milestone", "problem") else "other"
    return {"rule": rule, "subject": {"title": title, "kind": kind}, "due_on": date(2026, 11, 23),
            "working_days_late": 4, "thresholds": thresholds}


@pytest.mark.parametrize("red, reads", [
    (flag("milestone_overdue", "land_delivered", warning_working_days=5),
     "Land delivered was planned for 2026-11-23 and is not reached on 2026-11-29: 4 working "
     "days late."),
    (flag("problem_not_solved_same_day"),
     "The problem “施工用电”, raised on 2026-11-23 as one to solve the same day, is still open "
     "on 2026-11-29."),
    (flag("problem_plan_late", plan_within_working_days=2),
     "The problem “施工用电” has no solution plan on 2026-11-29; one was due within 2 working "
     "days of its raising, by 2026-11-23."),
    (flag("problem_follow_up_late", old_after_working_days=10, follow_up_every_working_days=5),
     "The problem “施工用电” is old (open over 10 working days) and must be followed up every 5 "
     "working days; a follow-up was due by 2026-11-23."),
    (flag("commitment_overdue", "环评 (县生态环境局)"),
     "The documents promised for 环评 (县生态环境局) were due by 2026-11-23 and are not supplied "
     "on 2026-11-29: 4 working days late."),
    (flag("a_rule_to_come"), "a_rule_to_come: due by 2026-11-23."),
])
def test_each_red_flag_says_why_in_a_sentence_from_its_own_data(red, reads):
    assert reason_text(red, CONTEXT.end) == reads


def test_the_office_owns_a_flag_escalated_to_it_and_users_show_by_name():
    assert CONTEXT.owner("office") == "Service centre"  # the role, not the user named office
    assert CONTEXT.person("office") == "陈敏"
    assert CONTEXT.owner("zhang") == "张伟"
    assert CONTEXT.person("gone") == "gone" and CONTEXT.person(None) == "—"


@pytest.mark.parametrize("column, value, reads", [
    (Column("m", "v", "money"), 150_000_000, "1.5 hundred million yuan"),
    (Column("m", "v", "money"), 52_000, "5.2 ten thousand yuan"),
    (Column("r", "v", "rate"), 0.8571, "85.7%"),
    (Column("d", "v", "date"), date(2026, 11, 23), "2026-11-23"),
    (Column("y", "v", "yes_no", words=("On time", "Late")), False, "Late"),
    (Column("y", "v", "yes_no"), True, "Yes"),
    (Column("p", "v", "person"), "zhang", "张伟"),
    (Column("c", "v", "code", {"land": "Land"}), "land", "Land"),
    (Column("c", "v", "code", {}), "unknown_code", "unknown_code"),
    (Column("l", "v", "list"), ["图纸", "章程"], "图纸, 章程"),
    (Column("t", "v"), None, "—"),
    # A median is an integer when whole, else to one decimal, whatever type it came as.
    (Column("n", "v", "number"), 117.0, "117"),
    (Column("n", "v", "number"), 7, "7"),
    (Column("n", "v", "number"), 11.5, "11.5"),
    (Column("n", "v", "number"), 1.35, "1.4"),
])
def test_each_kind_of_value_reads_in_words(column, value, reads):
    assert text(column, {"v": value}, CONTEXT) == reads


def test_project_names_link_to_the_project_and_are_escaped():
    row = {"project_id": "p-1", "project": "<b>鲁丽</b>"}
    assert html(BY_NAME["investment"].columns[0], row, CONTEXT) == (
        '<a href="/projects/p-1">&lt;b&gt;鲁丽&lt;/b&gt;</a>')


def test_the_roll_up_shows_investment_as_money_and_the_other_figures_as_counts():
    def figures():
        return dict.fromkeys(("signed", "milestones_reached", "approvals_granted",
                              "problems_raised", "problems_solved", "investment_completed"), 0)
    into = {"enclosing": {"cadence": "monthly", "id": "2026-11", "start": "2026-11-01",
                          "end": "2026-11-30"}} | {
        name: figures() for name in ("contribution", "enclosing_to_date", "share")}
    report = {"roll_up": {"period": figures(), "into": [into]}}
    report["roll_up"]["period"].update(signed=2, investment_completed=300_000_000)
    table = BY_NAME["roll_up"]
    rows = {row["figure"]: row for row in table.rows(report, CONTEXT)}
    this_period = table.columns[3]
    assert text(this_period, rows["signed"], CONTEXT) == "2"
    assert text(this_period, rows["investment_completed"], CONTEXT) == "3 hundred million yuan"
    assert cell(this_period, rows["investment_completed"], CONTEXT)[0] == 30_000  # 万元
    assert rows["signed"]["into"] == "November 2026"
    unit = table.columns[2]  # each row's unit, as the figures' units differ
    assert [text(unit, rows[name], CONTEXT) for name in ("signed", "investment_completed")] == [
        "number", "10,000 yuan"]


def test_a_rate_over_nothing_is_no_figure_rather_than_zero():
    report = {"milestones_reached": {"on_time_rate": 0.0, "with_plan": 0}}
    on_time = next(f for f in FIGURES if str(f.header) == "Milestone on-time rate")
    assert on_time.value(report) is None and text(on_time, report, CONTEXT) == "—"
    report["milestones_reached"] = {"on_time_rate": 0.5, "with_plan": 2}
    assert text(on_time, report, CONTEXT) == "50.0%"


@pytest.mark.parametrize("column, value, expected", [
    (Column("m", "v", "money"), 1_234_567_800, (123_456.78, '#,##0.00" 10,000 yuan"')),
    (Column("r", "v", "rate"), 0.15, (0.15, "0.0%")),
    (Column("d", "v", "date"), date(2026, 11, 23), (date(2026, 11, 23), "yyyy-mm-dd")),
    (Column("n", "v", "number"), 2.5, (2.5, "0.0")),
    (Column("n", "v", "number"), 117.0, (117, "0")),
    (Column("i", "v", "int"), 30, (30, "0")),
    (Column("y", "v", "yes_no"), True, ("Yes", None)),
    (Column("i", "v", "int"), None, (None, None)),
])
def test_excel_keeps_numbers_as_numbers_and_dates_as_dates_with_their_formats(
        column, value, expected):
    assert cell(column, {"v": value}, CONTEXT) == expected


def test_sheet_names_are_what_excel_allows():
    assert sheet_name("a/b:c*d?e[f]g\\h") == "a b c d e f g h"
    assert len(sheet_name("x" * 40)) == 31

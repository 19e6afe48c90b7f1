"""The difference between two states of a project, as auditors compare them."""

from __future__ import annotations

import copy
from datetime import date

from domain.diff import field_changes, project_diff
from domain.views import project_view


def _change(field, old, new, within=None):
    return {"field": field, "within": within, "old": old, "new": new}


def test_a_state_compared_with_itself_is_unchanged(make_project):
    state = project_view(make_project())
    diff = project_diff(state, copy.deepcopy(state))
    assert diff["unchanged"] is True
    assert diff["fields"] == diff["milestones"] == []
    assert diff["approvals"] == diff["problems"] == {"added": [], "removed": [], "changed": []}


def test_a_milestone_reached_shows_its_date_and_the_new_phase(make_project, record):
    project = make_project()
    before = project_view(project)
    record(project, "milestone_reached", milestone="land_approved", on=date(2024, 5, 6))
    diff = project_diff(before, project_view(project))
    assert diff["milestones"] == [{"milestone": "land_approved",
                                   "changes": [_change("reached_on", None, date(2024, 5, 6))]}]
    assert diff["fields"] == [_change("phase", "signing", "land")]
    assert (diff["from_version"], diff["to_version"], diff["unchanged"]) == (1, 2, False)


def test_a_replanned_milestone_shows_the_old_and_new_planned_dates(make_project, record):
    project = make_project()
    record(project, "milestone_planned", milestone="project_filed", planned_on=date(2024, 6, 1))
    before = project_view(project)
    record(project, "milestone_planned", milestone="project_filed", planned_on=date(2024, 7, 1),
           reason="材料补正")
    diff = project_diff(before, project_view(project))
    assert diff["milestones"] == [{"milestone": "project_filed", "changes": [
        _change("planned_on", date(2024, 6, 1), date(2024, 7, 1))]}]
    assert diff["fields"] == []


def test_approvals_added_then_granted_with_a_commitment_then_fulfilled(make_project, record):
    project = make_project()
    start = project_view(project)
    record(project, "approval_applied", approval_id="AP-1", item="环评", department="生态环境局")
    applied = project_view(project)
    added = project_diff(start, applied)["approvals"]
    assert [a["id"] for a in added["added"]] == ["AP-1"] and not added["changed"]

    record(project, "approval_granted", approval_id="AP-1", missing_documents=["水保方案"],
           commitment_due_on=date(2024, 6, 1), on=date(2024, 4, 5))
    granted = project_view(project)
    changed = project_diff(applied, granted)["approvals"]["changed"]
    assert [c["id"] for c in changed] == ["AP-1"]
    assert changed[0]["changes"][:2] == [_change("status", "applied", "granted"),
                                         _change("decided_on", None, date(2024, 4, 5))]
    assert changed[0]["changes"][2]["field"] == "commitment"

    record(project, "commitment_fulfilled", approval_id="AP-1", on=date(2024, 5, 1))
    fulfilled = project_diff(granted, project_view(project))["approvals"]["changed"]
    assert fulfilled[0]["changes"] == [
        _change("fulfilled_on", None, date(2024, 5, 1), within="commitment")]


def test_a_voided_problem_is_removed_and_a_new_one_added(make_project, record):
    project = make_project()
    record(project, "problem_raised", problem_id="PB-1", title="用电未接入")
    before = project_view(project)
    record(project, "problem_raised", problem_id="PB-2", title="道路未通")
    record(project, "corrected", actor="office", corrects_version=2, action="void",
           reason="重复登记")
    diff = project_diff(before, project_view(project))["problems"]
    assert [p["id"] for p in diff["added"]] == ["PB-2"]
    assert [p["id"] for p in diff["removed"]] == ["PB-1"]
    assert diff["changed"] == []


def test_a_problem_followed_up_changes_only_its_last_activity(make_project, record):
    project = make_project()
    record(project, "problem_raised", problem_id="PB-1", title="用电未接入", on=date(2024, 4, 1))
    before = project_view(project)
    record(project, "problem_followed_up", problem_id="PB-1", note="已勘察", on=date(2024, 4, 3))
    changed = project_diff(before, project_view(project))["problems"]["changed"]
    assert changed == [{"id": "PB-1", "item": project_view(project)["problems"][0],
                        "changes": [_change("last_activity_on", date(2024, 4, 1),
                                            date(2024, 4, 3))]}]


def test_a_new_team_shows_chief_and_co_agents(make_project, record):
    project = make_project()
    before = project_view(project)
    record(project, "team_assigned", actor="office", chief_agent="li", co_agents=["zhang"])
    assert project_diff(before, project_view(project))["fields"] == [
        _change("chief_agent", "zhang", "li"), _change("co_agents", ["li"], ["zhang"])]


def test_field_changes_name_fields_only_one_side_has():
    assert field_changes({"a": 1}, {"a": 1, "b": 2}) == [_change("b", None, 2)]
    assert field_changes({"a": 1, "version": 3}, {"version": 4}) == [_change("a", 1, None)]

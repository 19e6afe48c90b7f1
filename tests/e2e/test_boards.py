"""GET /api/boards/<username>: an agent's live board, its clocks, and who may read it."""

from __future__ import annotations

from tests.e2e.helpers import event_path
from tests.e2e.test_api_errors import assert_error


def _post_all(api, project, steps):
    version = project["version"]
    for user, body in steps:
        response = api(user).post(event_path(project["id"]),
                                  json=body | {"expected_version": version})
        assert response.status_code == 201, response.get_json()
        version = response.get_json()["version"]
    return version


def _late_project(api, project):
    """A milestone past its plan, a problem without a plan for 3 working days, a commitment due."""
    return _post_all(api, project, [
        ("zhang", {"type": "milestone_planned", "occurred_on": "2026-06-01",
                   "milestone": "land_approved", "planned_on": "2026-11-20"}),
        ("li", {"type": "problem_raised", "occurred_on": "2026-11-20", "problem_id": "P1",
                "title": "林地指标不足", "responsible_unit": "县林业局"}),
        ("zhang", {"type": "approval_applied", "occurred_on": "2026-10-01",
                   "approval_id": "A1", "item": "环评", "department": "县生态环境局"}),
        ("zhang", {"type": "approval_granted", "occurred_on": "2026-10-09", "approval_id": "A1",
                   "missing_documents": ["水保方案"], "commitment_due_on": "2026-11-24"}),
    ])


def test_an_agents_board_shows_their_projects_with_red_flags_that_explain_themselves(
        api, project):
    _late_project(api, project)
    response = api("li").get("/api/boards/li")
    assert response.status_code == 200, response.get_json()
    board = response.get_json()
    assert board["today"] == "2026-11-25"
    (card,) = board["projects"]
    assert (card["id"], card["role"], card["chief_agent"]) == (project["id"], "co_agent", "zhang")
    assert card["next_milestone"] == {"milestone": "land_approved", "planned_on": "2026-11-20",
                                      "colour": "red"}
    rules = sorted(flag["rule"] for flag in card["flags"])
    assert rules == ["commitment_overdue", "milestone_overdue", "problem_plan_late"]
    assert card["red_flags"] == 3 and board["counts"]["red_flags"] == 3
    late = next(f for f in card["flags"] if f["rule"] == "problem_plan_late")
    # raised on Friday 20 Nov: two working days later is Tuesday 24 Nov
    assert late["due_on"] == "2026-11-24"
    assert late["thresholds"] and "林地指标不足" in late["explanation"]
    assert late["reason"]["rule"] == "problem_plan_late"  # to word in any language
    assert {k: late["reason"]["values"][k] for k in ("title", "raised_on", "due_on", "day")} == {
        "title": "林地指标不足", "raised_on": "2026-11-20", "due_on": "2026-11-24",
        "day": "2026-11-25"}
    assert [e["actor"] for e in late["events"]] == ["li"]
    (problem,) = card["open_problems"]
    assert (problem["id"], problem["has_plan"], len(problem["flags"])) == ("P1", False, 1)
    (commitment,) = card["open_commitments"]
    assert commitment["missing_documents"] == ["水保方案"] and commitment["flags"]
    assert card["last_event"]["type"] == "approval_granted"


def test_the_board_shows_a_write_at_once(api, project):
    version = _late_project(api, project)
    _post_all(api, project | {"version": version}, [
        ("li", {"type": "problem_plan_proposed", "occurred_on": "2026-11-25",
                "problem_id": "P1", "plan": "申请省级林地指标"})])
    card = api("li").get("/api/boards/li").get_json()["projects"][0]
    # the board asks for what is still to do: a plan now proposed, even late, clears the flag
    assert "problem_plan_late" not in [f["rule"] for f in card["flags"]]
    assert card["open_problems"][0]["has_plan"] is True
    _post_all(api, project | {"version": version + 1}, [
        ("li", {"type": "problem_resolved", "occurred_on": "2026-11-25", "problem_id": "P1",
                "resolution": "已获批"})])
    card = api("li").get("/api/boards/li").get_json()["projects"][0]
    assert card["open_problems"] == []


def test_a_chief_agent_sees_the_load_of_their_teams(api, project):
    _late_project(api, project)
    board = api("zhang").get("/api/boards/zhang").get_json()
    assert board["counts"]["as_chief"] == 1
    assert {row["username"]: row["projects"] for row in board["team_load"]} == {
        "zhang": 1, "li": 1}
    assert all(row["red_flags"] == 3 for row in board["team_load"])
    assert api("li").get("/api/boards/li").get_json()["team_load"] == []


def test_an_agent_with_no_projects_has_an_empty_board(api, project):
    board = api("wang").get("/api/boards/wang").get_json()
    assert board["projects"] == [] and board["counts"]["projects"] == 0


def test_an_agent_reads_only_their_own_board_others_read_any(api, project):
    assert_error(api("wang").get("/api/boards/zhang"), 403, "forbidden", None)
    for reader in ("office", "leader", "auditor"):
        assert api(reader).get("/api/boards/zhang").status_code == 200


def test_boards_exist_for_known_agents_only(api, project):
    assert_error(api("office").get("/api/boards/nobody"), 404, "user_not_found", "username")
    assert_error(api("office").get("/api/boards/leader"), 422, "not_an_agent", "username")

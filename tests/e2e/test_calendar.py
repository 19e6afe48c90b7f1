"""The working-day calendar as data the office controls: `flask calendar status` and `load`,
reports and boards that say when they count a year the calendar does not know, and periods
that have not begun."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app import create_app
from tests.conftest import app_config
from tests.e2e.conftest import SIGNING, USERS

# 2027's official schedule (the package, 1.11.0, does not know 2027): New Year's Day and the
# first days of the Spring Festival, with a make-up Saturday.
SCHEDULE_2027 = "date,kind\n2027-01-01,holiday\n2027-02-06,holiday\n2027-02-20,workday\n"
YEAR_END = date(2026, 12, 28)  # a Monday: five working days on reach into 2027


@pytest.fixture
def year_end(store_env):
    """The app on a fresh store whose today is 28 December 2026, with its users and tokens."""
    flask_app = create_app(app_config(store_env, clock=lambda: YEAR_END))
    with flask_app.app_context():
        from app.store import service

        banban = service()
        for username, role in USERS:
            banban.register_user(username, role, actor="test", password_hash="x")
        tokens = {u: banban.issue_token(u, actor="test") for u, _ in USERS}
    yield flask_app, banban, tokens
    flask_app.extensions["banban.store"].close()


def get(flask_app, tokens, path, user="leader"):
    return flask_app.test_client().get(path, headers={"Authorization": f"Bearer {tokens[user]}"})


def post(flask_app, tokens, path, body, user="office"):
    return flask_app.test_client().post(
        path, json=body, headers={"Authorization": f"Bearer {tokens[user]}"})


def sign_with_a_plan_in_2027(flask_app, tokens) -> str:
    signed = post(flask_app, tokens, "/api/projects", SIGNING | {"signed_on": "2026-12-01"})
    assert signed.status_code == 201, signed.get_json()
    project = signed.get_json()
    planned = post(flask_app, tokens, f"/api/projects/{project['id']}/events", {
        "type": "milestone_planned", "expected_version": 1, "occurred_on": "2026-12-01",
        "milestone": "land_approved", "planned_on": "2027-01-04"})
    assert planned.status_code == 201, planned.get_json()
    return project["id"]


def write(tmp_path, text: str, name: str = "2027.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_status_lists_each_year_from_the_first_signing_to_next_year_with_its_source(
        year_end):
    flask_app, _, tokens = year_end
    sign_with_a_plan_in_2027(flask_app, tokens)

    result = flask_app.test_cli_runner().invoke(args=["calendar", "status"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1].split()[:2] == ["2026", "package"]
    assert lines[2].split()[:2] == ["2027", "unknown"]
    assert len(lines) == 3


def test_status_begins_with_the_year_of_the_earliest_signing_whenever_it_was_recorded(
        year_end):
    flask_app, banban, tokens = year_end
    sign_with_a_plan_in_2027(flask_app, tokens)
    earlier = post(flask_app, tokens, "/api/projects",
                   SIGNING | {"name": "补录的项目", "signed_on": "2024-06-03"})
    assert earlier.status_code == 201, earlier.get_json()
    lines = flask_app.test_cli_runner().invoke(args=["calendar", "status"]).output.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["2024", "2025", "2026", "2027"]


def test_a_count_across_an_unknown_year_says_so_until_the_office_loads_it(year_end, tmp_path):
    flask_app, banban, tokens = year_end
    sign_with_a_plan_in_2027(flask_app, tokens)
    before_load = datetime.now(timezone.utc)

    board = get(flask_app, tokens, "/api/boards/zhang", user="zhang").get_json()
    report = get(flask_app, tokens, "/api/dispatch/weekly").get_json()
    # 4 January 2027 is within five working days of 28 December, counted Monday to Friday.
    [card] = board["projects"]
    assert card["next_milestone"]["colour"] == "yellow"
    assert [w["year"] for w in board["calendar_warnings"]] == [2027]
    assert [w["year"] for w in report["calendar_warnings"]] == [2027]
    assert "calendar for 2027 is not known yet" in card["flags"][0]["explanation"]

    runner = flask_app.test_cli_runner()
    loaded = runner.invoke(args=["calendar", "load", write(tmp_path, SCHEDULE_2027)])
    assert loaded.exit_code == 0, loaded.output
    assert "2027: 2 holidays, 1 make-up working days" in loaded.output

    assert get(flask_app, tokens, "/api/boards/zhang", user="zhang").get_json()[
        "calendar_warnings"] == []
    assert get(flask_app, tokens, "/api/dispatch/weekly/2026-W53").get_json()[
        "calendar_warnings"] == []
    status = runner.invoke(args=["calendar", "status"]).output
    assert "2027   office   2027.csv" in status and "by cli:" in status
    # A report as known before the load counts by the calendar known then: reproducible.
    assert banban.calendar(as_known_at=before_load).source(2027) == "unknown"
    assert banban.calendar().source(2027) == "office"


def test_a_loaded_year_changes_the_counts_and_overrides_the_package(app, banban, api, tmp_path):
    project = api("office").post("/api/projects", json=SIGNING).get_json()
    planned = api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "milestone_planned", "expected_version": 1, "occurred_on": "2026-11-02",
        "milestone": "land_approved", "planned_on": "2026-11-24"})
    assert planned.status_code == 201
    report = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    [row] = report["milestones_overdue"]["milestones"]
    assert (row["due_on"], row["working_days_overdue"]) == ("2026-11-24", 1)  # today the 25th

    # The office's 2026 says the 24th is a day off: the plan is due on the 25th, not late.
    office_2026 = "date,kind\n2026-01-01,holiday\n2026-11-24,holiday\n"
    result = app.test_cli_runner().invoke(args=["calendar", "load",
                                                write(tmp_path, office_2026, "2026.csv")])
    assert result.exit_code == 0, result.output

    report = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    assert report["milestones_overdue"]["count"] == 0
    assert "2026   office" in app.test_cli_runner().invoke(args=["calendar", "status"]).output


@pytest.mark.parametrize("text, says", [
    ("day,kind\n2027-01-01,holiday\n", "line 1: the header must be 'date,kind'"),
    (SCHEDULE_2027 + "2027-02-30,holiday\n", "line 5: '2027-02-30' is not a date"),
    (SCHEDULE_2027 + "2027-03-02,workday\n", "line 5: 2027-03-02 is a Tuesday"),
])
def test_a_malformed_file_is_refused_naming_the_line_and_nothing_is_recorded(
        app, banban, tmp_path, text, says):
    before = banban.recorder.max_notification_id()

    result = app.test_cli_runner().invoke(args=["calendar", "load", write(tmp_path, text)])

    assert result.exit_code != 0 and says in result.output
    assert banban.recorder.max_notification_id() == before
    assert "2027   unknown" in app.test_cli_runner().invoke(args=["calendar", "status"]).output


def test_a_file_that_is_not_text_is_refused(app, banban, tmp_path):
    path = tmp_path / "schedule.xlsx"
    path.write_bytes(b"PK\x03\x04\xff\xfe binary")

    result = app.test_cli_runner().invoke(args=["calendar", "load", str(path)])

    assert result.exit_code != 0 and "not UTF-8 text" in result.output


# ---- periods that have not begun --------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/api/dispatch/weekly/2030-W01", "/api/dispatch/monthly/2026-12",
    "/api/dispatch/half-monthly/2026-12-H1", "/api/dispatch/quarterly/2027-Q1"])
def test_a_period_that_has_not_begun_is_refused_with_future_period(api, path):
    answer = api("leader").get(path)

    assert answer.status_code == 422
    assert (answer.get_json()["code"], answer.get_json()["field"]) == ("future_period", "period")


def test_the_running_period_is_reported_and_judged_on_today(api):
    report = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    assert (report["period"]["as_of"], report["calendar_warnings"]) == ("2026-11-25", [])

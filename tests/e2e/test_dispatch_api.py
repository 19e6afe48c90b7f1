"""/api/dispatch: reports by cadence and period, publishing frozen reports, changes since."""

from __future__ import annotations

import re

import pytest
from eventsourcing.persistence import IntegrityError

from tests.e2e.helpers import event_path
from tests.e2e.test_api_errors import assert_error


def _record(api, project, user, body, version):
    response = api(user).post(event_path(project["id"]), json=body | {"expected_version": version})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["version"]


@pytest.mark.parametrize("cadence, period, start, end", [
    ("weekly", "2026-W48", "2026-11-23", "2026-11-29"),
    ("half-monthly", "2026-11-H2", "2026-11-16", "2026-11-30"),
    ("monthly", "2026-11", "2026-11-01", "2026-11-30"),
    ("quarterly", "2026-Q4", "2026-10-01", "2026-12-31")])
def test_the_current_period_is_the_default_and_named_periods_answer_the_same(
        api, project, cadence, period, start, end):
    current = api("leader").get(f"/api/dispatch/{cadence}")
    assert current.status_code == 200, current.get_json()
    # A running period is judged as of today (TODAY, 2026-11-25), not its last day.
    assert current.get_json()["period"] == {"cadence": cadence, "id": period,
                                            "start": start, "end": end, "as_of": "2026-11-25"}
    assert api("leader").get(f"/api/dispatch/{cadence}/{period}").get_json() == current.get_json()


def test_the_document_gives_the_shape_of_a_period_id(client):
    path = client.get("/api/openapi.json").get_json()["paths"]["/api/dispatch/{cadence}/{period}"]
    period = next(p for p in path["parameters"] if p["name"] == "period")
    shape = re.compile(period["schema"]["pattern"])
    assert all(shape.search(i) for i in ("2026-W48", "2026-11-H2", "2026-11", "2026-Q4"))
    assert not any(shape.search(i) for i in ("2026-W4", "26-11", "2026-11-H", "２０２６-11", "2026"))


def test_a_report_counts_by_business_date(api, project):
    _record(api, project, "zhang", {"type": "milestone_reached", "occurred_on": "2026-11-24",
                                    "milestone": "land_approved"}, 1)
    week = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    earlier = api("leader").get("/api/dispatch/weekly/2026-W47").get_json()
    assert week["milestones_reached"]["count"] == 1
    assert earlier["milestones_reached"]["count"] == 0
    assert api("leader").get("/api/dispatch/monthly/2026-01").get_json()["signed"]["count"] == 1


@pytest.mark.parametrize("path, field", [
    ("/api/dispatch/daily", "cadence"), ("/api/dispatch/weekly/2026-W54", "period"),
    ("/api/dispatch/monthly/2026-13", "period"), ("/api/dispatch/half-monthly/2026-11-H3",
                                                  "period"),
    ("/api/dispatch/quarterly/1899-Q4", "period")])
def test_a_bad_cadence_or_period_is_422_naming_it(api, project, path, field):
    assert_error(api("leader").get(path), 422, "invalid_field", field)


def test_a_period_of_another_cadence_is_422_saying_so(api, project):
    answer = api("leader").get("/api/dispatch/quarterly/2026-11")
    body = assert_error(answer, 422, "period_of_another_cadence", "period")
    assert "monthly" in body["message"]


def test_only_the_office_publishes_and_not_a_period_to_come(api, project):
    for user in ("zhang", "leader", "auditor"):
        assert_error(api(user).post("/api/dispatch/weekly/2026-W48/publish"), 403,
                     "forbidden", None)
    assert_error(api("office").post("/api/dispatch/weekly/2026-W52/publish"), 422,
                 "future_period", "period")
    assert_error(api("office").get("/api/dispatch/weekly/2026-W48/published"), 422,
                 "not_published", "period")


@pytest.mark.parametrize("overtaken", ["published by another office", "its projects written"])
def test_a_publication_overtaken_is_409_saying_why_and_publishes_nothing(
        api, project, banban, monkeypatch, overtaken):
    if overtaken == "published by another office":
        def save(*aggregates, **kwargs):
            raise IntegrityError("another publication took this version")

        monkeypatch.setattr(banban, "save", save)
        said = "published by someone else at the same moment"
    else:
        moments = iter(range(1_000))  # what the report is made of changes at every look
        monkeypatch.setattr(banban, "_made_of", lambda target: next(moments))
        said = "changed each time it was assembled"
    body = assert_error(api("office").post("/api/dispatch/weekly/2026-W48/publish"), 409,
                        "version_conflict", None)
    assert said in body["message"] and "2026-W48" in body["message"], body
    monkeypatch.undo()
    assert_error(api("office").get("/api/dispatch/weekly/2026-W48/published"), 422,
                 "not_published", "period")


def test_a_published_report_stays_byte_identical_and_changes_since_list_late_entries(
        api, project):
    published = api("office").post("/api/dispatch/weekly/2026-W48/publish")
    assert published.status_code == 201, published.get_json()
    record = published.get_json()
    assert (record["revision"], record["actor"], record["period"]) == (1, "office", "2026-W48")
    frozen = api("leader").get("/api/dispatch/weekly/2026-W48/published")
    assert frozen.status_code == 200
    assert frozen.headers["X-Published-By"] == "office"

    # a late entry about the week, and a correction of it
    version = _record(api, project, "zhang", {"type": "milestone_reached",
                                              "occurred_on": "2026-11-24",
                                              "milestone": "land_approved"}, 1)
    _record(api, project, "office", {"type": "corrected", "occurred_on": "2026-11-25",
                                     "corrects_version": version, "action": "amend",
                                     "reason": "日期有误",
                                     "changes": {"occurred_on": "2026-11-23"}}, version)
    again = api("leader").get("/api/dispatch/weekly/2026-W48/published")
    assert again.get_data() == frozen.get_data()
    now = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    assert now["milestones_reached"]["count"] == 1

    changes = api("leader").get("/api/dispatch/weekly/2026-W48/changes").get_json()
    assert changes["publication"]["revision"] == 1
    assert changes["figures"]["milestones_reached"] == {"published": 0, "now": 1, "change": 1}
    assert [(e["type"], e["actor"]) for e in changes["events"]] == [
        ("milestone_reached", "zhang"), ("corrected", "office")]

    second = api("office").post("/api/dispatch/weekly/2026-W48/publish").get_json()
    assert second["revision"] == 2
    first = api("leader").get("/api/dispatch/weekly/2026-W48/published?revision=1")
    assert first.get_data() == frozen.get_data()
    latest = api("leader").get("/api/dispatch/weekly/2026-W48/published")
    assert latest.get_json()["milestones_reached"]["count"] == 1
    assert api("leader").get("/api/dispatch/weekly/2026-W48/changes").get_json()["events"] == []


def test_a_report_carries_the_seeds_measures_what_is_due_next_and_the_comparison(api, project):
    _record(api, project, "zhang", {"type": "milestone_reached", "occurred_on": "2026-11-24",
                                    "milestone": "construction_started"}, 1)
    _record(api, project, "zhang", {"type": "milestone_planned", "occurred_on": "2026-11-24",
                                    "milestone": "completion_accepted",
                                    "planned_on": "2026-11-30"}, 2)
    week = api("leader").get("/api/dispatch/weekly/2026-W48").get_json()
    started = week["measures"]["signing_to_construction"]
    # Signed on 5 January 2026: 323 days to 24 November, 10.6 months.
    assert [(p["days"], p["months"]) for p in started["projects"]] == [(323, 10.6)]
    assert started["period"] == {"count": 1, "median_days": 323, "median_months": 10.6}
    assert [(i["id"], i["due_on"], i["owner"]) for i in week["due_next_7_days"]["items"]] == [
        ("completion_accepted", "2026-11-30", "zhang")]
    assert week["comparison"]["previous"]["id"] == "2026-W47"
    assert week["comparison"]["figures"]["milestones_reached"] == {
        "this": 1, "previous": 0, "change": 1}


def test_the_trend_gives_each_periods_figures_oldest_first(api, project):
    answer = api("leader").get("/api/dispatch/weekly/2026-W48/trend", query_string={"count": 3})
    assert answer.status_code == 200, answer.get_json()
    trend = answer.get_json()
    assert [point["period"]["id"] for point in trend] == ["2026-W46", "2026-W47", "2026-W48"]
    assert set(trend[-1]["measures"]) == {"approval_time", "signing_to_construction",
                                          "land_approval", "same_day", "plan_in_time"}
    assert_error(api("leader").get("/api/dispatch/weekly/2026-W48/trend",
                                   query_string={"count": 0}), 422, "invalid_field", "count")
    assert_error(api("leader").get("/api/dispatch/weekly/2030-W01/trend"), 422,
                 "future_period", "period")

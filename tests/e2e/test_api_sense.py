"""Sense checks through the API: an unusual value is a 422 naming its check, its field and the
codes to confirm; sent again with `confirmed`, it is recorded and the record keeps it."""

from __future__ import annotations

from tests.e2e.conftest import SIGNING
from tests.e2e.helpers import history, post_event


def test_an_investment_above_the_total_is_refused_then_recorded_confirmed(api, project):
    total = SIGNING["investment"]

    refused = post_event(api, "zhang", project["id"], "progress_reported",
                         {"investment_completed": total + total // 10}, 1)
    assert refused.status_code == 422
    body = refused.get_json()
    assert (body["code"], body["field"], body["confirm"]) == (
        "investment_above_total", "investment_completed", ["investment_above_total"])
    assert len(history(api, project["id"])["events"]) == 1

    recorded = post_event(api, "zhang", project["id"], "progress_reported",
                          {"investment_completed": total + total // 10,
                           "confirmed": ["investment_above_total"]}, 1)
    assert recorded.status_code == 201, recorded.get_json()
    assert history(api, project["id"])["events"][-1]["data"]["confirmed"] == [
        "investment_above_total"]


def test_a_duplicate_name_is_refused_then_signed_confirmed(api, project):
    again = SIGNING | {"name": " " + SIGNING["name"].replace("绿色", "绿色 ")}

    refused = api("office").post("/api/projects", json=again)
    assert refused.status_code == 422
    assert (refused.get_json()["code"], refused.get_json()["field"]) == ("duplicate_name", "name")

    signed = api("office").post("/api/projects", json=again | {"confirmed": ["duplicate_name"]})
    assert signed.status_code == 201, signed.get_json()


def test_a_date_too_far_ahead_is_refused_naming_its_field(api, project):
    refused = post_event(api, "zhang", project["id"], "milestone_planned",
                         {"milestone": "land_approved", "planned_on": "2070-01-01"}, 1)

    assert refused.status_code == 422
    assert (refused.get_json()["code"], refused.get_json()["field"]) == (
        "date_too_far", "planned_on")


def test_a_confirmation_no_check_of_the_event_has_is_an_invalid_field(api, project):
    refused = post_event(api, "zhang", project["id"], "progress_reported",
                         {"investment_completed": 5, "confirmed": ["duplicate_name"]}, 1)

    assert refused.status_code == 422
    assert (refused.get_json()["code"], refused.get_json()["field"]) == (
        "invalid_field", "confirmed.0")

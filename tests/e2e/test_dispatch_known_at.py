"""Dispatch reports as known at a recorded time (`?as_known_at=`), published reports equal to
that recomputation byte for byte, and the seal every publication carries."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

from domain.canonical import to_json
from domain.chain import short_code
from domain.periods import SHANGHAI
from tests.e2e.test_api_errors import assert_error
from tests.e2e.test_dispatch_api import _record

WEEK = "/api/dispatch/weekly/2026-W48"


def known_at(api, moment: str):
    return api("auditor").get(f"{WEEK}?as_known_at={quote(moment)}")


def test_a_published_report_is_its_recomputation_as_known_at_its_publication(
        api, project, banban):
    _record(api, project, "zhang", {"type": "milestone_reached", "occurred_on": "2026-11-23",
                                    "milestone": "land_approved"}, 1)
    record = api("office").post(f"{WEEK}/publish").get_json()
    published = api("auditor").get(f"{WEEK}/published").get_data(as_text=True)
    # Late entries about the week, and a correction, after the publication.
    version = _record(api, project, "zhang", {"type": "problem_raised", "title": "停电",
                                              "occurred_on": "2026-11-24"}, 2)
    _record(api, project, "office", {"type": "corrected", "corrects_version": 2,
                                     "action": "void", "reason": "误报"}, version)

    moment = record["published_at"]
    assert to_json(banban.dispatch("weekly", "2026-W48",
                                   as_known_at=datetime.fromisoformat(moment))) == published
    then = known_at(api, moment)
    assert then.status_code == 200, then.get_json()
    assert then.get_data(as_text=True).rstrip("\n") == published  # byte for byte
    now = api("auditor").get(WEEK).get_json()
    assert now != then.get_json()
    assert (now["milestones_reached"]["count"], then.get_json()["milestones_reached"]["count"]
            ) == (0, 1)

    # A time without an offset is Shanghai time; before the signing there is no project.
    local = datetime.fromisoformat(moment).astimezone(SHANGHAI).replace(tzinfo=None)
    assert known_at(api, local.isoformat()).get_data(as_text=True).rstrip("\n") == published
    signed = api("auditor").get(f"/api/projects/{project['id']}/events").get_json()[
        "events"][0]["recorded_at"]
    january = "/api/dispatch/monthly/2026-01?as_known_at="  # the month it was signed in
    for moment, count in ((datetime.fromisoformat(signed) - timedelta(seconds=1), 0),
                          (datetime.fromisoformat(signed), 1)):
        report = api("auditor").get(january + quote(moment.isoformat())).get_json()
        assert report["signed"]["count"] == count, moment


def test_a_publication_is_assembled_as_leaders_read_it_not_recomputed_from_histories(
        api, project, banban, monkeypatch):
    """The reference (every history read, minutes for a province) is for `as_known_at`; a
    publication is assembled from the kept parts, and is that recomputation all the same."""
    _record(api, project, "zhang", {"type": "milestone_reached", "occurred_on": "2026-11-23",
                                    "milestone": "land_approved"}, 1)
    read = []
    histories = banban._projects_known_at
    monkeypatch.setattr(banban, "_projects_known_at", lambda *args: read.append(args) or
                        histories(*args))
    record = api("office").post(f"{WEEK}/publish").get_json()
    assert read == []
    published = api("auditor").get(f"{WEEK}/published").get_data(as_text=True)
    assert known_at(api, record["published_at"]).get_data(as_text=True).rstrip("\n") == \
        published and read


@pytest.mark.parametrize("late", [timedelta(0), timedelta(minutes=10)])
def test_a_write_landing_while_a_publication_is_assembled_makes_it_assembled_again(
        api, project, banban, monkeypatch, late):
    """A write saved while the report is assembled, made after the publication's moment
    (it would be in the report and not in the recomputation) or before it (a write in
    flight: in the recomputation and not in the report, here with the moment made late):
    the report is assembled again, and is the recomputation."""
    from domain import dispatching
    from domain.publications import Publication

    moments = Publication.Published.create_timestamp
    monkeypatch.setattr(Publication.Published, "create_timestamp",
                        classmethod(lambda cls: moments() + late))
    assemble, writes = dispatching.assemble, []

    def write_once(*args, **kwargs):
        if not writes:
            writes.append(_record(api, project, "zhang", {
                "type": "milestone_reached", "occurred_on": "2026-11-24",
                "milestone": "land_approved"}, 1))
        return assemble(*args, **kwargs)

    monkeypatch.setattr(dispatching, "assemble", write_once)
    monkeypatch.setattr(banban, "REUSED", 0)
    record = api("office").post(f"{WEEK}/publish").get_json()
    assert writes == [2]
    published = api("auditor").get(f"{WEEK}/published").get_data(as_text=True)
    assert '"milestones_reached":{"count":1' in published.replace(" ", "")
    assert known_at(api, record["published_at"]).get_data(as_text=True).rstrip("\n") == \
        published


def test_as_known_at_must_be_a_date_and_time(api, project):
    assert_error(known_at(api, "yesterday"), 422, "invalid_field", "as_known_at")
    assert_error(api("auditor").get(f"{WEEK}?as_of=2026-11-01"), 422, "invalid_field", "as_of")


def test_every_publication_carries_the_seal_of_the_record_it_was_computed_from(
        api, project, app):
    record = api("office").post(f"{WEEK}/publish").get_json()
    seal = record["seal"]
    assert set(seal) == {"head", "code", "position"} and seal["code"] == short_code(seal["head"])
    published = api("auditor").get(f"{WEEK}/published")
    assert (published.headers["X-Seal"], published.headers["X-Seal-Code"]) == (
        seal["head"], seal["code"])
    second = api("office").post(f"{WEEK}/publish").get_json()["seal"]
    assert second["position"] > seal["position"] and second["head"] != seal["head"]
    changes = api("auditor").get(f"{WEEK}/changes").get_json()
    assert changes["publication"]["seal"] == second

    # The seal is a head the chain passed through, where the publication event follows.
    with app.app_context():
        checked = app.test_cli_runner().invoke(args=["audit", "verify", "--seal", seal["code"]])
    assert checked.exit_code == 0, checked.output
    assert f"{seal['code']} is the head after {seal['position']} events" in checked.output

"""`flask projections rebuild` and `status`, and views that follow writes from any worker."""

from __future__ import annotations

import re
from datetime import date

import pytest

from domain.application import Banban
from domain.dispatching import EVERY_PERIOD
from domain.periods import CADENCES, Period
from tests.conftest import TODAY
from tests.e2e.server import Gunicorn


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def parts_kept_of(signed_on: str, periods: int = 6) -> int:
    """How many parts of a project signed on a day the runner keeps: each cadence's last
    `periods` periods' trend points and reports (each compared with the period before it):
    each report's period half and the half of the day it is judged on (today's shared by
    the running periods, a period gone by's last day's by those ending on it); only of the
    periods that end on or after the signing (a project signed later adds nothing to them)."""
    signed, trend, halves, days = date.fromisoformat(signed_on), 0, set(), set()
    for cadence in CADENCES:
        window = [Period.containing(cadence, TODAY)]
        while len(window) < periods + 1:
            window.append(window[-1].previous())
        trend += sum(each.end >= signed for each in window[:-1])
        for each in window:
            if each.end >= signed:
                halves.add(each)
                days.add(min(each.end, TODAY))
    return trend + len(halves) + len(days)


def test_status_shows_the_lag_and_rebuild_brings_it_to_zero(runner, api, project, banban):
    api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"})
    before = runner.invoke(args=["projections", "status"])
    assert before.exit_code == 0, before.output
    row = before.output.splitlines()[1].split()
    last = banban.recorder.max_notification_id()
    # The visit is not read yet (the signing's check of names read the cards): a lag.
    assert row[0] == "project" and row[-2] == str(last) and int(row[-1]) >= 2

    rebuilt = runner.invoke(args=["projections", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "2 events applied" in rebuilt.output
    after = runner.invoke(args=["projections", "status"]).output.splitlines()[1].split()
    assert after[-3:] == [str(last), str(last), "0"]


def test_status_counts_the_kept_report_parts_and_rebuild_empties_them(runner, api, project):
    assert "report parts: 0 kept" in runner.invoke(args=["projections", "status"]).output
    report = api("leader").get("/api/dispatch/weekly")
    assert report.status_code == 200
    # This week's parts and last week's (the report compares with it): each period's half
    # and the half of the day it is judged on.
    assert "report parts: 4 kept" in runner.invoke(args=["projections", "status"]).output
    rebuilt = runner.invoke(args=["projections", "rebuild"])
    assert "report parts: emptied" in rebuilt.output
    assert "report parts: 0 kept" in runner.invoke(args=["projections", "status"]).output
    # The next report makes its parts again, and says the same.
    assert api("leader").get("/api/dispatch/weekly").get_json() == report.get_json()
    # A runner made them all, then a rebuild emptied them: the runner makes them again.
    assert "report parts: made" in runner.invoke(args=["projections", "run", "--once"]).output
    assert "report parts: emptied" in runner.invoke(args=["projections", "rebuild"]).output
    assert "report parts: made" in runner.invoke(args=["projections", "run", "--once"]).output


def test_the_view_runner_makes_the_current_periods_report_parts(runner, api, project, banban,
                                                                 monkeypatch):
    assert api("office").get("/api/projects").status_code == 200  # the cards caught up
    # Signed in January: the quarters before it are made of no project (63 parts, where a
    # project signed before all the periods has 71: each cadence's six trend periods, 24
    # parts, the report of each, compared with the period before, 28 periods' halves, and
    # the halves of the days they are judged on, today and the 18 days those periods ended on).
    kept = parts_kept_of(project["signed_on"])
    assert (kept, parts_kept_of("2024-01-01")) == (63, 71)
    before = runner.invoke(args=["projections", "status"]).output
    assert f"report parts today: 0 of the {kept} the last 6 periods need are made, " \
        f"{kept} lacking" in before, before
    assert runner.invoke(args=["projections", "run", "--once"]).exit_code == 0
    after = runner.invoke(args=["projections", "status"]).output
    assert f"report parts: {kept} kept" in after
    assert f"report parts today: {kept} of the {kept} the last 6 periods need are made, " \
        "0 lacking" in after, after
    loaded = []  # projects read for their parts (from the facts the cards keep of them)
    original = banban._histories_for_parts
    monkeypatch.setattr(banban, "_histories_for_parts",
                        lambda ids: loaded.extend(ids) or original(ids))
    for cadence in CADENCES:
        assert api("leader").get(f"/api/dispatch/{cadence}").status_code == 200
        # A leader stepping back through the trend's periods reads their reports too.
        period = Period.containing(cadence, TODAY)
        for _ in range(5):
            period = period.previous()
            assert api("leader").get(f"/api/dispatch/{cadence}/{period.id}").status_code == 200
    assert loaded == []  # every part was kept by the runner
    # A write: the runner makes the written project's parts again.
    api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "visit_logged", "expected_version": 1, "purpose": "走访"})
    # The status catches no view up: the written project's parts lack once the cards have
    # its new version (a list read them).
    assert "0 lacking" in runner.invoke(args=["projections", "status"]).output
    assert api("office").get("/api/projects").status_code == 200
    assert f"{kept} lacking" in runner.invoke(args=["projections", "status"]).output
    loaded.clear()
    assert runner.invoke(args=["projections", "run", "--once"]).exit_code == 0
    # The runner renewed the written project's parts (a visit changes none), reading it once
    # for all of them.
    assert len(loaded) == 1
    assert f"report parts: {kept} kept" in runner.invoke(args=["projections", "status"]).output
    loaded.clear()
    assert api("leader").get("/api/dispatch/weekly").status_code == 200
    assert loaded == []


@pytest.mark.parametrize("processes", ["1", "2"])
def test_rebuilt_views_answer_as_the_live_ones_did(runner, api, project, processes):
    api("zhang").post(f"/api/projects/{project['id']}/events", json={
        "type": "milestone_reached", "expected_version": 1, "milestone": "land_approved"})
    live = api("office").get("/api/projects?phase=land").get_json()
    rebuilt = runner.invoke(args=["projections", "rebuild", "--processes", processes])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert api("office").get("/api/projects?phase=land").get_json() == live
    assert live["count"] == 1


def test_every_worker_shows_a_write_at_once(store_env):
    """Read-your-writes with two gunicorn workers: each read catches its views up first."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    for username, role in [("office", "office"), ("zhang", "agent")]:
        banban.register_user(username, role, actor="test")
    token = banban.issue_token("office", actor="test")
    banban.close()
    server = Gunicorn(store_env, workers=2)
    try:
        for i in range(12):
            status, signed = server.request("POST", "/api/projects", token, {
                "name": f"项目{i}", "investor": "某公司", "industry": "电子信息",
                "investment": 1_000_000, "signed_on": date(2026, 1, 5).isoformat(),
                "chief_agent": "zhang"})
            assert status == 201, signed
            status, listed = server.request("GET", "/api/projects?agent=zhang", token)
            assert status == 200 and listed["count"] == i + 1, (listed, server.log()[-2000:])
            status, board = server.request("GET", "/api/boards/zhang", token)
            assert status == 200 and board["counts"]["projects"] == i + 1
    finally:
        server.stop()


def kept_by_the_runner(runner, banban, app, monkeypatch, periods: int, said: str
                       ) -> tuple[int, list]:
    """The runner run once with BANBAN_KEPT_PERIODS `periods`: how many parts it says it made
    for them (`said`: how it names them), the status saying all of them made; and the list
    the ids of the projects read to make parts from then on go to."""
    monkeypatch.setitem(app.config, "BANBAN_KEPT_PERIODS", periods)
    ran = runner.invoke(args=["projections", "run", "--once"])
    made = int(re.search(rf"report parts: made (\d+) for {said}\n", ran.output)[1])
    assert f"report parts today: {made} of the {made} {said} need are made, 0 lacking" in \
        runner.invoke(args=["projections", "status"]).output
    loaded: list = []
    original = banban._histories_for_parts
    monkeypatch.setattr(banban, "_histories_for_parts",
                        lambda ids: loaded.extend(ids) or original(ids))
    return made, loaded


def test_the_runner_keeps_as_many_periods_made_as_the_deployment_says(
        runner, api, project, banban, app, monkeypatch):
    """BANBAN_KEPT_PERIODS: a leader stepping back further than the trend (here twelve
    periods of every cadence) reads reports the runner made, and the status counts them."""
    made, loaded = kept_by_the_runner(runner, banban, app, monkeypatch, 12,
                                      "the last 12 periods")
    assert made == parts_kept_of(project["signed_on"], 12) > parts_kept_of(project["signed_on"])
    for cadence in CADENCES:
        period = Period.containing(cadence, TODAY)
        for _ in range(12):
            assert api("leader").get(f"/api/dispatch/{cadence}/{period.id}").status_code == 200
            period = period.previous()
        if cadence == "weekly":
            thirteenth = period
    # Each of the twelve periods' reports, compared with the period before it: all kept.
    assert loaded == []
    # A thirteenth week is compared with a fourteenth: no runner kept that.
    assert api("leader").get(f"/api/dispatch/weekly/{thirteenth.id}").status_code == 200
    assert loaded


def test_the_runner_can_keep_every_period_since_the_first_signing(
        runner, api, project, banban, app, monkeypatch):
    """BANBAN_KEPT_PERIODS=all: every report back to the period the first project was signed
    in, of every cadence, is read from parts the runner made (none made on asking), and the
    status counts them."""
    first = date.fromisoformat(project["signed_on"])
    _, loaded = kept_by_the_runner(runner, banban, app, monkeypatch, EVERY_PERIOD,
                                   "every period since the first signing")
    stepped = 0
    for cadence in CADENCES:
        period = Period.containing(cadence, TODAY)
        while period.end >= first:
            assert api("leader").get(f"/api/dispatch/{cadence}/{period.id}").status_code == 200
            period, stepped = period.previous(), stepped + 1
    assert loaded == [] and stepped > 4 * 6  # further back than six periods of a cadence
    # A week before the first signing is made of no project: nothing to make or read.
    period = Period.containing("weekly", first).previous().previous()
    assert api("leader").get(f"/api/dispatch/weekly/{period.id}").get_json()["signed"][
        "count"] == 0
    assert loaded == []


def test_the_view_runner_catches_up_once_and_reports_it(runner, api, project):
    result = runner.invoke(args=["projections", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "applied 1 events" in result.output and "stopped" in result.output
    assert re.search(r"report parts: made [1-9]\d* for the last 6 periods", result.output)
    again = runner.invoke(args=["projections", "run", "--once"])
    assert "applied" not in again.output
    assert "report parts" not in again.output  # none lacking


def test_concurrent_writers_on_two_workers_are_each_counted_once(store_env):
    """16 threads write to 4 projects through gunicorn; the views end exactly at the log."""
    import threading

    banban = Banban(env=store_env, clock=lambda: TODAY)
    for username, role in [("office", "office"), ("zhang", "agent")]:
        banban.register_user(username, role, actor="test")
    token = banban.issue_token("office", actor="test")
    ids = [banban.sign_project("office", signed_on=date(2026, 1, 5), name=f"并发{i}",
                               investor="某公司", industry="电子信息", investment=1_000_000,
                               chief_agent="zhang")["id"] for i in range(4)]
    server = Gunicorn(store_env, workers=2)
    accepted = {str(i): 0 for i in ids}
    lock = threading.Lock()

    def writer(n: int) -> None:
        project_id = str(ids[n % 4])
        for _ in range(10):
            status, current = server.request("GET", f"/api/projects/{project_id}", token)
            status, _ = server.request("POST", f"/api/projects/{project_id}/events", token, {
                "type": "visit_logged", "expected_version": current["version"],
                "purpose": f"写者{n}"})
            assert status in (201, 409)
            if status == 201:
                with lock:
                    accepted[project_id] += 1
            server.request("GET", "/api/projects", token)  # catch the views up meanwhile

    try:
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        status, listed = server.request("GET", "/api/projects", token)
        log = server.log()
    finally:
        server.stop()
    assert status == 200
    versions = {p["id"]: p["version"] for p in listed["projects"]}
    assert versions == {i: 1 + n for i, n in accepted.items()}, log[-2000:]
    assert sum(accepted.values()) >= 4
    fresh = Banban(env=store_env, clock=lambda: TODAY)
    try:
        assert {str(i): fresh.project(i)["version"] for i in ids} == versions
    finally:
        fresh.close()

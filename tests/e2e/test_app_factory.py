"""The app factory does no I/O: the store is opened by the first request, in the serving process."""

from __future__ import annotations

import os

import pytest

from app import create_app
from app.config import ConfigError, cores, from_environment
from domain.dispatching import EVERY_PERIOD


def test_creating_the_app_opens_no_store_until_the_first_request(tmp_path):
    path = tmp_path / "nested" / "banban.db"
    app = create_app({"BANBAN_STORE": "sqlite", "BANBAN_SQLITE_PATH": str(path)})
    assert not path.exists()
    response = app.test_client().get("/api/projects")
    assert response.status_code == 401
    assert not path.exists()  # refused before any token lookup
    app.test_client().get("/api/projects", headers={"Authorization": "Bearer a.b"})
    assert path.exists()
    app.extensions["banban.store"].close()


def test_the_sqlite_store_defaults_to_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("BANBAN_SQLITE_PATH", raising=False)
    app = create_app({"BANBAN_STORE": "sqlite"})
    store = app.extensions["banban.store"]
    assert store.env["SQLITE_DBNAME"] == os.path.join(app.instance_path, "banban.db")
    assert store.env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"


def test_a_postgres_store_without_its_settings_fails_at_start_with_the_variables_named():
    with pytest.raises(ConfigError) as caught:
        from_environment({"BANBAN_STORE": "postgres", "POSTGRES_HOST": "127.0.0.1"})
    assert "POSTGRES_DBNAME" in str(caught.value) and "POSTGRES_USER" in str(caught.value)
    with pytest.raises(ConfigError) as caught:
        from_environment({"BANBAN_STORE": "mysql"})
    assert "BANBAN_STORE" in str(caught.value)


def test_a_parallel_approval_day_that_is_no_weekday_fails_at_start():
    with pytest.raises(ConfigError, match="BANBAN_PARALLEL_APPROVAL_WEEKDAY"):
        from_environment({"BANBAN_PARALLEL_APPROVAL_WEEKDAY": "0"})
    assert from_environment({})["BANBAN_PARALLEL_APPROVAL_WEEKDAY"] == 2  # Tuesday


def test_the_garbage_collection_setting_is_checked_at_start():
    with pytest.raises(ConfigError, match="BANBAN_GC_FREEZE_MS"):
        from_environment({"BANBAN_GC_FREEZE_MS": "fast"})
    assert from_environment({})["BANBAN_GC_FREEZE_MS"] == 20
    assert from_environment({"BANBAN_GC_FREEZE_MS": "0"})["BANBAN_GC_FREEZE_MS"] == 0


@pytest.mark.parametrize("value", ["20s", "-1", "3600001"])
def test_the_time_a_request_may_spend_making_report_parts_is_checked_at_start(value):
    with pytest.raises(ConfigError, match="BANBAN_REPORT_MAKING_MS must be a whole number "
                                          "from 0 to 3600000"):
        from_environment({"BANBAN_REPORT_MAKING_MS": value})
    assert from_environment({})["BANBAN_REPORT_MAKING_MS"] == 20_000  # gunicorn's timeout: 30 s
    assert from_environment({"BANBAN_REPORT_MAKING_MS": "0"})["BANBAN_REPORT_MAKING_MS"] == 0


def test_the_rebuild_takes_the_machines_cores_unless_told_otherwise():
    assert from_environment({})["BANBAN_REBUILD_PROCESSES"] == min(cores(), 8)
    assert from_environment({"BANBAN_REBUILD_PROCESSES": "1"})["BANBAN_REBUILD_PROCESSES"] == 1
    with pytest.raises(ConfigError, match="BANBAN_REBUILD_PROCESSES"):
        from_environment({"BANBAN_REBUILD_PROCESSES": "0"})


@pytest.mark.parametrize("periods", ["5", "105", "0", "every"])
def test_the_periods_the_runner_keeps_are_checked_at_start(periods):
    """At least the page's six-period trend, at most the longest trend (104), or all."""
    with pytest.raises(ConfigError, match="BANBAN_KEPT_PERIODS must be a whole number from 6 "
                                          "to 104 or all"):
        from_environment({"BANBAN_KEPT_PERIODS": periods})
    assert from_environment({})["BANBAN_KEPT_PERIODS"] == 6
    assert from_environment({"BANBAN_KEPT_PERIODS": "104"})["BANBAN_KEPT_PERIODS"] == 104
    assert from_environment({"BANBAN_KEPT_PERIODS": " All "})["BANBAN_KEPT_PERIODS"] == \
        EVERY_PERIOD


@pytest.mark.parametrize("days", ["0", "61", "three", "2.5"])
def test_a_review_opinion_clock_out_of_range_fails_at_start(days):
    with pytest.raises(ConfigError, match="BANBAN_OPINION_WORKING_DAYS"):
        from_environment({"BANBAN_OPINION_WORKING_DAYS": days})
    assert from_environment({})["BANBAN_OPINION_WORKING_DAYS"] == 3
    assert from_environment({"BANBAN_OPINION_WORKING_DAYS": "5"})[
        "BANBAN_OPINION_WORKING_DAYS"] == 5

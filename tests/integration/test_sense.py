"""Sense checks on each store: an unusual value is refused and nothing is recorded; confirmed,
it is recorded, and the stored event keeps what was confirmed."""

from __future__ import annotations

from datetime import date

import pytest

from domain.sense import Unusual


def record(service, project_id, event_type, **fields):
    version = service.project(project_id)["version"]
    service.record(project_id, "office", event_type, expected_version=version,
                   occurred_on=date(2026, 3, 2), fields=fields)


def refused(service, project_id, event_type, code, **fields):
    before = service.project(project_id)["version"]
    with pytest.raises(Unusual) as info:
        record(service, project_id, event_type, **fields)
    assert info.value.code == code
    assert service.project(project_id)["version"] == before
    return info.value


def test_an_investment_above_the_total_is_kept_only_confirmed(service, sign):
    project_id = sign(investment=1_000)["id"]

    refused(service, project_id, "progress_reported", "investment_above_total",
            investment_completed=1_075)
    record(service, project_id, "progress_reported", investment_completed=1_075,
           confirmed=["investment_above_total"])

    last = service.history(project_id)[-1]
    assert last["data"]["confirmed"] == ["investment_above_total"]
    assert service.project(project_id)["investment_completed"] == 1_075


def test_a_jump_of_more_than_the_total_is_kept_only_confirmed(service, sign):
    project_id = sign(investment=1_000)["id"]
    record(service, project_id, "progress_reported", investment_completed=1_500,
           confirmed=["investment_above_total"])

    error = refused(service, project_id, "progress_reported", "investment_above_total",
                    investment_completed=2_600)
    assert error.codes == ["investment_above_total", "investment_jump"]
    record(service, project_id, "progress_reported", investment_completed=2_600,
           confirmed=["investment_above_total", "investment_jump"])

    assert service.history(project_id)[-1]["data"]["confirmed"] == [
        "investment_above_total", "investment_jump"]


def test_a_duplicate_name_in_the_county_is_kept_only_confirmed(service, sign):
    sign(name="鲁丽绿色新材料产业园")
    count = len(list(service.project_ids()))

    with pytest.raises(Unusual) as info:
        sign(name="鲁丽绿色 新材料产业园")
    assert (info.value.code, info.value.field) == ("duplicate_name", "name")
    assert len(list(service.project_ids())) == count

    second = sign(name="鲁丽绿色新材料产业园", confirmed=["duplicate_name"])
    assert service.history(second["id"])[0]["data"]["confirmed"] == ["duplicate_name"]


def test_renaming_a_project_to_anothers_name_is_kept_only_confirmed(service, sign):
    sign(name="安福家具城")
    project_id = sign(name="鲁丽")["id"]

    refused(service, project_id, "corrected", "duplicate_name", corrects_version=1,
            action="amend", reason="名称有误", changes={"name": "安福家具城"})
    record(service, project_id, "corrected", corrects_version=1, action="amend",
           reason="名称有误", changes={"name": "安福家具城"}, confirmed=["duplicate_name"])

    assert service.project(project_id)["name"] == "安福家具城"


def test_dates_far_from_today_are_kept_only_confirmed(service, sign):
    project_id = sign()["id"]

    refused(service, project_id, "milestone_planned", "date_too_far",
            milestone="land_approved", planned_on=date(2060, 1, 1))
    record(service, project_id, "milestone_planned", milestone="land_approved",
           planned_on=date(2060, 1, 1), confirmed=["date_too_far"])
    with pytest.raises(Unusual) as info:
        sign(name="老项目", signed_on=date(1999, 1, 4))
    assert info.value.code == "date_too_early"
    old = sign(name="老项目", signed_on=date(1999, 1, 4), confirmed=["date_too_early"])

    assert service.history(old["id"])[0]["data"]["confirmed"] == ["date_too_early"]
    assert service.history(project_id)[-1]["data"]["confirmed"] == ["date_too_far"]


def test_a_name_given_by_a_correction_counts_as_taken(service, sign):
    project_id = sign(name="鲁丽")["id"]
    sign(name="另一个")  # the names are read once here, and brought up to date below
    record(service, project_id, "corrected", corrects_version=1, action="amend",
           reason="名称有误", changes={"name": "鲁丽绿色新材料"})

    with pytest.raises(Unusual) as info:
        sign(name="鲁丽绿色新材料")
    assert info.value.code == "duplicate_name"
    assert sign(name="鲁丽")["name"] == "鲁丽"  # the old name is free again

"""A process reuses a dispatch report or trend it computed until something is recorded."""

from __future__ import annotations

from datetime import date


def _counting_loads(service) -> list:
    """Count the projects the service reads for reports from here on (not for writes)."""
    loads: list = []
    read = service._project

    def counted(*args, **kwargs):
        if kwargs.get("for_reading"):
            loads.append(args[0])
        return read(*args, **kwargs)

    service._project = counted
    return loads


def test_a_report_asked_again_is_reused_until_an_event_is_recorded(service, sign):
    project = sign()
    loads = _counting_loads(service)
    first = service.dispatch("weekly")
    assert loads == [project["id"]]

    first["signed"]["count"] = 999  # a caller changing its copy changes nothing kept
    again = service.dispatch("weekly")
    assert loads == [project["id"]] and again["signed"]["count"] != 999
    assert again == service.dispatch("weekly")

    service.record(project["id"], "office", "problem_raised", expected_version=1,
                   occurred_on=date(2026, 3, 2), fields={"title": "电力线路迁改",
                                                          "problem_id": "P1"})
    week = service.dispatch("weekly", "2026-W10")
    assert len(loads) == 2
    assert week["problems"]["raised_count"] == 1


def test_reports_of_other_periods_and_moments_are_kept_apart(service, sign):
    project = sign()
    service.record(project["id"], "office", "problem_raised", expected_version=1,
                   occurred_on=date(2026, 3, 2), fields={"title": "电力线路迁改",
                                                          "problem_id": "P1"})
    signed_at = next(iter(service.events.get(project["id"], lte=1))).timestamp
    raised_at = next(iter(service.events.get(project["id"], gt=1))).timestamp
    now = service.dispatch("weekly", "2026-W10")
    assert now["problems"]["raised_count"] == 1
    assert service.dispatch("weekly", "2026-W11")["problems"]["raised_count"] == 0
    assert service.dispatch("weekly", "2026-W10", as_known_at=signed_at
                            )["problems"]["raised_count"] == 0
    assert service.dispatch("weekly", "2026-W10", as_known_at=raised_at
                            )["problems"]["raised_count"] == 1
    assert service.dispatch("weekly", "2026-W10") == now


def test_a_trend_is_reused_and_recomputed_after_a_write(service, sign):
    project = sign()
    loads = _counting_loads(service)
    before = service.dispatch_trend("weekly", "2026-W10", 3)
    service.dispatch_trend("weekly", "2026-W10", 3)
    assert len(loads) == 1
    service.record(project["id"], "office", "problem_raised", expected_version=1,
                   occurred_on=date(2026, 3, 2), fields={"title": "电力线路迁改",
                                                          "problem_id": "P1"})
    after = service.dispatch_trend("weekly", "2026-W10", 3)
    assert len(loads) == 2
    assert [p["problems_raised"] for p in before] == [0, 0, 0]
    assert [p["problems_raised"] for p in after] == [0, 0, 1]


def test_a_service_told_to_keep_none_computes_every_report(service, sign):
    sign()
    service.REUSED = 0
    loads = _counting_loads(service)
    assert service.dispatch("weekly") == service.dispatch("weekly")
    assert len(loads) == 2

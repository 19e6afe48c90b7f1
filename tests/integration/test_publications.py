"""Published dispatch reports on a real store: listing every publication, changes since any one."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import DomainError


def test_publications_lists_every_revision_of_every_period_newest_first(service, sign):
    assert service.publications() == []
    sign()
    service.publish_dispatch("weekly", "2026-W48", "office")
    service.publish_dispatch("monthly", "2026-11", "office")
    service.publish_dispatch("weekly", "2026-W48", "office")

    listed = service.publications()
    assert [(p["cadence"], p["period"], p["revision"], p["actor"]) for p in listed] == [
        ("weekly", "2026-W48", 2, "office"), ("monthly", "2026-11", 1, "office"),
        ("weekly", "2026-W48", 1, "office")]
    assert listed[0]["published_at"] > listed[1]["published_at"] > listed[2]["published_at"]
    assert listed[2] == service.published_dispatch("weekly", "2026-W48", 1)[0]
    assert service.publications("weekly", "2026-W48") == [listed[0], listed[2]]
    assert service.publications("weekly", "2026-W47") == []


def test_changes_since_an_earlier_revision_count_from_that_publication(service, sign):
    project = sign()
    service.publish_dispatch("weekly", "2026-W48", "office")
    service.record(project["id"], "zhang", "milestone_reached", expected_version=1,
                   occurred_on=date(2026, 11, 24), fields={"milestone": "land_approved"})
    service.publish_dispatch("weekly", "2026-W48", "office")

    since_first = service.dispatch_changes("weekly", "2026-W48", revision=1)
    since_latest = service.dispatch_changes("weekly", "2026-W48")
    assert since_first["publication"]["revision"] == 1
    assert since_first["figures"]["milestones_reached"] == {"published": 0, "now": 1,
                                                            "change": 1}
    assert [e["version"] for e in since_first["events"]] == [2]
    assert since_latest["publication"]["revision"] == 2
    assert since_latest["figures"]["milestones_reached"]["change"] == 0
    assert since_latest["events"] == []
    with pytest.raises(DomainError) as refused:
        service.dispatch_changes("weekly", "2026-W48", revision=3)
    assert refused.value.code == "unknown_revision"

"""The difference between two states of a project (two `project_view` dicts): pure data in and out.

Auditors compare a project at two points of its record. The difference names the headline
fields that changed (old -> new), the milestones whose plan or actual date changed, and the
approvals and problems added, removed (a voided event) or changed, field by field. Lists that
only grow (visits, ratings, instructions, progress reports) are left to the events in between.
"""

from __future__ import annotations

from typing import Any

# The project's own fields compared, in the order a reader expects them.
HEADER_FIELDS = ("name", "investor", "industry", "investment", "park", "signed_on", "phase",
                 "status", "status_reason", "chief_agent", "co_agents", "leader",
                 "investment_completed", "visit_count", "average_rating")
MILESTONE_FIELDS = ("planned_on", "reached_on")
# Bookkeeping an item carries that is not a fact about it: the version that created it, and a
# problem's log (its entries are the events in between).
_IGNORED = {"id", "version", "log"}

Change = dict[str, Any]  # {"field", "within" (the enclosing field, or None), "old", "new"}


def field_changes(old: dict[str, Any], new: dict[str, Any], names=None, within=None
                  ) -> list[Change]:
    """The fields whose values differ, in order; two dicts under one name are compared key by
    key (e.g. an approval's commitment), so a change names the innermost field."""
    if names is None:
        names = [*old, *(name for name in new if name not in old)]
    changes: list[Change] = []
    for name in names:
        if name in _IGNORED:
            continue
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            changes += field_changes(before, after, within=name)
        else:
            changes.append({"field": name, "within": within, "old": before, "new": after})
    return changes


def item_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> dict[str, list]:
    """Items (approvals or problems, keyed by id) added, removed and changed."""
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changed = []
    for item_id, item in after.items():
        if item_id in before:
            changes = field_changes(before[item_id], item)
            if changes:
                changed.append({"id": item_id, "item": item, "changes": changes})
    return {
        "added": [item for item_id, item in after.items() if item_id not in before],
        "removed": [item for item_id, item in before.items() if item_id not in after],
        "changed": changed,
    }


def project_diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed from the state `old` to the state `new` of one project."""
    old_milestones = {m["milestone"]: m for m in old["milestones"]}
    milestones = []
    for row in new["milestones"]:
        changes = field_changes(old_milestones.get(row["milestone"], {}), row, MILESTONE_FIELDS)
        if changes:
            milestones.append({"milestone": row["milestone"], "changes": changes})
    result = {
        "from_version": old["version"], "to_version": new["version"],
        "fields": field_changes(old, new, HEADER_FIELDS),
        "milestones": milestones,
        "approvals": item_changes(old["approvals"], new["approvals"]),
        "problems": item_changes(old["problems"], new["problems"]),
    }
    result["unchanged"] = not (result["fields"] or milestones or any(
        result[kind][part] for kind in ("approvals", "problems")
        for part in ("added", "removed", "changed")))
    return result

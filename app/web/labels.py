"""The domain's codes in plain words for people (milestones, phases, rules, cadences, ...).

Each table maps a code the domain hands out to its label, translated lazily so it follows the
user's language. `label(table, code)` shows an unknown code as it is rather than failing.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

# What each cadence's meeting is called: 一周一调度、半月一汇报、一月一督查、一季一通报.
MEETINGS = {
    "weekly": _l("Weekly dispatch"),
    "half-monthly": _l("Half-monthly report"),
    "monthly": _l("Monthly inspection"),
    "quarterly": _l("Quarterly bulletin"),
}

# How each cadence rolls up (以周促月、以月促季、以季保年).
MOTTOS = {
    "weekly": _l("The week drives the month"),
    "half-monthly": _l("The half-month drives the month"),
    "monthly": _l("The month drives the quarter"),
    "quarterly": _l("The quarter secures the year"),
}

PHASES = {
    "signing": _l("Signing"),
    "land": _l("Land"),
    "construction": _l("Construction"),
    "operation": _l("Operation"),
}

STATUSES = {
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "terminated": _l("Terminated"),
}

MILESTONES = {
    "park_review_passed": _l("Park-entry review passed"),
    "project_filed": _l("Project filed"),
    "land_approved": _l("Land approved"),
    "land_cleared": _l("Land acquired and cleared"),
    "land_delivered": _l("Land delivered"),
    "construction_permitted": _l("Construction permit"),
    "construction_started": _l("Construction started"),
    "completion_accepted": _l("Completion accepted"),
    "production_started": _l("Production started"),
    "operating": _l("Operating"),
}

RULES = {
    "milestone_due_soon": _l("Milestone due soon"),
    "milestone_overdue": _l("Milestone overdue"),
    "problem_not_solved_same_day": _l("Problem not solved the same day"),
    "problem_plan_late": _l("No solution plan in time"),
    "problem_follow_up_late": _l("Old problem not followed up"),
    "commitment_overdue": _l("Commitment overdue"),
}

SUBJECTS = {
    "milestone": _l("Milestone"),
    "problem": _l("Problem"),
    "commitment": _l("Commitment"),
}

THRESHOLDS = {
    "warning_working_days": _l("Warning within (working days)"),
    "plan_within_working_days": _l("Solution plan within (working days)"),
    "old_after_working_days": _l("Old after (working days)"),
    "follow_up_every_working_days": _l("Follow up every (working days)"),
}

ESCALATED_TO = {
    "office": _l("Service centre"),
    "leader": _l("County leader"),
}

# The headline figures a period contributes to its enclosing one (domain.dispatch.HEADLINE).
HEADLINE = {
    "signed": _l("Projects signed"),
    "milestones_reached": _l("Milestones reached"),
    "approvals_granted": _l("Approvals granted"),
    "problems_raised": _l("Problems raised"),
    "problems_solved": _l("Problems solved"),
    "investment_completed": _l("Investment completed"),
}


def label(table: dict[str, Any], code: str | None) -> str:
    """The label of a code in a table, or the code itself when the table does not know it."""
    if code is None:
        return "—"
    return str(table.get(code, code))

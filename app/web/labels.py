"""Plain words for the codes the domain stores: event types, milestones, phases, statuses,
roles, flag rules and error codes, in the user's language (Flask-Babel lazy strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

EVENT_LABELS = {
    "signed": _l("Project signed"),
    "team_assigned": _l("Team assigned"),
    "milestone_planned": _l("Milestone planned"),
    "milestone_reached": _l("Milestone reached"),
    "approval_applied": _l("Approval applied for"),
    "approval_granted": _l("Approval granted"),
    "approval_rejected": _l("Approval rejected"),
    "commitment_fulfilled": _l("Commitment fulfilled"),
    "problem_raised": _l("Problem raised"),
    "problem_plan_proposed": _l("Solution plan proposed"),
    "problem_escalated": _l("Problem escalated"),
    "problem_followed_up": _l("Problem followed up"),
    "problem_resolved": _l("Problem resolved"),
    "problem_reopened": _l("Problem reopened"),
    "progress_reported": _l("Progress reported"),
    "visit_logged": _l("Visit logged"),
    "instruction_given": _l("Leader instruction"),
    "service_rated": _l("Service rated"),
    "suspended": _l("Project suspended"),
    "resumed": _l("Project resumed"),
    "terminated": _l("Project terminated"),
    "corrected": _l("Correction"),
}

MILESTONE_LABELS = {
    "park_review_passed": _l("Park review passed"),
    "project_filed": _l("Project filed"),
    "land_approved": _l("Land approved"),
    "land_cleared": _l("Land cleared"),
    "land_delivered": _l("Land delivered"),
    "construction_permitted": _l("Construction permitted"),
    "construction_started": _l("Construction started"),
    "completion_accepted": _l("Completion accepted"),
    "production_started": _l("Production started"),
    "operating": _l("Operating"),
}

PHASE_LABELS = {
    "signing": _l("Signing"),
    "land": _l("Land"),
    "construction": _l("Construction"),
    "operation": _l("Operation"),
}

STATUS_LABELS = {
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "terminated": _l("Terminated"),
}

ROLE_LABELS = {
    "agent": _l("Help secretary"),
    "office": _l("Service office"),
    "leader": _l("Leader"),
    "auditor": _l("Auditor"),
    "chief_agent": _l("Chief agent"),
    "co_agent": _l("Co-agent"),
}

APPROVAL_STATUS_LABELS = {
    "applied": _l("Applied, pending"),
    "granted": _l("Granted"),
    "rejected": _l("Rejected"),
}

PROBLEM_STATUS_LABELS = {
    "open": _l("Open"),
    "resolved": _l("Resolved"),
}

ESCALATION_LABELS = {"office": _l("the service office"), "leader": _l("a county leader")}
CORRECTION_ACTION_LABELS = {"amend": _l("Amend its values"), "void": _l("Void it")}

# Flag rules: what each asks for, with its thresholds (domain/clocks.py names them).
RULE_LABELS = {
    "milestone_due_soon": _l("Milestone due within %(warning)s working days"),
    "milestone_overdue": _l("Milestone past its planned date and not reached"),
    "problem_not_solved_same_day": _l("A same-day problem must be resolved on the day it was raised"),
    "problem_plan_late": _l("A new problem needs a solution plan within %(plan)s working days"),
    "problem_follow_up_late": _l("A problem older than %(old)s working days needs a follow-up "
                                 "at least every %(follow_up)s working days"),
    "commitment_overdue": _l("Missing documents promised by a date that has passed"),
}


def rule_text(rule: str, thresholds: dict[str, int]) -> str:
    """A flag's rule in words, its thresholds filled in."""
    label = RULE_LABELS.get(rule)
    if label is None:
        return rule
    values = {"warning": "", "plan": "", "old": "", "follow_up": ""}
    values.update({_THRESHOLD_NAMES.get(k, k): v for k, v in thresholds.items()})
    return str(label) % values


# Threshold keys as domain/clocks.py names them -> the placeholders above.
_THRESHOLD_NAMES = {
    "warning_working_days": "warning",
    "plan_within_working_days": "plan",
    "old_after_working_days": "old",
    "follow_up_every_working_days": "follow_up",
}


def label(table: dict, code) -> str:
    """The word for a code, or the code itself when there is none (never an error)."""
    return str(table.get(code, code)) if code is not None else "—"

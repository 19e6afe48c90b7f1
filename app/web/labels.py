"""Plain words for the codes the domain stores: event types, milestones, phases, statuses, roles,
field names and the like, each a lazy translation so a page shows them in the reader's language.

Every page and form takes its labels from here; tests/unit/test_labels.py checks that every
code the domain knows has one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

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
    "instruction_given": _l("Leader's instruction"),
    "service_rated": _l("Service rated"),
    "park_review_convened": _l("Park-entry joint review convened"),
    "park_review_opinion_given": _l("Park-entry review opinion given"),
    "park_review_concluded": _l("Park-entry joint review concluded"),
    "park_review_condition_met": _l("Park-entry review condition met"),
    "suspended": _l("Project suspended"),
    "resumed": _l("Project resumed"),
    "terminated": _l("Project terminated"),
    "corrected": _l("Correction"),
}

MILESTONE_LABELS = {
    "park_review_passed": _l("Park-entry joint review passed"),
    "project_filed": _l("Project filed"),
    "land_approved": _l("Land approval granted"),
    "land_cleared": _l("Land acquisition and clearance done"),
    "land_delivered": _l("Land delivered"),
    "construction_permitted": _l("Construction permit granted"),
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

APPROVAL_STATUS_LABELS = {
    "applied": _l("Applied for"),
    "granted": _l("Granted"),
    "rejected": _l("Rejected"),
}

PROBLEM_STATUS_LABELS = {
    "open": _l("Open"),
    "resolved": _l("Resolved"),
}

ROLE_LABELS = {
    "agent": _l("Help secretary"),
    "office": _l("Service centre"),
    "leader": _l("County leader"),
    "auditor": _l("Auditor"),
}

# An agent's place on a project's team (boards).
TEAM_ROLE_LABELS = {
    "chief_agent": _l("Chief agent"),
    "co_agent": _l("Co-agent"),
}

ESCALATION_LABELS = {
    "office": _l("Service centre"),
    "leader": _l("County leader"),
}

# Whom a project waits on (rule 9): the department and the leader are shown by name.
PARTY_LABELS = {
    "department": _l("Department"),
    "investor": _l("Investor"),
    "team": _l("Project team"),
    "leader": _l("County leader"),
    "office": _l("Service centre"),
}

CORRECTION_LABELS = {
    "amend": _l("Amend"),
    "void": _l("Void"),
}

# Why an event type cannot be recorded on a project as it stands (Project.why_not's codes).
UNAVAILABLE_LABELS = {
    "project_terminated": _l("The project is terminated: only a correction can be recorded."),
    "project_suspended": _l("The project is suspended: only its resumption or a correction "
                            "can be recorded."),
    "not_suspended": _l("The project is not suspended."),
    "no_open_problem": _l("The project has no open problem."),
    "no_resolved_problem": _l("None of the project's problems is resolved."),
    "no_pending_approval": _l("No approval of the project is waiting for a decision."),
    "no_open_commitment": _l("No approval of the project has a commitment still open."),
    "no_milestone_left": _l("Every milestone is reached or belongs to a phase the project has "
                            "passed."),
    "no_open_review": _l("No park-entry joint review of the project is open."),
    "park_review_open": _l("Another park-entry review of this project is still open: conclude "
                           "it before convening a new one."),
    "no_open_condition": _l("No passed park-entry review of the project has a condition "
                            "still open."),
}

# A department's opinion in a park-entry joint review.
OPINION_LABELS = {
    "agree": _l("Agree"),
    "agree_with_conditions": _l("Agree with conditions"),
    "disagree": _l("Disagree"),
}

# What a recorder confirms when a sense check finds a value unusual (domain.sense).
UNUSUAL_LABELS = {
    "investment_above_total": _l("Yes, the investment completed is more than the total"),
    "investment_jump": _l("Yes, it rose by more than the total in one report"),
    "duplicate_name": _l("Yes, it is another project of the same name"),
    "date_too_early": _l("Yes, the date is before 2000"),
    "date_too_far": _l("Yes, the date is that far ahead"),
}

# ISO weekdays: the county's parallel-approval day (BANBAN_PARALLEL_APPROVAL_WEEKDAY).
WEEKDAY_LABELS = {
    1: _l("Monday"), 2: _l("Tuesday"), 3: _l("Wednesday"), 4: _l("Thursday"),
    5: _l("Friday"), 6: _l("Saturday"), 7: _l("Sunday"),
}

CADENCE_LABELS = {
    "weekly": _l("Weekly dispatch"),
    "half-monthly": _l("Half-monthly report"),
    "monthly": _l("Monthly inspection"),
    "quarterly": _l("Quarterly bulletin"),
}

# Red flag rules (domain/clocks.py): what each asks for, with its thresholds filled in by
# rule_text().
RULE_LABELS = {
    "milestone_due_soon": _l("Milestone due within %(warning)s working days"),
    "milestone_overdue": _l("Milestone past its planned date and not reached"),
    "problem_not_solved_same_day": _l("A same-day problem must be resolved on the day it was raised"),
    "problem_plan_late": _l("A new problem needs a solution plan within %(plan)s working days"),
    "problem_follow_up_late": _l("A problem older than %(old)s working days needs a follow-up "
                                 "at least every %(follow_up)s working days"),
    "commitment_overdue": _l("Missing documents promised by a date that has passed"),
    "condition_overdue": _l("A park-entry review's condition not met by its due date"),
    "opinion_overdue": _l("An invited department's opinion in a park-entry review within "
                          "%(opinion_within)s working days of the convening"),
}
# Threshold keys as domain/clocks.py names them -> the placeholders above.
_THRESHOLD_NAMES = {
    "warning_working_days": "warning",
    "plan_within_working_days": "plan",
    "old_after_working_days": "old",
    "follow_up_every_working_days": "follow_up",
    "opinion_within_working_days": "opinion_within",
}


def rule_text(rule: str, thresholds: Mapping[str, int]) -> str:
    """A flag's rule in words, its thresholds filled in."""
    text = RULE_LABELS.get(rule)
    if text is None:
        return rule
    values = dict.fromkeys(_THRESHOLD_NAMES.values(), "")
    values.update({_THRESHOLD_NAMES.get(k, k): v for k, v in thresholds.items()})
    return str(text) % values


# The headline figures a publication is compared on (domain/dispatching.py HEADLINES).
HEADLINE_LABELS = {
    "signed": _l("Projects signed"),
    "milestones_reached": _l("Milestones reached"),
    "milestones_overdue": _l("Milestones overdue"),
    "approvals_granted": _l("Approvals granted"),
    "problems_raised": _l("Problems raised"),
    "problems_solved": _l("Problems solved"),
    "red_flags": _l("Red flags"),
}

# Every field an event carries (domain/fields.py), and the fields of a project's state that the
# audit pages compare.
FIELD_LABELS = {
    # signing
    "name": _l("Project name"),
    "investor": _l("Investor"),
    "industry": _l("Industry"),
    "investment": _l("Total investment"),
    "park": _l("Industrial park"),
    "chief_agent": _l("Chief agent"),
    "co_agents": _l("Co-agents"),
    "leader": _l("Responsible leader"),
    "county": _l("County"),
    # events
    "occurred_on": _l("Business date"),
    "reason": _l("Reason"),
    "milestone": _l("Milestone"),
    "planned_on": _l("Planned date"),
    "note": _l("Note"),
    "approval_id": _l("Approval number"),
    "item": _l("Approval item"),
    "department": _l("Department"),
    "missing_documents": _l("Missing documents"),
    "commitment_due_on": _l("Documents due on"),
    "problem_id": _l("Problem number"),
    "title": _l("Title"),
    "description": _l("Description"),
    "same_day": _l("Solvable the same day"),
    "responsible_unit": _l("Responsible unit"),
    "plan": _l("Solution plan"),
    "due_on": _l("Due on"),
    "escalated_to": _l("Escalated to"),
    "resolution": _l("Resolution"),
    "investment_completed": _l("Investment completed"),
    "purpose": _l("Purpose"),
    "met_with": _l("Met with"),
    "instruction": _l("Instruction"),
    "rating": _l("Rating"),
    "agent": _l("Agent"),
    "comment": _l("Comment"),
    "corrects_version": _l("Corrects version"),
    "action": _l("Action"),
    "changes": _l("Changes"),
    "corrected_type": _l("Corrected event"),
    "confirmed": _l("Confirmed as right"),
    "previous": _l("Values before"),
    "review_id": _l("Park-entry review"),
    "departments": _l("Departments invited"),
    "opinion_within_working_days": _l("Opinions within (working days)"),
    "opinion": _l("Opinion"),
    "conditions": _l("Conditions"),
    "condition": _l("Condition"),
    "passed": _l("Passed"),
    # project state
    "signed_on": _l("Signed on"),
    "phase": _l("Phase"),
    "status": _l("Status"),
    "status_reason": _l("Status reason"),
    "visit_count": _l("Visits"),
    "average_rating": _l("Average rating"),
    "applied_on": _l("Applied on"),
    "decided_on": _l("Decided on"),
    "commitment": _l("Commitment"),
    "fulfilled_on": _l("Fulfilled on"),
    "raised_on": _l("Raised on"),
    "raised_by": _l("Raised by"),
    "since": _l("Since"),
    "resolved_on": _l("Resolved on"),
    "last_activity_on": _l("Last activity on"),
    "proposed_on": _l("Proposed on"),
    "text": _l("Text"),
    "reached_on": _l("Reached on"),
}

# Values of choice fields, whichever field holds them (the codes do not collide).
VALUE_LABELS: dict[str, Mapping[str, object]] = {
    "milestone": MILESTONE_LABELS,
    "phase": PHASE_LABELS,
    "status": STATUS_LABELS | APPROVAL_STATUS_LABELS | PROBLEM_STATUS_LABELS,
    "escalated_to": ESCALATION_LABELS,
    "opinion": OPINION_LABELS,
    "action": CORRECTION_LABELS,
    "corrected_type": EVENT_LABELS,
}
VALUE_LABELS["confirmed"] = UNUSUAL_LABELS


# How each cadence rolls up into the next (以周促月、以月促季、以季保年).
MOTTO_LABELS = {
    "weekly": _l("The week drives the month"),
    "half-monthly": _l("The half-month drives the month"),
    "monthly": _l("The month drives the quarter"),
    "quarterly": _l("The quarter secures the year"),
}

# Short names of the flag rules, for table cells (RULE_LABELS says what each asks for).
RULE_NAMES = {
    "milestone_due_soon": _l("Milestone due soon"),
    "milestone_overdue": _l("Milestone overdue"),
    "problem_not_solved_same_day": _l("Problem not solved the same day"),
    "problem_plan_late": _l("No solution plan in time"),
    "problem_follow_up_late": _l("Old problem not followed up"),
    "commitment_overdue": _l("Commitment overdue"),
    "condition_overdue": _l("Review condition overdue"),
    "opinion_overdue": _l("Review opinion overdue"),
}

SUBJECT_LABELS = {
    "milestone": _l("Milestone"),
    "problem": _l("Problem"),
    "commitment": _l("Commitment"),
    "condition": _l("Review condition"),
    "opinion": _l("Review opinion"),
}

THRESHOLD_LABELS = {
    "warning_working_days": _l("Warning within (working days)"),
    "plan_within_working_days": _l("Solution plan within (working days)"),
    "old_after_working_days": _l("Old after (working days)"),
    "follow_up_every_working_days": _l("Follow up every (working days)"),
    "opinion_within_working_days": _l("Opinion within (working days)"),
}

# The figures a period contributes to its enclosing one (domain.dispatch.HEADLINE).
ROLL_UP_LABELS = {
    "signed": _l("Projects signed"),
    "milestones_reached": _l("Milestones reached"),
    "approvals_granted": _l("Approvals granted"),
    "problems_raised": _l("Problems raised"),
    "problems_solved": _l("Problems solved"),
    "investment_completed": _l("Investment completed"),
}


def label(labels: Mapping[str, object], code: str | None) -> str:
    """The plain words for a code, or the code itself if it has none (never a KeyError)."""
    if code is None:
        return "—"
    return str(labels.get(code, code))


def party_name(party: str, name: str | None, person: Callable[[str | None], str]) -> str:
    """Whom a project waits on, in words: a department by its name, a leader by `person` (the
    display name), the investor, the team and the service centre by what they are."""
    if party == "department" and name:
        return name
    if party == "leader":
        return person(name)
    return label(PARTY_LABELS, party)

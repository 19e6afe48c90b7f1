"""The project lifecycle of DOMAIN.md: phases, milestones in order, statuses, roles."""

from __future__ import annotations

PHASES = ("signing", "land", "construction", "operation")

# Milestone codes in lifecycle order, each with the phase it belongs to.
# Signing itself is the project's creation event, not a milestone.
MILESTONES: dict[str, str] = {
    "park_review_passed": "signing",
    "project_filed": "signing",
    "land_approved": "land",
    "land_cleared": "land",
    "land_delivered": "land",
    "construction_permitted": "construction",
    "construction_started": "construction",
    "completion_accepted": "construction",
    "production_started": "operation",
    "operating": "operation",
}
PARK_REVIEW = "park_review_passed"  # reached by a passing park-entry joint review
MILESTONE_ORDER = {code: index for index, code in enumerate(MILESTONES)}
PHASE_ORDER = {phase: index for index, phase in enumerate(PHASES)}

STATUSES = ("active", "suspended", "terminated")

ROLES = ("agent", "office", "leader", "auditor")

ESCALATION_TARGETS = ("office", "leader")

CORRECTION_ACTIONS = ("amend", "void")

# A department's opinion in the park-entry joint review (入园会审).
OPINIONS = ("agree", "agree_with_conditions", "disagree")

RATING_RANGE = range(1, 6)


def phase_of(milestone: str) -> str:
    """The phase a milestone belongs to."""
    return MILESTONES[milestone]

"""Plain words for every code the domain stores, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from app.web import labels
from domain import clocks
from domain.diff import HEADER_FIELDS, MILESTONE_FIELDS
from domain.dispatching import HEADLINES
from domain.fields import EVENT_TYPES, SERVER_FIELDS, SIGNING_FIELDS
from domain.lifecycle import (
    CORRECTION_ACTIONS,
    ESCALATION_TARGETS,
    MILESTONES,
    PHASES,
    ROLES,
    STATUSES,
)
from domain.periods import CADENCES

CATALOGUE = Path(__file__).parents[2] / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
RULES = {value for name, value in vars(clocks).items()
         if name.isupper() and isinstance(value, str) and value.endswith(
             ("_due_soon", "_overdue", "_same_day", "_late"))}
EVERY_FIELD = {name for _, fields in EVENT_TYPES.values() for name in fields} | set(
    SIGNING_FIELDS) | {name for names in SERVER_FIELDS.values() for name in names} | {
    "occurred_on"} | set(HEADER_FIELDS) | set(MILESTONE_FIELDS)


@pytest.mark.parametrize("mapping, codes", [
    (labels.EVENT_LABELS, {"signed", *EVENT_TYPES}),
    (labels.MILESTONE_LABELS, set(MILESTONES)),
    (labels.PHASE_LABELS, set(PHASES)),
    (labels.STATUS_LABELS, set(STATUSES)),
    (labels.ROLE_LABELS, set(ROLES)),
    (labels.ESCALATION_LABELS, set(ESCALATION_TARGETS)),
    (labels.CORRECTION_LABELS, set(CORRECTION_ACTIONS)),
    (labels.CADENCE_LABELS, set(CADENCES)),
    (labels.RULE_LABELS, RULES),
    (labels.HEADLINE_LABELS, set(HEADLINES)),
], ids=["events", "milestones", "phases", "statuses", "roles", "escalations", "corrections",
        "cadences", "rules", "headlines"])
def test_every_code_has_a_label_and_no_label_names_an_unknown_code(mapping, codes):
    assert set(mapping) == codes


def test_every_field_an_event_carries_or_the_audit_compares_has_a_label():
    assert EVERY_FIELD - set(labels.FIELD_LABELS) == set()


def test_the_rules_found_are_the_eight_red_and_yellow_clocks():
    assert len(RULES) == 8


def test_a_code_without_a_label_reads_as_itself():
    assert labels.label(labels.EVENT_LABELS, "something_new") == "something_new"
    assert labels.label(labels.EVENT_LABELS, None) == "—"


def test_every_label_is_translated_into_chinese():
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    msgids = {message for _, message, _, _ in extract_from_file(
        "python", labels.__file__, keywords={"_l": None})}
    assert len(msgids) > 100
    untranslated = sorted(m for m in msgids
                          if catalogue.get(m) is None or not catalogue.get(m).string)
    assert untranslated == []


def test_the_chinese_catalogue_has_no_untranslated_or_fuzzy_entry():
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    assert [m.id for m in catalogue if m.id and (not m.string or m.fuzzy)] == []

"""Who may record what: office everything, auditors nothing, leaders instructions, agents
their own projects except the office's events."""

from __future__ import annotations

import pytest

from domain.access import check_can_record
from domain.errors import NotAllowed
from domain.fields import EVENT_TYPES

ALL_TYPES = ["signed", *sorted(EVENT_TYPES)]
OFFICE_ONLY = ["signed", "team_assigned", "service_rated"]
AGENT_TYPES = sorted(set(EVENT_TYPES) - set(OFFICE_ONLY) - {"instruction_given"})
TEAM = ["zhang", "li"]


def by(event_type, role="agent"):
    """What check_can_record knows of the event a correction names."""
    return {"type": event_type, "actor_role": role}


def user(role, username=None, disabled=False):
    return {"username": username or role, "role": role, "disabled": disabled}


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_the_office_may_record_everything_on_any_project(event_type):
    check_can_record(user("office"), event_type, TEAM)
    check_can_record(user("office"), event_type, None)


@pytest.mark.parametrize("corrected_type", ALL_TYPES)
def test_the_office_may_correct_everything(corrected_type):
    check_can_record(user("office"), "corrected", TEAM, by(corrected_type, "leader"))


@pytest.mark.parametrize("event_type", ALL_TYPES)
def test_an_auditor_records_nothing(event_type):
    with pytest.raises(NotAllowed):
        check_can_record(user("auditor"), event_type, TEAM)


def test_a_leader_gives_instructions_on_any_project():
    check_can_record(user("leader", "boss"), "instruction_given", TEAM)
    check_can_record(user("leader", "boss"), "instruction_given", None)


@pytest.mark.parametrize("event_type", sorted(set(ALL_TYPES) - {"instruction_given"}))
def test_a_leader_records_nothing_but_instructions(event_type):
    with pytest.raises(NotAllowed):
        check_can_record(user("leader", "boss"), event_type, ["boss"], by("instruction_given"))


@pytest.mark.parametrize("username", TEAM)
@pytest.mark.parametrize("event_type", AGENT_TYPES)
def test_an_agent_on_the_team_records_the_teams_events(event_type, username):
    check_can_record(user("agent", username), event_type, TEAM, by("visit_logged"))


@pytest.mark.parametrize("event_type", AGENT_TYPES)
def test_an_agent_off_the_team_records_nothing(event_type):
    with pytest.raises(NotAllowed, match="not on this project's team"):
        check_can_record(user("agent", "wang"), event_type, TEAM, by("visit_logged"))


def test_an_agent_records_nothing_where_there_is_no_team_yet():
    with pytest.raises(NotAllowed):
        check_can_record(user("agent", "zhang"), "visit_logged", None)


@pytest.mark.parametrize("event_type", OFFICE_ONLY)
def test_an_agent_never_records_the_offices_events(event_type):
    with pytest.raises(NotAllowed, match="only the office"):
        check_can_record(user("agent", "zhang"), event_type, TEAM)


@pytest.mark.parametrize("corrected_type", OFFICE_ONLY)
def test_an_agent_cannot_correct_the_offices_events(corrected_type):
    with pytest.raises(NotAllowed, match="only the office"):
        check_can_record(user("agent", "zhang"), "corrected", TEAM, by(corrected_type))


@pytest.mark.parametrize("corrected_type", AGENT_TYPES)
def test_an_agent_on_the_team_may_correct_the_teams_events(corrected_type):
    check_can_record(user("agent", "zhang"), "corrected", TEAM, by(corrected_type))


def test_an_agent_records_no_leader_instruction_and_corrects_none():
    with pytest.raises(NotAllowed, match="leader"):
        check_can_record(user("agent", "zhang"), "instruction_given", TEAM)
    with pytest.raises(NotAllowed, match="leader"):
        check_can_record(user("agent", "zhang"), "corrected", TEAM, by("instruction_given"))


@pytest.mark.parametrize("role", ["office", "leader"])
def test_an_agent_cannot_correct_what_the_office_or_a_leader_recorded(role):
    with pytest.raises(NotAllowed, match="office or a leader recorded"):
        check_can_record(user("agent", "zhang"), "corrected", TEAM, by("visit_logged", role))


@pytest.mark.parametrize("role", ["office", "leader", "agent", "auditor"])
def test_a_disabled_user_records_nothing(role):
    with pytest.raises(NotAllowed, match="disabled"):
        check_can_record(user(role, "zhang", disabled=True), "instruction_given", TEAM)


def test_a_user_without_the_disabled_flag_is_enabled():
    check_can_record({"username": "zhang", "role": "agent"}, "visit_logged", TEAM)

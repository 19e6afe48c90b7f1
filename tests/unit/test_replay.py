"""The state of a project is a fold of its events: replaying them gives the same project."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.lifecycle import MILESTONES, PHASE_ORDER
from domain.views import project_view

SIGNED_ON = date(2024, 3, 1)
TODAY = SIGNED_ON + timedelta(days=60)


def story(project, record):
    """Record one of nearly everything, corrections included."""
    record(project, "milestone_planned", milestone="land_approved", planned_on=date(2024, 6, 1))
    record(project, "milestone_reached", on=date(2024, 3, 5), milestone="project_filed")
    record(project, "approval_applied", approval_id="A1", item="环评", department="生态环境局")
    record(project, "approval_granted", approval_id="A1", missing_documents=["deed"],
           commitment_due_on=date(2024, 5, 1))
    record(project, "commitment_fulfilled", on=date(2024, 4, 20), approval_id="A1")
    problem = record(project, "problem_raised", title="power line")["problem_id"]
    record(project, "problem_plan_proposed", problem_id=problem, plan="move it")
    record(project, "problem_escalated", problem_id=problem, escalated_to="leader",
           leader="boss")
    record(project, "instruction_given", actor="boss", instruction="now", problem_id=problem)
    record(project, "problem_resolved", on=date(2024, 4, 2), problem_id=problem,
           resolution="moved")
    record(project, "milestone_reached", on=date(2024, 4, 3), milestone="land_approved")
    record(project, "progress_reported", investment_completed=7_000)
    record(project, "corrected", corrects_version=13, action="amend", reason="typo",
           changes={"investment_completed": 9_000})
    record(project, "corrected", corrects_version=12, action="void", reason="not yet")
    record(project, "visit_logged", actor="li", purpose="weekly visit")
    record(project, "service_rated", actor="office", rating=4, agent="li")
    record(project, "team_assigned", actor="office", chief_agent="wang", co_agents=["li"])
    record(project, "suspended", reason="funding")
    record(project, "resumed")
    record(project, "terminated", actor="office", reason="investor withdrew")


def test_replaying_the_events_rebuilds_the_same_project(make_project, record, replay):
    project = make_project()
    story(project, record)

    rebuilt = replay(project.collect_events())

    assert rebuilt.version == project.version == 21
    assert project_view(rebuilt) == project_view(project)
    assert rebuilt.facts == project.facts


def test_replaying_the_first_events_gives_the_project_as_it_was_then(
    make_project, record, replay
):
    project = make_project()
    story(project, record)
    events = project.collect_events()

    then = replay(events[:12])

    assert (then.version, then.phase, then.status) == (12, "land", "active")
    assert then.investment_completed == 0


def test_replaying_does_not_change_the_events(make_project, record, replay):
    project = make_project()
    story(project, record)
    events = project.collect_events()
    before = [copy.deepcopy(e.__dict__) for e in events]

    replay(events)
    replay(events)

    assert [e.__dict__ for e in events] == before


# ---- properties over random command sequences ---------------------------------------

ON = st.integers(-2, 62).map(lambda n: SIGNED_ON + timedelta(days=n))
TEXT = st.sampled_from(["x", "a note"])
PROBLEM = st.sampled_from(["P1", "P2"])
APPROVAL = st.sampled_from(["A1", "A2"])
MILESTONE = st.sampled_from(list(MILESTONES))


def command(event_type, **fields):
    return st.tuples(st.just(event_type), ON, st.fixed_dictionaries(fields))


def weighted(*pairs):
    """One of the strategies, each drawn about `weight` times as often as a weight of 1."""
    return st.sampled_from([s for weight, s in pairs for _ in range(weight)]).flatmap(
        lambda strategy: strategy
    )


# A correction names a version by `pick`, turned into a recorded version when it is run.
COMMANDS = weighted(
    (3, command("milestone_reached", milestone=MILESTONE)),
    (2, command("milestone_planned", milestone=MILESTONE, planned_on=ON,
                reason=st.none() | TEXT)),
    (2, command("approval_applied", approval_id=st.sampled_from([None, "A1", "A3"]), item=TEXT,
                department=TEXT)),
    (1, command("approval_granted", approval_id=APPROVAL)),
    (2, command("approval_granted", approval_id=APPROVAL, missing_documents=st.just(["deed"]),
                commitment_due_on=st.sampled_from([TODAY, SIGNED_ON]))),
    (1, command("approval_rejected", approval_id=APPROVAL, reason=TEXT)),
    (2, command("commitment_fulfilled", approval_id=APPROVAL)),
    (3, command("problem_raised", problem_id=st.sampled_from([None, "P1", "P3"]), title=TEXT)),
    (1, command("problem_plan_proposed", problem_id=PROBLEM, plan=TEXT,
                due_on=st.none() | ON)),
    (1, command("problem_escalated", problem_id=PROBLEM,
                escalated_to=st.sampled_from(["office", "leader"]),
                leader=st.sampled_from([None, "boss"]))),
    (1, command("problem_followed_up", problem_id=PROBLEM, note=TEXT)),
    (2, command("problem_resolved", problem_id=PROBLEM, resolution=TEXT)),
    (1, command("problem_reopened", problem_id=PROBLEM, reason=TEXT)),
    (2, command("progress_reported", investment_completed=st.integers(0, 20))),
    (1, command("visit_logged", purpose=TEXT)),
    (1, command("instruction_given", instruction=TEXT, problem_id=st.none() | PROBLEM)),
    (1, command("service_rated", rating=st.integers(1, 5),
                agent=st.sampled_from([None, "zhang", "li", "wang"]))),
    (1, command("team_assigned", chief_agent=st.sampled_from(["zhang", "wang"]),
                co_agents=st.sampled_from([[], ["li"], ["li", "wang"]]),
                leader=st.sampled_from([None, "boss"]))),
    (1, command("suspended", reason=TEXT)),
    (2, command("resumed")),
    (1, command("terminated", reason=TEXT)),
    (3, command("corrected", pick=st.integers(0, 99), action=st.just("void"), reason=TEXT)),
    (4, command("corrected", pick=st.integers(0, 99), action=st.just("amend"), reason=TEXT,
                changes=st.one_of(
                    ON.map(lambda on: {"occurred_on": on}),
                    st.integers(0, 20).map(lambda n: {"investment_completed": n}),
                    MILESTONE.map(lambda code: {"milestone": code}),
                    st.just({"note": "amended"}),
                ))),
)


# Items the random commands can work on from the start.
PRELUDE = [
    ("problem_raised", {"problem_id": "P1", "title": "x"}),
    ("problem_raised", {"problem_id": "P2", "title": "x"}),
    ("approval_applied", {"approval_id": "A1", "item": "x", "department": "x"}),
    ("approval_applied", {"approval_id": "A2", "item": "x", "department": "x"}),
]


def run(make_project, commands):
    """Apply the commands to a new project, skipping refused ones (which must change nothing).

    Return the project and, per accepted command, its type and the phases before and after.
    """
    project = make_project(signed_on=SIGNED_ON, today=TODAY)
    for prelude_type, fields in PRELUDE:
        project.record(prelude_type, actor="zhang", occurred_on=SIGNED_ON, today=TODAY, **fields)
    steps = []
    for event_type, on, fields in commands:
        if "pick" in fields:
            fields = dict(fields)
            fields["corrects_version"] = project.version - fields.pop("pick") % project.version
        before = copy.deepcopy(project_view(project))
        try:
            project.record(event_type, actor="zhang", occurred_on=on, today=TODAY, **fields)
        except DomainError:
            assert project_view(project) == before
            assert project.version == before["version"] == len(project.pending_events)
            continue
        steps.append((event_type, before["phase"], project.phase))
    return project, steps


@settings(max_examples=200, deadline=None)
@given(st.lists(COMMANDS, min_size=10, max_size=40))
def test_any_accepted_history_replays_to_the_same_state(make_project, replay, commands):
    project, _ = run(make_project, commands)

    rebuilt = replay(project.pending_events)

    assert project_view(rebuilt) == project_view(project)
    assert rebuilt.facts == project.facts


@settings(max_examples=200, deadline=None)
@given(st.lists(COMMANDS, min_size=10, max_size=40))
def test_the_phase_never_goes_back_without_a_correction(make_project, commands):
    _, steps = run(make_project, commands)

    for event_type, phase_before, phase_after in steps:
        if event_type != "corrected":
            assert PHASE_ORDER[phase_after] >= PHASE_ORDER[phase_before]

"""A project's history as a script of dated steps, and the playing of the scripts into a service.

Steps refer to what is only known when they are played (the chief agent at the time, the version
of an earlier step), so a script is written first and resolved while it is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from domain.application import Banban


@dataclass
class Ref:
    """The version of an earlier step of the same project, known once it is recorded."""

    key: str


class _Chief:
    """The project's chief agent at the moment the step is recorded."""


CHIEF = _Chief()


@dataclass
class Step:
    on: date
    prio: int
    seq: int
    event_type: str
    actor: Any  # a username, "chief", or ("team", n): the n-th member of the team at that time
    fields: dict[str, Any]
    key: str | None = None


@dataclass
class Script:
    """Everything that will be recorded on one project, before it is played."""

    name: str
    investor: str
    industry: str
    investment: int
    park: str | None
    chief: str
    co_agents: list[str]
    leader: str | None
    signed_on: date
    horizon: date
    steps: list[Step] = field(default_factory=list)
    seq: int = 0
    office: str = "office"  # who records the signing

    def add(self, on: date, event_type: str, actor: Any, *, prio: int = 5,
            key: str | None = None, **fields: Any) -> None:
        self.seq += 1
        self.steps.append(Step(on, prio, self.seq, event_type, actor, fields, key))

    def joint_review(self, on: date, actors: list[Any], departments: list[str], *,
                     conditions: dict[str, Any] | None = None, pending: tuple[str, ...] = (),
                     concluded: bool = True, note: str | None = None) -> dict[str, int]:
        """A park-entry joint review (入园会审) convened on a day, each department's opinion given
        in the sitting (with its condition, if any: a text, or whose it is and when due) but
        those pending, and its passing conclusion carrying the conditions. Returns the number
        each department's condition has in the conclusion (for its meeting)."""
        conditions = conditions or {}
        self.add(on, "park_review_convened", actors[0], review_id="PR-01",
                 departments=list(departments))
        for n, department in enumerate(d for d in departments if d not in pending):
            condition = conditions.get(department)
            fields = ({"opinion": "agree_with_conditions", "conditions": [condition]}
                      if condition else {"opinion": "agree"})
            self.add(on, "park_review_opinion_given", actors[n % len(actors)], review_id="PR-01",
                     department=department, **fields)
        if concluded:
            carried = [conditions[d] for d in departments if d in conditions]
            self.add(on, "park_review_concluded", actors[0], review_id="PR-01", passed=True,
                     conditions=carried, note=note)
        return {d: n for n, d in enumerate((d for d in departments if d in conditions), 1)}

    def condition_met(self, on: date, actor: Any, number: int, note: str) -> None:
        """A condition of the passed joint review met."""
        self.add(on, "park_review_condition_met", actor, review_id="PR-01", condition=number,
                 note=note)

    def signing(self) -> Step:
        fields = {"name": self.name, "investor": self.investor, "industry": self.industry,
                  "investment": self.investment, "park": self.park,
                  "chief_agent": self.chief, "co_agents": list(self.co_agents),
                  "leader": self.leader}
        return Step(self.signed_on, 0, 0, "signed", self.office, fields)

    def ordered(self) -> list[Step]:
        """The steps to play, in business-date order, without those after the horizon.

        Approval and problem ids are numbered again in the order the items appear.
        """
        kept = [s for s in self.steps if s.on <= self.horizon]
        keys = {s.key for s in kept if s.key}
        kept = [s for s in kept
                if not (isinstance(s.fields.get("corrects_version"), Ref)
                        and s.fields["corrects_version"].key not in keys)]
        kept.sort(key=lambda s: (s.on, s.prio, s.seq))
        ids: dict[tuple[str, str], str] = {}
        counts = {"approval_id": 0, "problem_id": 0}
        renumbered = []
        for s in kept:
            fields = dict(s.fields)
            for name, prefix in (("approval_id", "AP"), ("problem_id", "PB")):
                if fields.get(name) is not None:
                    if (name, fields[name]) not in ids:
                        counts[name] += 1
                        ids[name, fields[name]] = f"{prefix}-{counts[name]:02d}"
                    fields[name] = ids[name, fields[name]]
            renumbered.append(replace(s, fields=fields))
        return [self.signing(), *renumbered]


def weekday(d: date) -> date:
    """A working day near a date: Saturday moves back to Friday, Sunday on to Monday.

    No date moves past a working day, so the mapping keeps the order of dates (non-decreasing).
    Official holidays and make-up days are not modelled.
    """
    return d + timedelta(days={5: -1, 6: 1}.get(d.weekday(), 0))


def monday(d: date) -> date:
    """The Monday of the week of a date."""
    return d - timedelta(days=d.weekday())


def money(yuan: float) -> int:
    """Whole 万元 (10,000 yuan)."""
    return int(yuan // 10_000) * 10_000


def play(service: Banban, scripts: list[Script]) -> int:
    """Record the scripts' steps into the service, interleaved by business date; count them."""
    queue = []
    for order, script in enumerate(scripts):
        for step in script.ordered():
            queue.append((step.on, order, step.prio, step.seq, step))
    queue.sort(key=lambda entry: entry[:4])

    state: dict[int, dict[str, Any]] = {}
    for _, order, _, _, step in queue:
        script = scripts[order]
        if step.event_type == "signed":
            view = service.sign_project(step.actor, signed_on=step.on, **step.fields)
            state[order] = {"id": view["id"], "version": view["version"], "versions": {},
                            "chief": script.chief, "co_agents": list(script.co_agents)}
            continue
        st = state[order]
        actor = step.actor
        team = [st["chief"], *st["co_agents"]]
        if actor == "chief":
            actor = st["chief"]
        elif isinstance(actor, tuple):
            actor = team[actor[1] % len(team)]
        fields = {}
        for name, value in step.fields.items():
            if isinstance(value, Ref):
                value = st["versions"][value.key]
            elif value is CHIEF:
                value = st["chief"]
            fields[name] = value
        result = service.record(st["id"], actor, step.event_type,
                                expected_version=st["version"], occurred_on=step.on,
                                fields=fields)
        st["version"] = result["version"]
        if step.key:
            st["versions"][step.key] = result["version"]
        if step.event_type == "team_assigned":
            st["chief"], st["co_agents"] = fields["chief_agent"], list(fields["co_agents"])
    return len(queue)

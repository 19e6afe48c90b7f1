"""The Project aggregate: one investment project from signing to operation.

Every event carries the actor who recorded it and the business date it happened
(`occurred_on`); the library adds the recorded time (`timestamp`). The aggregate keeps the
list of recorded facts so that a correction (a later event naming an earlier one) can amend
or void it: the state is then folded again from the corrected facts, and the correction is
refused if the corrected history would break a rule.

Event classes are stored schema: their names and fields stay; change them with
`class_version` and an upcaster.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection, Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain import sense
from domain.catalogues import listed
from domain.errors import DomainError, InvalidValue
from domain.fields import (
    EVENT_TYPES,
    NOT_AMENDABLE,
    TYPE_OF_CLASS,
    as_condition,
    coerce,
    coerce_all,
    fields_of,
)
from domain.fold import ProjectFold, carried
from domain.rules import ProjectRules, check_date, check_team
from domain.sense import NOTHING_KNOWN, Known


def _none_confirmed(state: dict[str, Any]) -> None:
    """Events recorded before the sense checks confirmed nothing."""
    state["confirmed"] = []


def _conditions_of_investor(state: dict[str, Any]) -> None:
    """Conditions recorded as bare texts were the investor's, with no due date."""
    state["conditions"] = [as_condition(c) for c in state["conditions"]]


def new_item_id(prefix: str) -> str:
    """A short random id for an approval or a problem."""
    return f"{prefix}-{secrets.token_hex(4)}"


class Project(ProjectFold, ProjectRules, Aggregate):
    """An investment project and everything recorded about it."""

    # The version of a snapshot's state: v2 holds review conditions as objects (whose, when
    # due, met), as the events do since ParkReviewConcluded v2.
    class_version = 2

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        for record in state.get("facts", []):
            if record[0] in ("park_review_opinion_given", "park_review_concluded"):
                _conditions_of_investor(record[3])
        for review in state.get("_park_reviews", {}).values():
            review["conditions"] = carried(review["conditions"])
            for opinion in review["opinions"].values():
                _conditions_of_investor(opinion)

    class Event(Aggregate.Event):
        actor: str
        occurred_on: date

        def apply(self, aggregate: Project) -> None:
            aggregate._record_fact(self)

    class Signed(Event, Aggregate.Created):
        # v2 names the county (v1: the deployment had one county, its home county); v3 keeps
        # the unusual values confirmed as right (domain.sense; none before it).
        class_version = 3
        name: str
        investor: str
        industry: str
        investment: int
        park: str | None
        chief_agent: str
        co_agents: list[str]
        leader: str | None
        county: str | None
        confirmed: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["county"] = None

        upcast_v2_v3 = staticmethod(_none_confirmed)

    class TeamAssigned(Event):
        chief_agent: str
        co_agents: list[str]
        leader: str | None
        reason: str | None

    class MilestonePlanned(Event):
        class_version = 2  # v2: confirmed (domain.sense)
        milestone: str
        planned_on: date
        reason: str | None
        confirmed: list[str]

        upcast_v1_v2 = staticmethod(_none_confirmed)

    class MilestoneReached(Event):
        milestone: str
        note: str | None

    class ApprovalApplied(Event):
        approval_id: str
        item: str
        department: str
        note: str | None

    class ApprovalGranted(Event):
        class_version = 2  # v2: confirmed (domain.sense)
        approval_id: str
        missing_documents: list[str]
        commitment_due_on: date | None
        note: str | None
        confirmed: list[str]

        upcast_v1_v2 = staticmethod(_none_confirmed)

    class ApprovalRejected(Event):
        approval_id: str
        reason: str

    class CommitmentFulfilled(Event):
        approval_id: str
        note: str | None

    class ProblemRaised(Event):
        problem_id: str
        title: str
        description: str | None
        same_day: bool
        responsible_unit: str | None

    class ProblemPlanProposed(Event):
        class_version = 2  # v2: confirmed (domain.sense)
        problem_id: str
        plan: str
        due_on: date | None
        confirmed: list[str]

        upcast_v1_v2 = staticmethod(_none_confirmed)

    class ProblemEscalated(Event):
        problem_id: str
        escalated_to: str
        leader: str | None
        note: str | None

    class ProblemFollowedUp(Event):
        problem_id: str
        note: str

    class ProblemResolved(Event):
        problem_id: str
        resolution: str

    class ProblemReopened(Event):
        problem_id: str
        reason: str

    class ProgressReported(Event):
        class_version = 2  # v2: confirmed (domain.sense)
        investment_completed: int
        note: str | None
        confirmed: list[str]

        upcast_v1_v2 = staticmethod(_none_confirmed)

    class VisitLogged(Event):
        purpose: str
        met_with: str | None
        note: str | None

    class InstructionGiven(Event):
        # v2 names the leader who gave the instruction (v1: the recorder was the leader).
        class_version = 2
        instruction: str
        problem_id: str | None
        leader: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["leader"] = None

    class ServiceRated(Event):
        rating: int
        agent: str | None
        comment: str | None

    class ParkReviewConvened(Event):
        review_id: str
        departments: list[str]
        opinion_within_working_days: int | None
        note: str | None

    class ParkReviewOpinionGiven(Event):
        class_version = 2  # v2: each condition says whose it is and when it is due
        review_id: str
        department: str
        opinion: str
        conditions: list[dict[str, Any]]
        note: str | None

        upcast_v1_v2 = staticmethod(_conditions_of_investor)

    class ParkReviewConcluded(Event):
        class_version = 2  # v2: each condition says whose it is and when it is due
        review_id: str
        passed: bool
        conditions: list[dict[str, Any]]
        note: str | None

        upcast_v1_v2 = staticmethod(_conditions_of_investor)

    class ParkReviewConditionMet(Event):
        review_id: str
        condition: int
        note: str | None

    class Suspended(Event):
        reason: str

    class Resumed(Event):
        note: str | None

    class Terminated(Event):
        reason: str

    class Corrected(Event):
        # v2 says what it corrected; v1 corrections leave it to the reader (None, {}). v3 keeps
        # the unusual values of its changes confirmed as right (domain.sense).
        class_version = 3
        corrects_version: int
        action: str
        reason: str
        changes: dict[str, Any]
        # Filled by the server, so that readers of the log need not look back:
        corrected_type: str | None
        previous: dict[str, Any]  # the corrected values before (all of them for a void)
        confirmed: list[str]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["corrected_type"] = None
            state["previous"] = {}

        upcast_v2_v3 = staticmethod(_none_confirmed)

    def __init__(self) -> None:
        # One compact record per event, in version order: what a correction needs to refold.
        self.facts: list[list[Any]] = []
        self._reset()

    # ---- commands -------------------------------------------------------------------

    @classmethod
    def sign(
        cls, *, actor: str, signed_on: date, today: date, id: UUID | None = None,
        known: Known = NOTHING_KNOWN, **fields: Any
    ) -> Project:
        """Open a project at its signing; fields are those of SIGNING_FIELDS. `known` says
        what its checks need to know of the county (its other projects' names, its
        catalogues)."""
        data = listed(coerce_all("signed", fields), known.catalogue)
        check_date("signed_on", signed_on, today)
        check_team(data["chief_agent"], data["co_agents"])
        data["confirmed"] = sense.confirm(
            sense.dates({"signed_on": signed_on}, today) + sense.duplicate(data["name"], known),
            data["confirmed"])
        return cls._create(
            cls.Signed, id=id or uuid4(), actor=actor, occurred_on=signed_on, **data
        )

    def record(
        self, event_type: str, *, actor: str, occurred_on: date, today: date,
        known: Known = NOTHING_KNOWN, **fields: Any
    ) -> dict[str, Any]:
        """Record one event of the given API type; return what the server filled in. `known`
        says what its checks need to know of the county (domain.sense, domain.catalogues)."""
        if event_type not in EVENT_TYPES:
            raise InvalidValue(f"unknown event type {event_type!r}", field="type")
        data = coerce_all(event_type, fields)
        check_date("occurred_on", occurred_on, today)
        self._check_not_before_signing(occurred_on)
        if event_type != "corrected":
            data = listed(data, known.catalogue, event_type=event_type)
        made: dict[str, Any] = {}
        for key, prefix in (("approval_id", "AP"), ("problem_id", "PB"), ("review_id", "PR")):
            if key in data and data[key] is None and event_type in _CREATES_ITEM:
                data[key] = made[key] = new_item_id(prefix)
        if event_type == "corrected":
            self._check_correction(data, today)
            data["changes"] = listed(data["changes"], known.catalogue, "changes.",
                                     self.fact(data["corrects_version"])["type"])
            data.update(_before_correction(self.fact(data["corrects_version"]), data))
        else:
            if event_type == "team_assigned" and data["leader"] is None:
                data["leader"] = self.leader  # the event carries the whole resulting team
            self._check(_fact(event_type, actor, occurred_on, data))
        if "confirmed" in data:
            data["confirmed"] = sense.confirm(self._unusual(event_type, data, occurred_on,
                                                            today, known), data["confirmed"])
        event_class = getattr(self, EVENT_TYPES[event_type][0])
        self.trigger_event(event_class, actor=actor, occurred_on=occurred_on, **data)
        return made

    def _unusual(self, event_type: str, data: dict[str, Any], on: date, today: date,
                 known: Known) -> list[sense.Finding]:
        """What the sense checks find unusual in an event about to be recorded (for a
        correction: in the values it changes)."""
        if event_type == "progress_reported":
            return sense.progress(data["investment_completed"], on, self.investment,
                                  self.progress)
        if event_type != "corrected":
            return sense.dates(data, today)
        if data["action"] != "amend":
            return []
        changes, target = data["changes"], self.fact(data["corrects_version"])
        found = sense.dates(changes, today, "changes.")
        if "investment_completed" in changes:
            others = [r for r in self.progress if r["version"] != target["version"]]
            found += sense.progress(changes["investment_completed"],
                                    changes.get("occurred_on", target["occurred_on"]),
                                    self.investment, others, "changes.investment_completed")
        if "investment" in changes:
            found += sense.total(changes["investment"], self.investment_completed,
                                 "changes.investment")
        if "name" in changes and sense.name_key(changes["name"]) != sense.name_key(self.name):
            found += sense.duplicate(changes["name"], known, "changes.name")
        return found

    # ---- folding facts into state -----------------------------------------------------

    def _record_fact(self, event: Project.Event) -> None:
        """Apply a recorded event: append its fact and fold it (or refold after a correction)."""
        event_type = TYPE_OF_CLASS[type(event).__name__]
        data = {name: getattr(event, name) for name in fields_of(event_type)}
        fact = _fact(event_type, event.actor, event.occurred_on, data)
        fact["version"] = event.originator_version
        fact["recorded_at"] = event.timestamp
        self.facts.append(_compact(fact))
        if event_type == "corrected":
            _correct(self.facts, data, event.originator_version)
            self._reset_from(self.facts)
            self.last_event = _summary(fact)
        else:
            self._apply(fact, check=False)

    def _reset_from(self, records: list[list[Any]], *, check: bool = False) -> None:
        """Fold the state again from compact records, skipping voided events and corrections."""
        self._reset()
        for version, record in enumerate(records, start=1):
            if not record[_VOID] and record[_TYPE] != "corrected":
                self._apply(_expand(record, version), check=check)

    def _check(self, fact: dict[str, Any]) -> None:
        """Enforce the rules for one more fact on the current state; raise, change nothing."""
        if fact["type"] != "signed":
            self._check_common(fact)
        rule = getattr(self, "_check_" + fact["type"], None)
        if rule is not None:
            rule(fact, fact["data"])

    def _apply(self, fact: dict[str, Any], *, check: bool) -> None:
        """Fold one fact into the state, enforcing the rules first if asked."""
        if check:
            self._check(fact)
        getattr(self, "_on_" + fact["type"])(fact, fact["data"])
        self.last_event = _summary(fact)

    # ---- corrections ----------------------------------------------------------------

    def _check_correction(self, data: dict[str, Any], today: date) -> None:
        version = data["corrects_version"]
        if version > self.version:
            raise DomainError(
                f"there is no event {version}: the project is at version {self.version}",
                field="corrects_version", code="unknown_version",
            )
        target = self.fact(version)
        if target["type"] == "corrected":
            raise DomainError(
                "a correction cannot be corrected; correct the original event again",
                field="corrects_version", code="not_correctable",
            )
        if target["void"]:
            raise DomainError(
                f"event {version} was already voided", field="corrects_version",
                code="already_void",
            )
        if data["action"] == "void":
            if target["type"] == "signed":
                raise DomainError(
                    "the signing cannot be voided; terminate the project instead",
                    field="corrects_version", code="not_correctable",
                )
            if data["changes"]:
                raise DomainError("a void takes no changes", field="changes",
                                  code="void_with_changes")
        else:
            data["changes"] = _coerce_changes(target["type"], data["changes"], today)
        # Replay the corrected history under the rules; refuse if any fact no longer holds.
        records = [list(record) for record in self.facts]
        _correct(records, data, self.version + 1)
        probe = Project.__new__(Project)
        try:
            probe._reset_from(records, check=True)
        except DomainError as error:
            raise DomainError(
                f"after this correction the history breaks a rule: {error.message}",
                field="corrects_version", code="correction_breaks_history",
            ) from None

    # ---- queries --------------------------------------------------------------------

    @property
    def team(self) -> list[str]:
        """Usernames of the chief agent and the co-agents."""
        return [self.chief_agent, *self.co_agents]

    def fact(self, version: int) -> dict[str, Any]:
        """The recorded fact at a version, as corrected."""
        return _expand(self.facts[version - 1], version)

    def standing_facts(self, types: Collection[str]) -> Iterator[dict[str, Any]]:
        """The facts of these types that are not void, as corrected, in version order (only
        those are expanded: a report reading milestones need not expand every visit)."""
        for version, record in enumerate(self.facts, start=1):
            if record[_TYPE] in types and not record[_VOID]:
                yield _expand(record, version)

    def facts_text(self, types: Collection[str]) -> str:
        """The standing facts of these types, and the corrections that amended them, as text
        (compact records by version): what `FactsOf` reads them back from, without the rest
        of the history (visits, ratings, voided facts)."""
        kept: dict[int, list[Any]] = {}
        for version, record in enumerate(self.facts, start=1):
            if record[_TYPE] in types and not record[_VOID]:
                kept[version] = record
                for corrector in record[_CORRECTED_BY]:
                    kept[corrector] = self.facts[corrector - 1]
        return json.dumps(sorted(kept.items()), ensure_ascii=False, separators=(",", ":"))


class FactsOf:
    """A project's standing facts of some types read back from their text
    (`Project.facts_text`): what stands in for the project where only those facts are read
    (domain.history.History, kept by the cards for the reports' parts). `fact` knows the
    versions kept (those facts, and the corrections that amended them) and no other."""

    def __init__(self, project_id: UUID, version: int, text: str) -> None:
        self.id = project_id
        self.version = version
        self._records: dict[int, list[Any]] = dict(json.loads(text))

    def fact(self, version: int) -> dict[str, Any]:
        """The fact at a version kept, as corrected."""
        return _expand(self._records[version], version)

    def standing_facts(self, types: Collection[str]) -> Iterator[dict[str, Any]]:
        """The facts of these types (of those kept) that are not void, in version order."""
        for version, record in self._records.items():
            if record[_TYPE] in types and not record[_VOID]:
                yield _expand(record, version)


_CREATES_ITEM = {"approval_applied", "problem_raised", "park_review_convened"}


def _fact(event_type: str, actor: str, occurred_on: date, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": event_type, "actor": actor, "occurred_on": occurred_on, "data": dict(data),
        "version": None, "recorded_at": None, "void": False, "corrected_by": [],
    }


def _before_correction(target: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The server-made fields of a correction: what it corrects, and the values before."""
    before = {"occurred_on": target["occurred_on"], **target["data"]}
    names = before if data["action"] == "void" else data["changes"]
    return {"corrected_type": target["type"],
            "previous": _plain({name: before[name] for name in names})}


def _summary(fact: dict[str, Any]) -> dict[str, Any]:
    return {k: fact[k] for k in ("type", "version", "actor", "occurred_on", "recorded_at")}


# A compact record of a fact: [type, actor, occurred_on, data, void, corrected_by], with dates
# as ISO text, so that a snapshot of a project with a long history stays small and quick to load.
_TYPE, _ACTOR, _ON, _DATA, _VOID, _CORRECTED_BY = range(6)


def _compact(fact: dict[str, Any]) -> list[Any]:
    return [fact["type"], fact["actor"], fact["occurred_on"].isoformat(), _plain(fact["data"]),
            False, []]


def _expand(record: list[Any], version: int) -> dict[str, Any]:
    event_type = record[_TYPE]
    data = dict(record[_DATA])
    for name, field in fields_of(event_type).items():
        if field.kind == "date" and isinstance(data.get(name), str):
            data[name] = date.fromisoformat(data[name])
    return {
        "type": event_type, "actor": record[_ACTOR],
        "occurred_on": date.fromisoformat(record[_ON]), "data": data, "version": version,
        "recorded_at": None, "void": record[_VOID], "corrected_by": list(record[_CORRECTED_BY]),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _correct(records: list[list[Any]], data: dict[str, Any], by_version: int) -> None:
    """Mark a fact's record voided or amend its fields, in place (records are copied first)."""
    index = data["corrects_version"] - 1
    target = records[index] = list(records[index])
    target[_CORRECTED_BY] = [*target[_CORRECTED_BY], by_version]
    if data["action"] == "void":
        target[_VOID] = True
        return
    target[_DATA] = dict(target[_DATA])
    for name, value in _plain(data["changes"]).items():
        if name == "occurred_on":
            target[_ON] = value
        else:
            target[_DATA][name] = value


def _coerce_changes(event_type: str, changes: dict[str, Any], today: date) -> dict[str, Any]:
    if not changes:
        raise InvalidValue("an amendment needs changes", field="changes", code="required")
    spec = fields_of(event_type)
    result: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "occurred_on":
            result[name] = coerce("changes.occurred_on", _DATE, value)
            check_date("changes.occurred_on", result[name], today)
        elif name in spec and name not in NOT_AMENDABLE:
            result[name] = coerce(f"changes.{name}", spec[name], value)
        else:
            raise DomainError(f"changes.{name} cannot be amended on a {event_type} event",
                              field=f"changes.{name}", code="not_amendable")
    return result


_DATE = fields_of("milestone_planned")["planned_on"]

# Every stored Project event class: what the notification log is filtered by, in the
# database, to read the projects' events alone.
PROJECT_TOPICS = tuple(sorted(
    get_topic(cls) for cls in vars(Project).values()
    if isinstance(cls, type) and issubclass(cls, Project.Event) and cls is not Project.Event
))

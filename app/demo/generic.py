"""The generic projects: each one's history generated from its plan and its own random stream."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from app.demo.accounts import DEMO_PEOPLE, People
from app.demo.catalogue import (
    APPROVALS, FOLLOW_UPS, INSTRUCTIONS, MET_WITH, MILESTONE_NOTES, MISSING_DOCUMENTS,
    NO_PARK_INDUSTRIES, PARK_REVIEW_CONDITIONS, PARK_REVIEW_DEPARTMENTS, PARKS, PLANS,
    PROBLEM_INSTRUCTIONS, PROBLEMS, PRODUCTION_APPROVALS, RATING_COMMENTS, REJECT_REASONS,
    RESOLUTIONS, SAME_DAY_PROBLEMS, SUSPEND_REASONS, TERMINATE_REASONS, VISIT_PURPOSES,
)
from app.demo.script import CHIEF, Ref, Script, money, monday, weekday
from domain.lifecycle import MILESTONES

# Typical days from the previous milestone, and the share of the investment spent on reaching.
_TYPICAL_DAYS = {
    "park_review_passed": 7, "project_filed": 10, "land_approved": 45, "land_cleared": 30,
    "land_delivered": 20, "construction_permitted": 40, "construction_started": 15,
    "completion_accepted": 120, "production_started": 30, "operating": 60,
}
_SPENT = {
    "land_approved": 0.02, "land_delivered": 0.08, "construction_started": 0.12,
    "completion_accepted": 0.80, "production_started": 0.92, "operating": 1.0,
}


@dataclass
class Plan:
    """The decisions for one generic project, made before its events are generated."""

    index: int
    name: str
    investor: str
    industry: str
    phase: str
    status: str = "active"  # active, suspended, resumed, terminated
    same_day_review: bool = False
    investment: int | None = None
    leader: bool | None = None
    team_change: bool = False
    reject: bool = False
    correct_visit: bool = False
    correct_milestone: bool = False
    overdue: bool = False
    reopen: bool = False


@dataclass(frozen=True)
class Density:
    """How long and how busy a generic project's history is (the demo's by default).

    `span` stretches the time from signing to today (2.0: twice the demo's); visits come every
    `visit_days` days; a project raises `problems` problems (more for the largest).
    """

    span: float = 1.0
    visit_days: tuple[int, int] = (20, 45)
    problems: tuple[int, int] = (1, 3)


class Generic:
    """Generates the history of one project from its plan."""

    def __init__(self, plan: Plan, rng: random.Random, today: date,
                 people: People = DEMO_PEOPLE, density: Density = Density()):
        self.plan, self.rng, self.today = plan, rng, today
        self.people, self.density = people, density
        r = rng
        industry = plan.industry
        park = None if industry in NO_PARK_INDUSTRIES else r.choice(PARKS)
        investment = plan.investment or money(10 ** r.uniform(7.7, 9.3))
        self.codes = [c for c in MILESTONES
                      if (c != "park_review_passed" or park)
                      and (c != "land_cleared" or r.random() < 0.6)]
        # Signing date by target phase, in days before today.
        ranges = {"operation": (300, 360), "construction": (150, 335),
                  "land": (70, 260), "signing": (10, 80)}
        lo, hi = (int(days * density.span) for days in ranges[plan.phase])
        signed_on = weekday(today - timedelta(days=r.randint(lo, hi)))
        # Suspended or terminated projects stop at their end date; a resumed one has a gap.
        self.window: tuple[date, date] | None = None
        horizon = today
        room = (today - signed_on).days
        if plan.status in ("suspended", "terminated"):
            horizon = weekday(signed_on + timedelta(days=int(room * r.uniform(0.75, 0.93))))
            if horizon > today:
                horizon -= timedelta(days=7)
        elif plan.status == "resumed":
            gap = r.randint(25, 45)
            a = weekday(signed_on + timedelta(days=int((room - gap) * r.uniform(0.35, 0.6))))
            self.window = (a, weekday(a + timedelta(days=gap)))
        chief = r.choice(people.agents)
        co = r.sample([a for a in people.agents if a != chief], r.randint(1, 3))
        want_leader = plan.leader if plan.leader is not None else (
            investment >= 1_000_000_000 or (investment >= 300_000_000 and r.random() < 0.5))
        leader = r.choice(people.leaders) if want_leader else None
        self.s = Script(plan.name, plan.investor, industry, investment, park, chief, co,
                        leader, signed_on, horizon, office=people.offices[0])
        self.gap = (self.window[1] - self.window[0]).days if self.window else 0
        # The last raw (unshifted) date events may have.
        self.end = horizon - timedelta(days=self.gap)

    def at(self, raw: date) -> date:
        """A raw date as played: moved past the suspension gap, and off weekends."""
        if self.window and raw > self.window[0]:
            raw += timedelta(days=self.gap)
        return weekday(raw)

    def days(self, start: date, n: float) -> date:
        return start + timedelta(days=int(round(n)))

    # -- build --

    def build(self) -> Script:
        self.milestones()
        self.team_changes()
        self.plans()
        self.reach()
        self.approvals()
        self.problems()
        self.progress()
        self.visits()
        self.instructions()
        self.ratings()
        self.status_end()
        return self.s

    def milestones(self) -> None:
        """Choose how many milestones are reached, and their raw dates."""
        r, s, codes, phase = self.rng, self.s.signed_on, self.codes, self.plan.phase
        in_phase = [i for i, c in enumerate(codes) if MILESTONES[c] == phase]
        if phase == "signing":
            k = r.randint(0, len(in_phase))
        elif self.plan.correct_milestone:
            k = len(codes)
        else:
            k = r.choice(in_phase) + 1
        available = (self.end - s).days - (12 if self.plan.correct_milestone else 4)
        weights = [_TYPICAL_DAYS[c] * r.uniform(0.6, 1.4) for c in codes]
        if self.plan.same_day_review and codes[0] == "park_review_passed":
            weights[0] = 0
        self.reached: dict[str, date] = {}
        if k:
            span = max(k * 2, int(available * r.uniform(0.6, 0.93)))
            span = min(span, available)
            scale = span / sum(weights[:k])
            cum, previous = 0.0, s
            for i in range(k):
                cum += weights[i]
                d = self.days(s, cum * scale)
                if d <= previous and not (i == 0 and weights[0] == 0):
                    d = previous + timedelta(days=1)
                self.reached[codes[i]] = d
                previous = d
        else:
            scale = 1.0
        self.k, self.scale = k, scale
        last = self.reached[codes[k - 1]] if k else s
        self.last = last
        # Projected dates of the milestones not reached: late enough to be after the end.
        self.projected: dict[str, date] = {}
        previous = max(last, self.end)
        for i in range(k, len(codes)):
            step = weights[i] * max(scale, 0.7)
            if i == k:
                step = max(step, 5) * r.uniform(0.2, 0.8)
            previous = self.days(previous, max(step, 1))
            self.projected[codes[i]] = previous

    def team_of(self, on: date) -> tuple[str, list[str], str | None]:
        team = (self.s.chief, self.s.co_agents, self.s.leader)
        for when, chief, co, leader in getattr(self, "changes", []):
            if when <= on:
                team = (chief, co, leader)
        return team

    def team_changes(self) -> None:
        self.changes: list[tuple[date, str, list[str], str | None]] = []
        if not self.plan.team_change:
            return
        r, s = self.rng, self.s
        agents, names = self.people.agents, self.people.names
        room = (self.end - s.signed_on).days
        if room < 40:
            return
        raw = self.days(s.signed_on, r.randint(20, room - 10))
        chief, co, leader = s.chief, list(s.co_agents), s.leader
        kind = r.choice(["chief", "add", "leader"] if leader is None else ["chief", "add"])
        office = r.choice(self.people.offices)
        if kind == "chief":
            new = r.choice([a for a in agents if a not in (chief, *co)])
            reason = (f"原首席代办员{names[chief]}工作调整，由{names[new]}接任首席代办员，"
                      f"{names[chief]}继续协助做好交接")
            co = [chief, *co][:3]
            chief = new
        elif kind == "add":
            new = r.choice([a for a in agents if a not in (chief, *co)])
            reason = f"项目推进任务加重，增派代办员{names[new]}协同服务"
            co = [*co, new]
        else:
            leader = r.choice(self.people.leaders)
            reason = f"项目列入县重点调度项目，明确{names[leader]}同志为分管县领导挂点联系"
        on = self.at(raw)
        self.changes.append((on, chief, co, leader))
        fields = {"chief_agent": chief, "co_agents": co, "reason": reason}
        if kind == "leader":
            fields["leader"] = leader
        s.add(on, "team_assigned", office, prio=1, **fields)

    def plans(self) -> None:
        """The plan made just after signing, some replans, and the next milestone's deadline."""
        r, s, codes = self.rng, self.s, self.codes
        planning_on = self.at(self.days(s.signed_on, r.randint(1, 4)))
        planned: dict[str, date] = {}
        for code in codes:
            reached = self.reached.get(code)
            if reached is not None:
                if self.at(reached) < planning_on:
                    continue
                target = reached + timedelta(days=r.randint(-12, 25))
            elif code == codes[self.k] and self.plan.overdue:
                target = self.today - timedelta(days=r.randint(5, 40))  # now overdue
            else:
                target = self.projected[code] + timedelta(days=r.randint(-5, 20))
            planned[code] = max(target, planning_on, s.signed_on)
        previous = None
        for code in codes:  # a plan reads in lifecycle order
            if code in planned:
                if previous and planned[code] < previous:
                    planned[code] = previous
                previous = planned[code]
        self.planned = planned
        for code, on in planned.items():
            s.add(planning_on, "milestone_planned", ("team", 0), milestone=code, planned_on=on)
        # A replan of a milestone later reached: it slipped, and was put back with a reason.
        candidates = [c for c in planned if c in self.reached
                      and (self.reached[c] - planning_on).days >= 10]
        if candidates and r.random() < 0.45:
            code = r.choice(candidates)
            reached = self.reached[code]
            replan_raw = reached - timedelta(days=r.randint(3, 9))
            new = reached + timedelta(days=r.randint(0, 6))
            if self.at(replan_raw) > planning_on and new != planned[code]:
                s.add(self.at(replan_raw), "milestone_planned", "chief", milestone=code,
                      planned_on=new, reason=r.choice([
                          "受连续降雨影响，工期顺延", "设计方案调整，节点相应调整",
                          "前置审批办理时间延长，重新排期", "企业加快建设进度，节点提前"]))
        # A resumed project replans its next milestone after the gap.
        if self.plan.status == "resumed" and self.k < len(codes):
            code = codes[self.k]
            new = self.today + timedelta(days=r.randint(20, 60))
            if new != planned[code]:
                s.add(self.window[1], "milestone_planned", "chief", prio=1, milestone=code,
                      planned_on=new, reason="项目停工期间节点顺延，复工后重新排期")

    def reach(self) -> None:
        r, s = self.rng, self.s
        for code, raw in self.reached.items():
            key = None
            on = self.at(raw)
            if self.plan.correct_milestone and code == "operating":
                key = "wrong-milestone"
                wrong = self.at(raw + timedelta(days=r.randint(3, 5)))
                if wrong == on:
                    wrong = self.at(on + timedelta(days=3))
                s.add(wrong, "milestone_reached", ("team", 0), key=key, milestone=code,
                      note=MILESTONE_NOTES[code])
                s.add(self.at(wrong + timedelta(days=r.randint(1, 3))), "corrected",
                      r.choice(self.people.offices), corrects_version=Ref(key), action="amend",
                      reason="达产日期录入有误，据企业达产报告更正",
                      changes={"occurred_on": on.isoformat()})
                continue
            if code == "park_review_passed":
                self.joint_review(on)
                continue
            s.add(on, "milestone_reached", ("team", 0), milestone=code,
                  note=MILESTONE_NOTES[code])
        if (self.s.park and "park_review_passed" not in self.reached
                and self.plan.status == "active"):
            self.joint_review(None)

    def joint_review(self, concluded_on: date | None) -> None:
        """The park-entry joint review: passed on the day it is reached, or, not reached yet,
        convened a few days before today with some departments' opinions still awaited.

        Drawn from a stream of its own, so the rest of the project's history stays as it was.
        """
        r = random.Random(f"review:{self.s.name}")
        s = self.s
        departments = sorted(r.sample(PARK_REVIEW_DEPARTMENTS, r.randint(8, 11)),
                              key=PARK_REVIEW_DEPARTMENTS.index)
        conditions = dict(c for c in r.sample(PARK_REVIEW_CONDITIONS, r.randint(0, 2))
                          if c[0] in departments)
        actors = [("team", n) for n in range(3)]
        if concluded_on is not None:
            # Each condition is the firm's. Most are due within a few months and met in time;
            # the rest hold while the firm operates (no due date: waited on, never late).
            due = {d: self.at(concluded_on + timedelta(days=r.choice([60, 90, 120])))
                   for d in conditions if r.random() < 0.7}
            numbers = s.joint_review(concluded_on, actors, departments, conditions={
                d: {"text": text, "due_on": due[d].isoformat() if d in due else None}
                for d, text in conditions.items()}, note=MILESTONE_NOTES["park_review_passed"])
            for department, number in numbers.items():
                if department in due:
                    s.condition_met(self.at(due[department] - timedelta(days=r.randint(0, 40))),
                                    ("team", 0), number, "企业已落实，经核查符合会审条件")
            return
        on = self.at(max(s.signed_on + timedelta(days=1),
                         self.end - timedelta(days=r.randint(2, 8))))
        if on > self.end:
            return
        pending = tuple(r.sample(departments, r.randint(1, 3)))
        s.joint_review(on, actors, departments, conditions=conditions, pending=pending,
                       concluded=False)

    def windows(self):
        """(milestone, raw start, raw end) windows in which its approval items are handled."""
        previous = self.s.signed_on
        dates = self.reached | self.projected
        for code in self.codes:
            yield code, previous, dates[code]
            previous = dates[code]

    def approvals(self) -> None:
        r, s = self.rng, self.s
        n = 0
        rejected = False
        for code, start, stop in self.windows():
            if start > self.end:
                break
            pool = list(APPROVALS.get(code, []))
            if code == "production_started" and s.industry in PRODUCTION_APPROVALS:
                pool.append(PRODUCTION_APPROVALS[s.industry])
            if not pool:
                continue
            if code == "construction_permitted":
                items = pool[:1] + r.sample(pool[1:-1], r.randint(2, 5)) + pool[-1:]
                if self.plan.reject and code in self.reached:
                    if not any(i in REJECT_REASONS for i, _ in items):
                        items.insert(1, pool[1])
                    rejected_item = next(i for i, _ in items if i in REJECT_REASONS)
            elif len(pool) > 1:
                items = r.sample(pool, r.randint(1, len(pool)))
            else:
                items = pool if r.random() < 0.85 or code == "project_filed" else []
            length = max((stop - start).days, 1)
            for item, department in items:
                n += 1
                approval_id = f"AP-{n:02d}"
                applied = self.days(start, length * r.uniform(0.0, 0.5))
                granted = self.days(applied, min(length * r.uniform(0.1, 0.5), 30))
                granted = min(max(granted, applied), stop)
                if (self.plan.reject and not rejected and code == "construction_permitted"
                        and code in self.reached and item == rejected_item):
                    rejected = True
                    rejected_on = self.days(start, length * 0.3)
                    s.add(self.at(start), "approval_applied", ("team", 1),
                          approval_id=approval_id, item=item, department=department,
                          note="代办员代为申报")
                    s.add(self.at(rejected_on), "approval_rejected", ("team", 1),
                          approval_id=approval_id, reason=REJECT_REASONS[item])
                    n += 1
                    approval_id = f"AP-{n:02d}"
                    applied = self.days(start, length * 0.5)
                    granted = self.days(start, length * 0.8)
                    note = "整改后重新申报"
                else:
                    note = r.choice([None, "代办员代为申报", "周二并联审批集中受理", "容缺受理"])
                s.add(self.at(applied), "approval_applied", ("team", 1), approval_id=approval_id,
                      item=item, department=department, note=note)
                if code in MISSING_DOCUMENTS and r.random() < 0.25:  # 容缺审批 + 承诺制
                    due = granted + timedelta(days=r.randint(15, 45))
                    s.add(self.at(granted), "approval_granted", ("team", 1),
                          approval_id=approval_id,
                          missing_documents=r.choice(MISSING_DOCUMENTS[code]),
                          commitment_due_on=self.at(due), note="容缺审批，企业书面承诺限期补齐")
                    if r.random() < 0.8:
                        s.add(self.at(granted + timedelta(days=r.randint(5, 55))),
                              "commitment_fulfilled", ("team", 2), approval_id=approval_id,
                              note="企业已按承诺补齐材料")
                else:
                    s.add(self.at(granted), "approval_granted", ("team", 1),
                          approval_id=approval_id)

    def phase_on(self, raw: date) -> str:
        phase = "signing"
        for code, d in self.reached.items():
            if d <= raw:
                phase = MILESTONES[code]
        return phase

    def problems(self) -> None:
        r, s = self.rng, self.s
        room = (self.end - s.signed_on).days
        if room < 6:
            return
        count = r.randint(*self.density.problems) + (1 if s.investment >= 1_000_000_000 else 0)
        raised_days = sorted(r.randint(3, room - 1) for _ in range(count))
        reopen = self.plan.reopen  # the first problem with a plan comes back once
        for n, day in enumerate(raised_days, 1):
            problem_id = f"PB-{n:02d}"
            raised = self.days(s.signed_on, day)
            if r.random() < 0.22:
                title, description, unit = r.choice(SAME_DAY_PROBLEMS)
                on = self.at(raised)
                s.add(on, "problem_raised", ("team", n), problem_id=problem_id, title=title,
                      description=description, same_day=True, responsible_unit=unit)
                s.add(on, "problem_resolved", ("team", n), problem_id=problem_id,
                      resolution="当天协调办结，不过夜")
                continue
            title, description, unit = r.choice(PROBLEMS[self.phase_on(raised)])
            s.add(self.at(raised), "problem_raised", ("team", n), problem_id=problem_id,
                  title=title, description=description, responsible_unit=unit)
            planned = raised + timedelta(days=r.randint(0, 2))
            due = planned + timedelta(days=r.randint(7, 40))
            s.add(self.at(planned), "problem_plan_proposed", "chief", problem_id=problem_id,
                  plan=r.choice(PLANS), due_on=self.at(due))
            cursor = planned
            if r.random() < 0.35:
                cursor = planned + timedelta(days=r.randint(1, 6))
                if r.random() < 0.45:
                    leader = s.leader or r.choice(self.people.leaders)
                    s.add(self.at(cursor), "problem_escalated", "chief", problem_id=problem_id,
                          escalated_to="leader", leader=leader,
                          note="问题涉及多个部门，提请县领导领题破解")
                    s.add(self.at(cursor + timedelta(days=r.randint(0, 3))), "instruction_given",
                          leader, problem_id=problem_id,
                          instruction=r.choice(PROBLEM_INSTRUCTIONS))
                else:
                    s.add(self.at(cursor), "problem_escalated", "chief", problem_id=problem_id,
                          escalated_to="office", note="提请代办服务中心协调督办")
            resolved = due + timedelta(days=r.randint(-5, 15))
            follow = cursor + timedelta(days=r.randint(5, 10))
            followups = 0
            while follow < resolved and followups < 4:
                s.add(self.at(follow), "problem_followed_up", ("team", n + followups),
                      problem_id=problem_id, note=r.choice(FOLLOW_UPS))
                followups += 1
                follow += timedelta(days=r.randint(5, 10))
            resolved = max(resolved, cursor)
            s.add(self.at(resolved), "problem_resolved", ("team", n), problem_id=problem_id,
                  resolution=r.choice(RESOLUTIONS))
            if reopen:
                reopen = False
                reopened = resolved + timedelta(days=r.randint(3, 12))
                s.add(self.at(reopened), "problem_reopened", ("team", n), problem_id=problem_id,
                      reason="问题出现反复，企业再次反映")
                s.add(self.at(reopened + timedelta(days=r.randint(4, 8))), "problem_followed_up",
                      "chief", problem_id=problem_id, note="责任单位再次上门处理")
                s.add(self.at(reopened + timedelta(days=r.randint(9, 20))), "problem_resolved",
                      "chief", problem_id=problem_id, resolution="彻底整改到位，企业确认")

    def spent(self, raw: date) -> float:
        """The share of the investment spent by a raw date."""
        knots = [(self.s.signed_on, 0.0)] + [
            (d, _SPENT[c]) for c, d in self.reached.items() if c in _SPENT]
        upcoming = [(d, _SPENT[c]) for c, d in self.projected.items() if c in _SPENT]
        for (d0, f0), (d1, f1) in zip(knots, knots[1:]):
            if d0 <= raw <= d1:
                return f0 + (f1 - f0) * (raw - d0).days / max((d1 - d0).days, 1)
        d0, f0 = knots[-1]
        if not upcoming or raw < d0:
            return f0
        d1, f1 = upcoming[0]
        return f0 + (f1 - f0) * min(0.9, (raw - d0).days / max((d1 - d0).days, 1))

    def progress(self) -> None:
        r, s = self.rng, self.s
        month = date(s.signed_on.year, s.signed_on.month, 25) + timedelta(days=31)
        month = month.replace(day=25)
        reported = 0
        while month <= self.end:
            value = money(s.investment * self.spent(month) * 0.98)
            if value > reported:
                s.add(self.at(month), "progress_reported", ("team", 0),
                      investment_completed=value, note=r.choice(
                          [None, "按月报送", "据企业财务报表核实", "含设备购置款"]))
                reported = value
            month = (month + timedelta(days=31)).replace(day=25)

    def visits(self) -> None:
        r, s = self.rng, self.s
        raw = self.days(s.signed_on, r.randint(5, 20))
        n = 0
        corrected = False
        while raw <= self.end:
            n += 1
            phase = self.phase_on(raw)
            fields = {"purpose": r.choice(VISIT_PURPOSES[phase]),
                      "met_with": r.choice(MET_WITH)}
            wrong = self.at(raw + timedelta(days=r.randint(2, 6)))
            correction_on = self.at(wrong + timedelta(days=r.randint(1, 6)))
            if (self.plan.correct_visit and not corrected and n >= 3
                    and wrong > self.at(raw) and correction_on <= self.end):
                corrected = True
                s.add(wrong, "visit_logged", ("team", n), key="wrong-visit", **fields)
                s.add(correction_on, "corrected", r.choice(self.people.offices),
                      corrects_version=Ref("wrong-visit"), action="amend",
                      reason="走访日期录入有误，据走访记录表更正",
                      changes={"occurred_on": self.at(raw).isoformat()})
            else:
                s.add(self.at(raw), "visit_logged", ("team", n), **fields)
            raw += timedelta(days=r.randint(*self.density.visit_days))

    def instructions(self) -> None:
        r, s = self.rng, self.s
        room = (self.end - s.signed_on).days
        if room < 10:
            return
        for _ in range(r.randint(1, 2)):
            # Instructions come out of the Monday dispatch (一周一调度).
            raw = max(monday(self.days(s.signed_on, r.randint(7, room))), s.signed_on)
            leader = self.team_of(self.at(raw))[2] or (
                self.people.leaders[-1] if s.investment >= 300_000_000 else None)
            if leader:
                s.add(self.at(raw), "instruction_given", leader,
                      instruction=r.choice(INSTRUCTIONS))

    def ratings(self) -> None:
        r, s = self.rng, self.s
        raw = self.days(s.signed_on, r.randint(60, 100))
        while raw <= self.end:
            rating = r.choices([5, 4, 3], weights=[6, 3, 1])[0]
            s.add(self.at(raw), "service_rated", r.choice(self.people.offices), rating=rating,
                  agent=CHIEF, comment=r.choice(RATING_COMMENTS[rating]))
            raw += timedelta(days=r.randint(80, 110))

    def status_end(self) -> None:
        s, r = self.s, self.rng
        if self.plan.status == "suspended":
            s.add(s.horizon, "suspended", "chief", prio=9, reason=r.choice(SUSPEND_REASONS))
        elif self.plan.status == "terminated":
            s.add(s.horizon, "terminated", "chief", prio=9, reason=r.choice(TERMINATE_REASONS))
        elif self.plan.status == "resumed":
            a, b = self.window
            s.add(a, "suspended", "chief", prio=9, reason=SUSPEND_REASONS[0])
            s.add(b, "resumed", "chief", prio=0, note="融资到位，项目复工")

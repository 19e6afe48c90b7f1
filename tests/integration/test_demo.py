"""The demo county loads into a real store, deterministically, and expresses the seed's figures."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

import pytest

from app.demo import DEMO_PASSWORD, demo_accounts, load_demo
from app.demo.catalogue import PARK_REVIEW_DEPARTMENTS
from app.demo import stories
from domain.calendar import PACKAGE_CALENDAR
from domain.dispatch_measures import approval_time_rows
from domain.history import History
from domain.application import Banban
from domain.fields import is_username
from domain.lifecycle import PHASES, STATUSES

TODAY = date(2026, 11, 25)


def _service(path) -> Banban:
    return Banban(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                       "SQLITE_DBNAME": str(path / "demo.db")},
                  clock=lambda: TODAY)


def _load(path, seed: int = 2026):
    service = _service(path)
    started = time.perf_counter()
    summary = load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p, seed=seed)
    return service, summary, time.perf_counter() - started


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One demo county on a fresh SQLite file, shared by the read-only tests below."""
    service, summary, seconds = _load(tmp_path_factory.mktemp("demo"))
    projects = [service.project(p["id"]) for p in service.list_projects()]
    histories = {p["id"]: service.history(p["id"]) for p in projects}
    yield {"service": service, "summary": summary, "seconds": seconds,
           "projects": projects, "histories": histories}
    service.close()


def _named(demo, part: str) -> dict:
    [project] = [p for p in demo["projects"] if part in p["name"]]
    return project


def _reached(project: dict, milestone: str) -> date | None:
    return next(m["reached_on"] for m in project["milestones"] if m["milestone"] == milestone)


def test_the_demo_loads_about_sixty_projects_quickly(demo):
    summary = demo["summary"]
    assert 55 <= summary["projects"] <= 65
    assert len(demo["projects"]) == summary["projects"]
    assert summary["events"] == sum(len(h) for h in demo["histories"].values())
    assert summary["users"] == len(demo_accounts())
    assert demo["seconds"] < 60


def test_the_accounts_are_registered_with_the_demo_password(demo):
    service = demo["service"]
    accounts = demo_accounts()
    roles = Counter(a["role"] for a in accounts)
    assert 1 <= roles["office"] <= 2 and roles["leader"] == 3 and roles["auditor"] == 1
    assert 10 <= roles["agent"] <= 14
    assert {"office", "auditor", "zhangwei"} <= {a["username"] for a in accounts}
    for account in accounts:
        assert is_username(account["username"])
        user = service.user(account["username"])
        assert (user["role"], user["display_name"]) == (account["role"], account["display_name"])
        assert service.password_hash(account["username"]) == "hash:" + DEMO_PASSWORD


def test_every_phase_and_every_status_is_present(demo):
    assert {p["phase"] for p in demo["projects"]} == set(PHASES)
    statuses = Counter(p["status"] for p in demo["projects"])
    assert set(statuses) == set(STATUSES)
    assert 1 <= statuses["terminated"] <= 2


def test_investments_are_whole_yuan_from_fifty_million_to_ten_billion(demo):
    investments = [p["investment"] for p in demo["projects"]]
    assert all(isinstance(i, int) for i in investments)
    assert min(investments) >= 50_000_000 and max(investments) == 10_000_000_000


def test_the_luli_project_follows_the_seed_timeline(demo):
    luli = _named(demo, "鲁丽")
    assert luli["investor"] == "鲁丽集团" and luli["investment"] == 10_000_000_000
    signed = luli["signed_on"]
    assert (_reached(luli, "construction_started") - signed).days <= 215  # 7 months
    assert (_reached(luli, "land_approved") - signed).days < 60
    problems = {p["title"]: p for p in luli["problems"]}
    clearance = next(p for t, p in problems.items() if "51户54栋" in t)
    assert (clearance["resolved_on"] - clearance["raised_on"]).days <= 10
    power = next(p for t, p in problems.items() if "190基杆塔" in t)
    assert (power["resolved_on"] - power["raised_on"]).days < 40
    assert power["escalated_to"] == "leader"


def test_the_peimei_project_has_thirteen_departments_approvals_in_five_days(demo):
    peimei = _named(demo, "佩玫")
    approvals = peimei["approvals"]
    assert len(approvals) == 13
    assert len({a["department"] for a in approvals}) == 13
    assert {a["status"] for a in approvals} == {"granted"}
    first = min(a["applied_on"] for a in approvals)
    last = max(a["decided_on"] for a in approvals)
    assert first.weekday() == 1  # the Tuesday parallel approval
    calendar = demo["service"].calendar()
    assert all(calendar.is_working_day(a["decided_on"]) for a in approvals)
    # Measured as the dispatch report measures it: 5 working days (仅5天), to the permit.
    [row] = approval_time_rows(History(demo["service"].visible(peimei["id"], "auditor")),
                               first, TODAY, calendar)
    assert (row["working_days"], row["items"], row["last_granted_on"]) == (5, 13, last)
    assert row["permitted_on"] == last
    started = _reached(peimei, "construction_started")
    assert calendar.is_working_day(started) and calendar.working_days_between(last, started) == 1


def test_peimeis_grants_fall_on_working_days_whatever_today_is():
    for today in (TODAY + timedelta(days=n) for n in range(366)):  # over every holiday
        script = stories.peimei(today)
        [tuesday] = {s.on for s in script.steps if s.event_type == "approval_applied"}
        granted = sorted(s.on for s in script.steps if s.event_type == "approval_granted")
        assert tuesday.weekday() == 1 and PACKAGE_CALENDAR.is_working_day(tuesday), today
        assert all(PACKAGE_CALENDAR.is_working_day(on) for on in granted), today
        assert PACKAGE_CALENDAR.working_days_between(tuesday, granted[-1]) == 5, today


@pytest.mark.parametrize("part", ["鲁丽", "佩玫"])
def test_the_seed_projects_pass_their_joint_park_entry_review_in_one_sitting(demo, part):
    project = _named(demo, part)
    [review] = project["park_reviews"]
    assert len(review["departments"]) == 11  # 分管县领导召集11个相关部门
    assert {o["department"] for o in review["opinions"]} == set(review["departments"])
    assert {o["given_on"] for o in review["opinions"]} == {review["convened_on"]}
    assert review["passed"] and review["concluded_on"] == review["convened_on"]
    carried = [{k: c[k] for k in ("text", "party", "department", "due_on")}
               for c in review["conditions"]]
    assert carried == [c for o in review["opinions"] for c in o["conditions"]]
    assert review["conditions"] and all(c["due_on"] for c in review["conditions"])
    assert _reached(project, "park_review_passed") == review["concluded_on"]


def test_the_seed_projects_conditions_are_met_or_waited_on(demo):
    luli, peimei = _named(demo, "鲁丽"), _named(demo, "佩玫")
    luli_conditions = luli["park_reviews"][0]["conditions"]
    assert {c["party"] for c in luli_conditions} == {"department", "investor"}
    assert all(c["met_on"] for c in luli_conditions)
    [open_one] = peimei["park_reviews"][0]["conditions"]
    assert open_one["met_on"] is None
    assert [w["item"]["id"] for w in peimei["waiting_on"] if w["item"]["kind"] == "condition"
            ] == ["PR-01#1"]


def test_an_open_joint_review_waits_on_the_departments_yet_to_give_their_opinion(demo):
    open_reviews = [(p, r) for p in demo["projects"] for r in p["park_reviews"]
                    if r["concluded_on"] is None]
    assert open_reviews
    for project, review in open_reviews:
        missing = set(review["departments"]) - {o["department"] for o in review["opinions"]}
        waited = {w["name"] for w in project["waiting_on"]
                  if w["party"] == "department" and w["item"]["kind"] == "park_review"}
        assert missing and waited == missing
    concluded = [r for p in demo["projects"] for r in p["park_reviews"] if r["concluded_on"]]
    assert all(r["passed"] for r in concluded)
    assert all(p["park_reviews"] for p in demo["projects"]
               if _reached(p, "park_review_passed") is not None)


def test_the_units_catalogue_holds_every_department_a_review_invites(demo):
    units = set(demo["service"].catalogues()["units"])
    invited = {d for p in demo["projects"] for r in p["park_reviews"] for d in r["departments"]}
    assert invited and invited <= units
    assert set(PARK_REVIEW_DEPARTMENTS) <= units


def test_commitments_problems_teams_and_corrections_cover_their_cases(demo):
    approvals = [a for p in demo["projects"] for a in p["approvals"]]
    commitments = [a["commitment"] for a in approvals if a["commitment"]]
    assert any(c["fulfilled_on"] is None for c in commitments)
    assert any(c["fulfilled_on"] is not None for c in commitments)
    assert 1 <= sum(a["status"] == "rejected" for a in approvals) <= 3
    assert any(a["status"] == "applied" for a in approvals)

    problems = [pb for p in demo["projects"] for pb in p["problems"]]
    assert any(pb["status"] == "open" for pb in problems)
    assert any(pb["status"] == "resolved" for pb in problems)
    same_day = [pb for pb in problems if pb["same_day"]]
    assert same_day and all(pb["resolved_on"] == pb["raised_on"] for pb in same_day)
    assert {pb["escalated_to"] for pb in problems} >= {"office", "leader"}

    assert sum(len(p["team_history"]) > 1 for p in demo["projects"]) >= 5
    assert all(1 <= len(p["team_history"][0]["co_agents"]) <= 3 for p in demo["projects"])
    assert any(p["plan_history"][-1]["reason"] for p in demo["projects"] if p["plan_history"])
    assert any(p["next_milestone"] and p["next_milestone"]["planned_on"] < TODAY
               and p["status"] == "active" for p in demo["projects"])

    events = [e for h in demo["histories"].values() for e in h]
    corrections = [e for e in events if e["type"] == "corrected"]
    assert 1 <= len(corrections) <= 2
    assert all(e["data"]["action"] == "amend" and "occurred_on" in e["data"]["changes"]
               for e in corrections)
    for kind in ("progress_reported", "visit_logged", "instruction_given", "service_rated"):
        assert any(e["type"] == kind for e in events), kind


def test_actors_have_the_roles_their_events_need(demo):
    roles = {a["username"]: a["role"] for a in demo_accounts()}
    for history in demo["histories"].values():
        for event in history:
            role = roles[event["actor"]]
            if event["type"] in ("signed", "team_assigned", "service_rated", "corrected"):
                assert role == "office"
            elif event["type"] == "instruction_given":
                assert role == "leader"
            else:
                assert role == "agent"


def test_no_business_date_is_after_today_or_more_than_a_year_before(demo):
    earliest = TODAY - timedelta(days=365)
    for history in demo["histories"].values():
        for event in history:
            assert earliest <= event["occurred_on"] <= TODAY
            moved = event["data"].get("changes", {}).get("occurred_on")
            if event["type"] == "corrected" and moved is not None:
                assert earliest <= moved <= TODAY


def test_each_project_history_is_in_business_date_order(demo):
    for history in demo["histories"].values():
        dates = [e["occurred_on"] for e in history]
        assert dates == sorted(dates)


def _comparable(summary: dict) -> dict:
    """A project summary without what differs between two stores: ids and recorded times."""
    result = {k: v for k, v in summary.items() if k not in ("id", "recorded_at")}
    result["last_event"] = {k: v for k, v in summary["last_event"].items() if k != "recorded_at"}
    return result


def test_the_same_seed_gives_the_same_projects_in_two_stores(demo, tmp_path):
    other, _, _ = _load(tmp_path)
    try:
        again = [_comparable(p) for p in other.list_projects()]
    finally:
        other.close()
    assert again == [_comparable(p) for p in demo["service"].list_projects()]

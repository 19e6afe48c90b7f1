"""The county as a whole: which generic project meets which fate, and loading it all."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from app.demo.accounts import ACCOUNTS, DEMO_PASSWORD
from app.demo.catalogue import PARK_REVIEW_DEPARTMENTS, PARKS, PROJECTS
from app.demo.generic import Generic, Plan
from app.demo.script import play
from app.demo.stories import luli, peimei
from domain.application import Banban


def _plans(rng: random.Random) -> list[Plan]:
    entries = list(PROJECTS)
    phases = (["operation"] * 14 + ["construction"] * 20 + ["land"] * 14 + ["signing"] * 10)
    rng.shuffle(phases)
    plans = [Plan(i, name, investor, industry, phase)
             for i, ((name, investor, industry), phase) in enumerate(zip(entries, phases))]
    # The seed's other two projects: 海能科创园 (5 billion) and 融贤科技 (reviewed in 10 minutes).
    plans[0].phase, plans[0].investment, plans[0].leader = "construction", 5_000_000_000, True
    plans[1].phase, plans[1].same_day_review = "operation", True
    plans[1].investment = 800_000_000
    free = [p for p in plans[2:]]

    def take(where, n: int) -> list[Plan]:
        chosen = rng.sample([p for p in free if where(p)], n)
        for p in chosen:
            free.remove(p)
        return chosen

    for p in take(lambda p: p.phase in ("land", "construction"), 3):
        p.status = "suspended"
    for p in take(lambda p: p.phase == "construction", 1):
        p.status = "resumed"
    for p in take(lambda p: p.phase == "signing", 1) + take(lambda p: p.phase == "land", 1):
        p.status = "terminated"
    for p in take(lambda p: p.phase in ("construction", "operation"), 2):
        p.reject = True
    for p in take(lambda p: p.phase == "operation", 1):
        p.correct_milestone = True
    for p in take(lambda p: p.phase in ("construction", "operation"), 1):
        p.correct_visit = True
    active = [p for p in plans if p.status == "active"]
    for p in rng.sample(active, 12):
        p.team_change = True
    for p in rng.sample([p for p in active if p.phase != "operation"], 10):
        p.overdue = True
    for p in rng.sample(plans, 3):
        p.reopen = True
    return plans


# The seed's county: 安福县, in 吉安市, 江西省.
DEMO_COUNTY = ("360829", "安福县", "吉安市")


def load_demo(service: Banban, *, today: date, hash_password: Callable[[str], str],
              seed: int = 2026) -> dict[str, int]:
    """Register the demo accounts and play the demo county's year into the service.

    `today` bounds every business date (the service's own clock too, if it is earlier).
    Expects a store without these accounts. Returns {"projects", "events", "users"} counts.
    """
    today = min(today, service.clock())
    rng = random.Random(seed)
    if not service.counties():
        service.add_county(*DEMO_COUNTY, actor="demo")
    password_hash = hash_password(DEMO_PASSWORD)
    for username, role, display_name in ACCOUNTS:
        service.register_user(username, role, actor="demo", display_name=display_name,
                              password_hash=password_hash)
    scripts = [luli(today), peimei(today)]
    for plan in _plans(rng):
        scripts.append(Generic(plan, random.Random(rng.getrandbits(64)), today).build())
    scripts.sort(key=lambda s: s.signed_on)  # stable: equal dates keep their order
    events = play(service, scripts)
    _load_catalogues(service)
    return {"projects": len(scripts), "events": events, "users": len(ACCOUNTS)}


def _load_catalogues(service: Banban) -> None:
    """The county's catalogues as the office would keep them: every industry, park and
    responsible unit (of a problem or an approval) and department a park review invites that
    its projects name (after the year is played, so none of them is refused), and every
    department a review may invite (so a review convened later is not refused either)."""
    found: dict[str, dict[str, None]] = {"industries": {}, "parks": dict.fromkeys(PARKS),
                                          "units": dict.fromkeys(PARK_REVIEW_DEPARTMENTS)}
    for project_id in service.project_ids():
        project = service.project(project_id)
        found["industries"][project["industry"]] = None
        if project["park"]:
            found["parks"][project["park"]] = None
        for problem in project["problems"]:
            if problem["responsible_unit"]:
                found["units"][problem["responsible_unit"]] = None
        for approval in project["approvals"]:
            found["units"][approval["department"]] = None
        for review in project["park_reviews"]:
            found["units"].update(dict.fromkeys(review["departments"]))
    office = next(username for username, role, _ in ACCOUNTS if role == "office")
    for kind, values in found.items():
        for value in values:
            service.add_to_catalogue(office, kind, value)

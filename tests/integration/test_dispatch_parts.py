"""Reports assembled from kept parts (domain.dispatch_parts, projections.dispatch_parts) equal
the reference computed from every history, byte for byte, on each store: for random histories
on every day of them (before and after more is recorded), and for every period of the demo
county. Kept parts are made again exactly when their project, the day judged on or the calendar
changes; parts nothing can ask for again are pruned."""

from __future__ import annotations

import json
import threading
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from uuid import uuid4

import pytest
from hypothesis import given

from app.demo import load_demo
from domain import dispatching
from domain.application import Banban
from domain.canonical import to_json
from domain.dispatch_parts import decode, encode, making_for
from domain.errors import DomainError, ReportInPreparation
from domain.periods import CADENCES, Period
from projections.cards import ProjectCards, open_cards_view
from projections.directory import Directory
from projections.dispatch_parts import open_parts_store
from projections.runner import catch_up
from tests.conftest import TODAY, require_store
from tests.integration.test_rules_property import DAYS
from tests.integration.test_views_property import (
    BACKENDS,
    HISTORY,
    HOME,
    SECOND,
    examples,
    fresh_service,
    fresh_store,
    record_history,
    spread_over_two_counties,
)


@contextmanager
def keeping(service):
    """The service with a directory (the cards) and a parts store, as the app sets them."""
    live = ProjectCards(open_cards_view(service), service)
    kept = open_parts_store(service)

    def caught_up():
        catch_up(service, live)
        return live

    service.directory, service.kept_parts, service.REUSED = (Directory(service, caught_up),
                                                             kept, 0)
    try:
        yield live, kept
    finally:
        service.directory = service.kept_parts = None
        kept.close()
        live.view.close()


def both(service, cadence, period_id, what: str = "dispatch", *args, **kwargs):
    """(the report, or with what="dispatch_trend" the trend, assembled from kept parts; the
    reference from every history) as text."""
    def asked() -> str:
        return to_json(getattr(service, what)(cadence, period_id, *args, **kwargs))

    assembled = asked()
    kept, directory = service.kept_parts, service.directory
    service.kept_parts = service.directory = None
    try:
        return assembled, asked()
    finally:
        service.kept_parts, service.directory = kept, directory


@BACKENDS
def test_reports_from_kept_parts_equal_the_reference_on_every_day(backend, monkeypatch):
    require_store(backend)
    made = Counter()
    for half in ("day_part", "period_part"):  # a report's part is made in two halves
        def counted(history, *args, real=getattr(dispatching, half), **kwargs):
            made[history.project.id] += 1
            return real(history, *args, **kwargs)

        monkeypatch.setattr(dispatching, half, counted)
    checked = Counter()

    def compare(service, day: date, cadence: str) -> None:
        """The report judged on day from kept parts is the reference; asked again, it is
        assembled from what was kept, nothing made."""
        service.clock = lambda: day
        period_id = Period.containing(cadence, day).id
        assembled, reference = both(service, cadence, period_id)
        assert assembled == reference, (cadence, period_id, day)
        made.clear()
        assert to_json(service.dispatch(cadence, period_id)) == assembled and not made
        checked["reports"] += 1
        trend, reference = both(service, cadence, period_id, "dispatch_trend", 3)
        assert trend == reference, (cadence, period_id, day)

    @examples(12)
    @given(HISTORY)
    def check(history):
        projects, commands = history
        with fresh_service(backend) as service, keeping(service) as (live, _):
            ids = record_history(service, live, projects, commands, Counter())
            days = [(day, CADENCES[n % len(CADENCES)]) for n, day in enumerate(DAYS[::3])]
            for day, cadence in days:
                compare(service, day, cadence)
            # Every period of every cadence the days cover, judged after it ended.
            every_period(service, DAYS[-1], checked)
            # More is recorded: the next report makes that project's part again, only it.
            last, cadence = days[-1]
            service.clock = lambda: last
            changed = more_recorded(service, ids, last)
            if changed is not None:
                made.clear()
                assembled, reference = both(service, cadence, Period.containing(cadence, last).id)
                assert assembled == reference and set(made) == {changed}
                checked["made again"] += 1
                for day, cadence in days:
                    compare(service, day, cadence)
            # Recorded after the fact, dated mid-way: the parts of the periods ending before
            # it stand (renewed), the others are made again; every period equals the
            # reference.
            service.clock = lambda: last
            if more_recorded(service, ids, DAYS[len(DAYS) // 2]) is not None:
                every_period(service, DAYS[-1], checked, "after the fact")
            # With counties listed (the projects are the first's, the home county's), the
            # province summary of every period.
            service.add_county("360829", "安福县", "吉安市", actor="test")
            service.add_county("360824", "新干县", "吉安市", actor="test")
            every_period(service, DAYS[-1], checked, "summaries")
            checked["examples"] += 1
            service.clock = lambda: TODAY

    check()
    assert checked["reports"] > 100 and checked["made again"] > 3, checked
    # Each example: every period of every cadence over four months (over 25), then each
    # one's summary.
    assert checked["summaries"] == checked["periods"] >= 25 * checked["examples"] > 0, checked


@BACKENDS
def test_two_counties_reports_and_summary_from_kept_parts_equal_the_reference(backend):
    """Projects spread over two counties, each signed and served by its county's users: each
    county's report and the province summary of every period of every cadence, judged on days
    through the histories, assembled from kept parts equal the reference."""
    require_store(backend)
    checked = Counter()

    @examples(5)
    @given(HISTORY)
    def check(history):
        projects, commands = history
        with fresh_service(backend) as service, keeping(service) as (live, _):
            spread_over_two_counties(service)
            record_history(service, live, projects, commands, checked, spread=True)
            for today in (*DAYS[40::40], DAYS[-1]):
                for county in (HOME, SECOND, None):
                    every_period(service, today, checked, county or "summaries", county=county)
            checked["examples"] += 1
            service.clock = lambda: TODAY

    check()
    assert checked[f"signed in {SECOND}"] > 0 and checked["signed in the home county"] > 0
    assert checked["summaries"] == checked[HOME] == checked[SECOND] \
        >= 25 * checked["examples"] > 0, checked


def every_period(service, today: date, checked: Counter, counted: str = "periods",
                 county: str | None = None) -> None:
    """Every period of every cadence from DAYS' first to today, judged on today: assembled
    from kept parts, the reference (of the county given, else as the service reports)."""
    service.clock = lambda: today
    asked = {} if county is None else {"county": county}
    for cadence in CADENCES:
        period = Period.containing(cadence, DAYS[0])
        while period.start <= today:
            assembled, reference = both(service, cadence, period.id, **asked)
            assert assembled == reference, (cadence, period.id)
            if counted == "summaries":
                assert '"counties"' in assembled
            checked[counted] += 1
            period = period.next()


def more_recorded(service, ids, day: date):
    """A problem raised on day on the first project that takes one (a terminated one takes
    nothing); its id, or None."""
    for project_id in ids:
        try:
            service.record(project_id, "office", "problem_raised",
                           expected_version=service.project(project_id)["version"],
                           occurred_on=day, fields={"title": "后补的问题"})
        except DomainError:
            continue
        return project_id
    return None


@BACKENDS
def test_every_demo_period_from_kept_parts_equals_the_reference(backend):
    require_store(backend)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            demo(service)
        finally:
            service.close()


def demo(service) -> None:
    """The demo county, every period of every cadence compared, then a province summary."""
    load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
    first = min(date.fromisoformat(str(p["signed_on"])) for p in service.list_projects())
    compared = 0
    with keeping(service):
        for cadence in CADENCES:
            period = Period.containing(cadence, first)
            while period.start <= TODAY:
                assembled, reference = both(service, cadence, period.id)
                assert assembled == reference, (cadence, period.id)
                compared += 1
                period = period.next()
            trend, reference = both(service, cadence, period.previous().id, "dispatch_trend", 6)
            assert trend == reference, cadence
        # The province summary too, from the same parts.
        service.add_county("360824", "新干县", "吉安市", actor="test")
        assembled, reference = both(service, "weekly", Period.containing("weekly", TODAY).id)
        assert assembled == reference and '"counties"' in assembled
    assert compared > 90


def test_a_part_reads_back_as_it_was_made():
    part = {"on": date(2026, 10, 1), "at": datetime(2026, 10, 1, 9, 30, tzinfo=timezone.utc),
            "id": uuid4(), "rows": [{"reasons": ("a", 1)}], "name": '{"$date": "2026-01-01"}',
            "nested": {"$date": "not a tag: two keys", "x": 1}, "none": None, "rate": 0.3333}
    back = decode(encode(part))
    assert back == part | {"rows": [{"reasons": ["a", 1]}]}
    assert type(back["at"]) is datetime and type(back["on"]) is date
    with pytest.raises(TypeError):
        encode({"what": object()})


@BACKENDS
def test_parts_are_made_again_for_a_new_calendar_and_pruned_when_nothing_can_ask(backend,
                                                                                   monkeypatch):
    require_store(backend)
    with fresh_service(backend) as service, keeping(service) as (live, kept):
        project = service.sign_project("office", name="日历项目", investor="某公司",
                                       industry="新材料", investment=1_000,
                                       signed_on=date(2026, 9, 1), chief_agent="zhang")
        service.record(project["id"], "office", "milestone_planned", expected_version=1,
                       occurred_on=date(2026, 9, 1),
                       fields={"milestone": "land_approved", "planned_on": "2026-10-08"})
        monday, tuesday = date(2026, 10, 12), date(2026, 10, 13)
        service.clock = lambda: monday
        week = Period.containing("weekly", monday).id
        last_week = Period.containing("weekly", monday - timedelta(days=7)).id
        for period_id in (week, last_week):
            assembled, reference = both(service, "weekly", period_id)
            assert assembled == reference
        # This week judged on Monday, and last week and the week before (each report compares
        # with its previous period's) judged on their last days: each period's half of its
        # parts and the half of the day it is judged on.
        assert kept.count() == 6
        # A new calendar (the office loads 2026 with 10-12 a day off): made again, and right.
        lines = ["date,kind"] + [f"{day},holiday" for day in ("2026-10-12",)]
        service.load_calendar(("\n".join(lines) + "\n").encode(), file="2026.csv",
                              actor="office")
        assembled, reference = both(service, "weekly", week)
        assert assembled == reference and kept.count() == 10  # this week's and last, anew
        # The next day: the running week's parts judged on Monday can never be asked for again
        # (nor Monday's half: no period ends on a Monday), last week's can (it is judged on
        # its last day, whenever it is read).
        service.clock = lambda: tuesday
        assembled, reference = both(service, "weekly", week)
        assert assembled == reference
        assert kept.count() == 8  # Monday's four (two calendars) gone, Tuesday's two added
        assert both(service, "weekly", last_week)[0] == both(service, "weekly", last_week)[1]


@BACKENDS
def test_parts_are_made_again_for_another_parallel_approval_weekday(backend):
    """The county's parallel-approval day counts in the parts as in the reference: another
    weekday makes the parts again, under their own key, and both count by it."""
    require_store(backend)
    with fresh_service(backend) as service, keeping(service) as (_, kept):
        project = service.sign_project("office", name="并联项目", investor="某公司",
                                       industry="新材料", investment=1_000,
                                       signed_on=date(2026, 10, 12), chief_agent="zhang")
        version = project["version"]
        for event_type, on, fields in [
                ("approval_applied", date(2026, 10, 13), {"item": "备案", "department": "县发改委"}),
                ("approval_granted", date(2026, 10, 13), {}),
                ("approval_applied", date(2026, 10, 13), {"approval_id": "AP-02", "item": "规划",
                                                          "department": "县自然资源局"}),
                ("approval_granted", date(2026, 10, 14), {"approval_id": "AP-02"})]:
            fields = {"approval_id": "AP-01"} | fields
            version = service.record(project["id"], "zhang", event_type, expected_version=version,
                                     occurred_on=on, fields=fields)["version"]
        service.clock = lambda: date(2026, 10, 16)
        week = Period.containing("weekly", date(2026, 10, 16)).id

        def counted_by(weekday: str) -> dict:
            service.env["BANBAN_PARALLEL_APPROVAL_WEEKDAY"] = weekday
            assembled, reference = both(service, "weekly", week)
            assert assembled == reference
            return json.loads(assembled)["measures"]["parallel_approval_day"]

        tuesdays = counted_by("2")
        made = kept.count()
        wednesdays = counted_by("3")
        assert kept.count() == 2 * made
        assert (tuesdays["weekday"], tuesdays["decided"], tuesdays["on_parallel_day"]) == (2, 2, 1)
        assert (wednesdays["weekday"], wednesdays["on_parallel_day"]) == (3, 1)
        assert counted_by("2") == tuesdays and kept.count() == 2 * made


@BACKENDS
def test_the_countys_opinion_clock_reaches_the_project_and_the_report(backend):
    """BANBAN_OPINION_WORKING_DAYS is the clock of a review that sets none, on the project
    and in the report's waits, whose parts are made again under their own key."""
    require_store(backend)
    with fresh_service(backend) as service, keeping(service) as (_, kept):
        project = service.sign_project("office", name="入园项目", investor="某公司",
                                       industry="新材料", investment=1_000, park="安福工业园",
                                       signed_on=date(2026, 10, 12), chief_agent="zhang")
        service.record(project["id"], "zhang", "park_review_convened",
                       expected_version=project["version"], occurred_on=date(2026, 10, 13),
                       fields={"review_id": "PR-1", "departments": ["县住建局"]})
        service.clock = lambda: date(2026, 10, 16)
        week = Period.containing("weekly", date(2026, 10, 16)).id

        def clocks(days: str | None) -> tuple[set, set]:
            service.env.pop("BANBAN_OPINION_WORKING_DAYS", None)
            if days:
                service.env["BANBAN_OPINION_WORKING_DAYS"] = days
            assembled, reference = both(service, "weekly", week)
            assert assembled == reference
            waits = json.loads(assembled)["waiting_on"]["waits"]
            return ({w["item"]["within_working_days"] for w in waits
                     if w["item"]["kind"] == "park_review"},
                    {w["item"]["within_working_days"] for w in service.project(
                        project["id"])["waiting_on"] if w["item"]["kind"] == "park_review"})

        assert clocks(None) == ({3}, {3})
        made = kept.count()
        assert clocks("5") == ({5}, {5})
        assert kept.count() == 2 * made


@BACKENDS
def test_a_write_assembles_again_only_the_periods_it_changed(backend, monkeypatch):
    """The worker remembers the parts it decoded and what it assembled of them: after a
    write only the periods whose parts the write changed are assembled again, and every
    report still equals the reference."""
    require_store(backend)
    assembled = assemblies(monkeypatch)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
            with keeping(service):
                week = Period.containing("weekly", TODAY)
                county = {"county": service.home_county()}  # its report, not the summary
                report, reference = both(service, "weekly", week.id, **county)
                assert report == reference
                assembled.clear()
                # Nothing recorded: nothing assembled again.
                assert to_json(service.dispatch("weekly", week.id, **county)) == report
                assert not assembled
                # A problem raised today changes this week, not the week before.
                earlier = week.previous().start
                project_id = next(p["id"] for p in service.list_projects()
                                  if p["status"] == "active"
                                  and date.fromisoformat(str(p["signed_on"])) < earlier)
                assert more_recorded(service, [project_id], TODAY) == project_id
                report, reference = both(service, "weekly", week.id, **county)
                assert report == reference
                assert assembled[week.id] >= 1 and not assembled[week.previous().id]
                assembled.clear()
                # Backdated into the week before: that week is assembled again too.
                assert more_recorded(service, [project_id], earlier) == project_id
                report, reference = both(service, "weekly", week.id, **county)
                assert report == reference and assembled[week.previous().id] >= 1
        finally:
            service.close()


@contextmanager
def demo_kept(backend):
    """A service on a fresh store of the backend with the demo county, keeping parts."""
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
            with keeping(service):
                yield service
        finally:
            service.close()


def assemblies(monkeypatch) -> Counter:
    """Counts of the reports and county shares assembled, by period id, from now on."""
    assembled = Counter()
    real = dispatching.assemble

    def counted(period, *args, **kwargs):
        assembled[period.id] += 1
        return real(period, *args, **kwargs)

    monkeypatch.setattr(dispatching, "assemble", counted)
    return assembled


def parts_made(monkeypatch) -> Counter:
    """Counts of the parts made (a report's halves, trend parts) by project, from now on."""
    made = Counter()

    def counted(real):
        def part(history, *args, **kwargs):
            made[history.project.id] += 1
            return real(history, *args, **kwargs)
        return part

    for kind in ("day_part", "period_part", "trend_part"):
        monkeypatch.setattr(dispatching, kind, counted(getattr(dispatching, kind)))
    return made


@BACKENDS
def test_a_write_makes_again_only_the_parts_judged_from_what_it_changed(backend, monkeypatch):
    """A part is judged from its project's facts dated up to the day judged (or its period's
    end): after a write the runner makes again the written project's parts judged on or
    after the write's date and renews the others (periods gone by) at the new version; a
    visit (no rule reads one) makes none; a report asked before the runner renews what it
    finds standing. Every report and trend of the kept periods equals the reference."""
    require_store(backend)
    made = parts_made(monkeypatch)
    with demo_kept(backend) as service:
        _, specs, jobs, _ = service._current_parts(dispatching.KEPT_PERIODS)

        def judged_from(day: date, signed_on: date) -> int:
            """How many of a project signed on a day's kept parts read facts dated day (it
            has none of a period that ended before it was signed)."""
            return sum(1 for job in jobs
                       if max(job.as_of, job.signed_by) >= day and job.signed_by >= signed_on)

        service.warm_parts()
        ids = sorted((p["id"] for p in service.list_projects()), key=str)
        previous = Period.containing("monthly", TODAY).previous()
        for day, asked_first in ((TODAY, False), (TODAY - timedelta(days=45), True)):
            made.clear()
            changed = more_recorded(service, ids, day)
            version = service.project(changed)["version"]
            signed_on = service.project(changed)["signed_on"]
            its_jobs = [job for job in jobs if job.signed_by >= signed_on]
            if asked_first:  # a report of a period gone by before the runner's pass
                report, reference = both(service, "monthly", previous.id)
                assert report == reference
                renewed = service.kept_parts.versions(
                    [job.key for job in jobs], [str(changed)])
                assert version in {v for v, _ in renewed.values()}
            assert 0 < judged_from(day, signed_on) < len(its_jobs)
            # The runner makes what the report did not (its period and day halves).
            assert service.warm_parts() == judged_from(day, signed_on) - (
                2 if asked_first else 0)
            assert set(made) == {changed} and made[changed] == judged_from(day, signed_on)
            kept = service.kept_parts.versions([job.key for job in jobs],
                                               [str(changed)])
            assert {v for v, _ in kept.values()} == {version}
            assert set(kept) == {(job.key, str(changed)) for job in its_jobs}
            for cadence in CADENCES:
                period = Period.containing(cadence, TODAY)
                for _ in range(dispatching.KEPT_PERIODS):
                    report, reference = both(service, cadence, period.id)
                    assert report == reference, (cadence, period.id)
                    period = period.previous()
                trend, reference = both(service, cadence, Period.containing(
                    cadence, TODAY).id, "dispatch_trend", 6)
                assert trend == reference
        # A visit (to the project written, not terminated: it took a problem): nothing to make.
        made.clear()
        project = service.project(changed)
        service.record(changed, "office", "visit_logged",
                       expected_version=project["version"], fields={"purpose": "走访"})
        assert service.warm_parts() == 0 and not made


@BACKENDS
def test_a_reader_changing_its_report_changes_nothing_kept(backend):
    """A report handed out (not shared) is the reader's own: emptying it leaves the parts
    and reports the worker keeps as they were."""
    require_store(backend)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
            with keeping(service):
                service.REUSED = 8
                week = Period.containing("weekly", TODAY).id
                county = service.home_county()
                first = service.dispatch("weekly", week, county=county)
                text = to_json(first)

                def emptied(value):
                    if isinstance(value, dict):
                        for each in value.values():
                            emptied(each)
                        value.clear()
                    elif isinstance(value, list):
                        for each in value:
                            emptied(each)
                        value.clear()

                for _ in range(2):  # the report kept, then the one assembled of kept parts
                    emptied(first)
                    first = service.dispatch("weekly", week, county=county)
                    assert to_json(first) == text
                    service.REUSED, service._reusable = 0, None
        finally:
            service.close()


@BACKENDS
def test_warming_reads_each_project_once_and_leaves_nothing_for_the_reports(
        backend, monkeypatch):
    """The view runner's warm-up (`warm_parts`) makes every part the current periods' reports
    and trends need, reading each project lacking any once, and a chunk's projects' facts in
    one query; the reports then make nothing and equal the reference; after a write it reads
    that project alone."""
    require_store(backend)
    read = Counter()
    real_history = dispatching.History

    def history(project):
        read[project.id] += 1
        return real_history(project)

    monkeypatch.setattr(dispatching, "History", history)
    made = parts_made(monkeypatch)
    with demo_kept(backend) as service:
        projects = {p["id"] for p in service.list_projects()}
        queries, facts = [], service.directory.facts
        monkeypatch.setattr(service.directory, "facts",
                            lambda ids: queries.append(len(ids)) or facts(ids))
        looked, versions = [], service.kept_parts.versions
        monkeypatch.setattr(service.kept_parts, "versions",
                            lambda keys, ids: looked.append(len(ids))
                            or versions(keys, ids))
        service.warm_parts()
        assert set(read) == projects and set(read.values()) == {1}
        # The demo's 60 projects, one chunk: what is kept of them read in one query,
        # and their facts in another.
        assert looked == [len(projects)] and queries == [len(projects)]
        assert sum(made.values()) >= 20 * len(projects)  # some thirty parts each
        read.clear(), made.clear()
        service.warm_parts()
        assert not read and not made
        for cadence in CADENCES:
            period_id = Period.containing(cadence, TODAY).id
            report, reference = both(service, cadence, period_id)
            trend, trend_reference = both(service, cadence, period_id,
                                          "dispatch_trend", 6)
            assert report == reference and trend == trend_reference
            made.clear()
            service.dispatch(cadence, period_id)
            service.dispatch_trend(cadence, period_id, 6)
            assert not made, cadence
        changed = more_recorded(service, sorted(projects, key=str), TODAY)
        read.clear(), looked.clear()
        service.warm_parts()
        assert set(read) == {changed} and read[changed] == 1
        assert looked == [1]  # the others were not looked at: they did not change
        # Parts emptied elsewhere (another process's rebuild) are made again once
        # the runner looks at every project again.
        read.clear()
        service.kept_parts.clear()
        service.warm_parts()
        assert not read
        monkeypatch.setattr(service, "FULL_LOOK_SECONDS", 0)
        service.warm_parts()
        assert set(read) == projects


@BACKENDS
def test_a_report_lacking_every_part_reads_its_projects_a_chunk_at_a_time(backend, monkeypatch):
    """A report asked for before any of its parts is kept (no runner yet, or a period outside
    its window) reads its projects' facts a chunk at a time, never all at once (a province's
    trend lists 50,000 projects), each once, and equals the reference."""
    require_store(backend)
    from domain import dispatch_parts
    monkeypatch.setattr(dispatch_parts, "CHUNK", 7)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
            with keeping(service):
                read, facts = [], service.directory.facts
                monkeypatch.setattr(service.directory, "facts",
                                    lambda ids: read.append(list(ids)) or facts(ids))
                period = Period.containing("monthly", TODAY).previous().previous()
                report, reference = both(service, "monthly", period.id,
                                         county=service.home_county())
                assert report == reference
                # This period's and the one before it (compared): each project signed by
                # its end once for each.
                signed = [[str(p["id"]) for p in service.list_projects()
                           if p["signed_on"] <= each.end]
                          for each in (period, period.previous())]
                assert max(map(len, read)) == 7
                assert len(read) == sum(-(-len(ids) // 7) for ids in signed)
                assert sorted(map(str, sum(read, []))) == sorted(sum(signed, []))
        finally:
            service.close()


@BACKENDS
def test_the_runner_makes_the_summarys_county_shares_so_no_reader_waits_for_them(
        backend, monkeypatch):
    """With more than one county, warming makes the province summary's county shares of every
    cadence's last six periods with the projects' parts: the summaries a leader steps back
    through next make no county's share, and after a write the runner asks for the written
    county's alone (a visit: renewed, none assembled again)."""
    require_store(backend)
    shares = Counter()  # by county code
    real = dispatching.parts_of

    def counted(wanted, kept, kinds, *args, **kwargs):
        if kinds[0][0] != "county":
            return real(wanted, kept, kinds, *args, **kwargs)
        *rest, make = args

        def making(lacking):
            shares.update(code for code, _ in lacking)
            return make(lacking)

        return real(wanted, kept, kinds, *rest, making, **kwargs)

    monkeypatch.setattr(dispatching, "parts_of", counted)
    with fresh_store(backend) as env:
        service = Banban(env=env, clock=lambda: TODAY)
        try:
            load_demo(service, today=TODAY, hash_password=lambda p: "hash:" + p)
            service.add_county(SECOND, "新干县", "吉安市", actor="test")
            service.register_user("office_b", "office", actor="test", password_hash="x",
                                  scope=SECOND)
            service.register_user("zhang_b", "agent", actor="test", password_hash="x",
                                  scope=SECOND)
            second = service.sign_project(
                "office_b", name="新干县测试项目", investor="某公司", investment=10_000_000,
                chief_agent="zhang_b", co_agents=[], signed_on=TODAY, industry="制造",
                park=None)["id"]
            with keeping(service):
                service.warm_parts()
                home, kept = service.home_county(), dispatching.KEPT_PERIODS * len(CADENCES)
                # Each county's, of each cadence's last six periods.
                assert shares == Counter({home: kept, SECOND: kept})
                shares.clear()
                for cadence in CADENCES:
                    period = Period.containing(cadence, TODAY)
                    for _ in range(dispatching.KEPT_PERIODS):
                        assert '"counties"' in to_json(service.dispatch(cadence, period.id))
                        assert not shares, (cadence, shares)  # none made: all kept
                        summary, reference = both(service, cadence, period.id)
                        assert summary == reference
                        period = period.previous()
                assembled = assemblies(monkeypatch)
                service.record(second, "zhang_b", "visit_logged", expected_version=1,
                               fields={"purpose": "走访"})
                service.warm_parts()
                assert shares == Counter({SECOND: kept})  # the second county's alone
                assert not assembled  # a visit changes no part: each share renewed
        finally:
            service.close()


@BACKENDS
def test_a_summary_of_a_period_gone_by_survives_writes_dated_after_it(backend, monkeypatch):
    """A county's share of the province summary is kept with the bases of the parts it was
    assembled from: after a write dated today in the county, the summaries of the periods gone
    by assemble no share again (their parts were renewed), the current ones assemble the
    written county's; a write dated in last week assembles last week's again. Each equals the
    reference."""
    require_store(backend)
    assembled = assemblies(monkeypatch)
    with demo_kept(backend) as service:
        service.add_county(SECOND, "新干县", "吉安市", actor="test")
        ids = sorted((p["id"] for p in service.list_projects()), key=str)
        week = Period.containing("weekly", TODAY)
        gone_by = [Period.containing(cadence, TODAY).previous() for cadence in CADENCES]
        service.warm_parts()
        for period in gone_by:
            summary, reference = both(service, period.cadence, period.id)
            assert summary == reference and '"counties"' in summary
        assembled.clear()
        assert more_recorded(service, ids, TODAY) is not None
        service.warm_parts()  # renews the written project's parts of the periods gone by
        for period in gone_by:
            summary, reference = both(service, period.cadence, period.id)
            assert summary == reference
        assert not any(assembled[period.id] for period in gone_by), assembled
        assert assembled[week.id] == 1  # the home county's share of this week, by the runner
        assembled.clear()
        assert more_recorded(service, ids, week.previous().end) is not None
        service.warm_parts()
        summary, reference = both(service, "weekly", week.previous().id)
        assert summary == reference and assembled[week.previous().id] == 1


@BACKENDS
def test_every_period_kept_reaches_back_ten_years_at_most(backend):
    """BANBAN_KEPT_PERIODS=all keeps the periods from the first signing's, but a signing dated
    decades back (a legacy project, a mistyped year) does not ask the runner for every week
    since: ten years back at most."""
    require_store(backend)
    with demo_kept(backend) as service:
        first = min(date.fromisoformat(str(p["signed_on"])) for p in service.list_projects())
        _, specs, _, _ = service._current_parts(dispatching.EVERY_PERIOD)
        # The first signing's week, and the week its report is compared with.
        assert min(period.start for _, period, _ in specs
                   if period and period.cadence == "weekly") == \
            Period.containing("weekly", first).previous().start
        service.sign_project("office", name="老项目", investor="某公司", investment=1_000_000,
                             chief_agent="zhangwei", co_agents=[], signed_on=date(1990, 3, 1),
                             industry="新材料", park=None,
                             confirmed=["date_too_early"])
        _, specs, jobs, _ = service._current_parts(dispatching.EVERY_PERIOD)
        earliest = min(period.start for _, period, _ in specs if period)
        assert date(TODAY.year - 10, 1, 1) - timedelta(days=93) < earliest \
            < date(TODAY.year - 10, TODAY.month, 1)
        # Some 920 periods of the four cadences, their trend points and days: a runner asks for
        # them with 200 projects in one query (SQLite takes 32,766 values).
        assert len(jobs) < 3_000


@BACKENDS
def test_a_parts_table_kept_before_parts_had_a_basis_is_given_one(backend):
    """A deployment upgraded from before parts had a basis keeps its table: the column is
    added, empty (no part's basis), so parts kept before are made again when asked, and a
    process of the code before, still running, can go on writing rows without it."""
    require_store(backend)
    with fresh_service(backend) as service:
        store = open_parts_store(service)
        old = "day.6/2026-11-25/calendar"
        with store.datastore.transaction(commit=True) as cursor:
            cursor.execute(f"DROP TABLE {store.table}")
            cursor.execute(f"CREATE TABLE {store.table} (key TEXT NOT NULL, project_id TEXT NOT "
                           "NULL, version BIGINT NOT NULL, as_of TEXT NOT NULL, period_end TEXT "
                           "NOT NULL, body TEXT NOT NULL, PRIMARY KEY (key, project_id))")
        store.close()
        store = open_parts_store(service)  # as a process of this code starts
        try:
            insert = store._sql(f"INSERT INTO {store.table} (key, project_id, version, as_of, "
                                "period_end, body) VALUES (?, ?, ?, ?, ?, ?)")
            store._write(insert, [(old, "p1", 3, "2026-11-25", "2026-11-29", "{}")])
            assert store.get(old, ["p1"]) == {"p1": (3, "", "{}")}
            store.put("day.7/2026-11-25/calendar", date(2026, 11, 29), TODAY,
                      [("p1", 4, "b4", "{}")])
            assert store.versions(["day.7/2026-11-25/calendar", old], ["p1"]) == {
                ("day.7/2026-11-25/calendar", "p1"): (4, "b4"), (old, "p1"): (3, "")}
            store.create_tables()  # again: nothing to add
        finally:
            store.close()


@BACKENDS
def test_processes_keeping_the_same_parts_at_once_never_deadlock(backend):
    """The view runner warming parts and a worker assembling a report may keep the same
    report's parts at the same moment, each listing its projects in its own order (the
    province's directory, a county's). Each keeps them in one order, so neither waits on
    the other in a cycle (PostgreSQL's `deadlock detected`)."""
    require_store(backend)
    with fresh_service(backend) as service:
        stores = [open_parts_store(service), open_parts_store(service)]
        ids = sorted(str(uuid4()) for _ in range(400))
        failures: list[BaseException] = []

        def keep(store, order, version):
            try:
                for round_ in range(15):
                    store.put("weekly:2026-W48", date(2026, 11, 29), TODAY,
                              [(each, version + round_, "basis", "{}") for each in order])
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)

        threads = [threading.Thread(target=keep, args=(stores[0], ids, 0)),
                   threading.Thread(target=keep, args=(stores[1], ids[::-1], 100))]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not failures, failures
            assert stores[0].count() == len(ids)
        finally:
            for store in stores:
                store.close()


def test_a_write_chosen_to_break_a_deadlock_is_tried_again_and_other_failures_are_not():
    """PostgreSQL ends one transaction of a deadlock (a prune and a put, each locking rows in
    its own order) and rolls it back: the parts store writes it again, up to its attempts;
    any other failure is raised at once."""
    from eventsourcing.persistence import OperationalError

    from projections import dispatch_parts

    class Failure(Exception):
        def __init__(self, sqlstate):
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    class Datastore:
        def __init__(self, failures):
            self.failures, self.tried, self.written = list(failures), 0, []
            self.schema = "public"

        @contextmanager
        def transaction(self, commit):
            self.tried += 1
            rows = []
            yield type("Cursor", (), {"executemany": lambda _, sql, each: rows.extend(each)})()
            if self.failures:
                raise OperationalError("failed") from Failure(self.failures.pop(0))
            self.written.extend(rows)

    def store(failures):
        return dispatch_parts.PartsStore(Datastore(failures), postgres=True,
                                         owns_datastore=False)

    deadlocked = store([dispatch_parts.DEADLOCK] * (dispatch_parts.ATTEMPTS - 1))
    deadlocked._write("INSERT", [("row",)])
    assert (deadlocked.datastore.tried, deadlocked.datastore.written) == (
        dispatch_parts.ATTEMPTS, [("row",)])
    for failures in ([dispatch_parts.DEADLOCK] * dispatch_parts.ATTEMPTS, ["23505"]):
        failing = store(failures)
        with pytest.raises(OperationalError):
            failing._write("INSERT", [("row",)])
        assert failing.datastore.tried == min(len(failures), dispatch_parts.ATTEMPTS)
        assert not failing.datastore.written


@BACKENDS
def test_a_report_out_of_time_keeps_what_it_made_and_is_made_over_several_askings(
        backend, monkeypatch):
    """A request may spend only so long making parts (dispatch_parts.making_for): a report,
    a trend or the province summary lacking more of them stops once out of time, keeps the
    parts (and counties' shares) it made and raises ReportInPreparation; each asking goes on
    from there, making at least one project's parts (or a county's share), and the last one
    equals the reference. Without a limit (the view runner, the commands) nothing stops."""
    require_store(backend)
    checks = Counter()

    def out_of_time() -> bool:  # out of time at every n-th project (or county) in an asking
        checks["now"] += 1
        return checks["now"] % checks["every"] == 0

    monkeypatch.setattr(dispatching, "out_of_time", out_of_time)
    with demo_kept(backend) as service:
        service.add_county(SECOND, "新干县", "吉安市", actor="test")
        week = Period.containing("weekly", TODAY)
        for _ in range(10):  # outside the six periods a runner keeps
            week = week.previous()
        month = Period.containing("monthly", week.start).previous()
        asked = [("dispatch", month.cadence, month.id, {"county": service.home_county()}, 4),
                 ("dispatch_trend", week.cadence, week.id, {"count": 3}, 4),
                 # The province summary of a month none of whose parts is kept yet.
                 ("dispatch", month.cadence, month.previous().previous().id, {}, 4),
                 # Out of time at once, every asking: one project (or share) each.
                 ("dispatch", "weekly", week.previous().id, {}, 1)]
        for what, cadence, period_id, kwargs, every in asked:
            stopped, kept = 0, service.kept_parts.count()
            while True:
                checks.clear()
                checks["every"] = every
                try:
                    getattr(service, what)(cadence, period_id, **kwargs)
                    break
                except ReportInPreparation:
                    stopped += 1
                now = service.kept_parts.count()
                assert now > kept, (what, stopped)  # it went on, and kept what it made
                kept = now
            assert stopped > 1, what
            found, reference = both(service, cadence, period_id, what, **kwargs)
            assert found == reference, what
        # The province summary's shares are kept as they are assembled, the county's after.
        assert '"counties"' in found

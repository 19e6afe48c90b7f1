"""The dispatch reports, recomputed by an auditor from README.md and the raw histories.

The demo county is loaded into a fresh store (TODAY fixed through BANBAN_CLOCK); every period
of every cadence, from the one holding the earliest signing to the one holding today, is read
from `GET /api/dispatch/<cadence>/<period>` and compared figure by figure with
`tests/e2e/recompute.py`, which knows nothing of the app but its raw histories
(`GET /api/projects/<id>/events`). Every disagreement of a cadence is collected and reported in
one failure: period, figure, expected (recomputed) and got (API). The order of the unranked
tables of projects is checked apart, in one test over all cadences.

Runs on SQLite, and on PostgreSQL when a server answers (as tests/conftest.py's store_env):
`-k sqlite` for SQLite only. About 10 seconds a store.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from app import create_app
from tests.conftest import TODAY, app_config, new_store
from tests.e2e.recompute import CADENCES, PHASE_ORDER, County, periods_between

MAX_LISTED = 6  # rows shown per differing table


@dataclass
class Demo:
    client: Any
    headers: dict[str, str]
    histories: list[dict[str, Any]]
    county: County
    names: dict[str, str]
    reports: dict[tuple[str, str], dict[str, Any]]
    _differences: dict[tuple[str, str], list[str]] | None = None

    def get(self, path: str):
        return self.client.get(path, headers=self.headers)

    def differences(self, cadence: str, period_id: str) -> list[str]:
        """Every difference of a period's report from its recomputation (computed once)."""
        if self._differences is None:
            self._differences = {}
        if (cadence, period_id) not in self._differences:
            api = self.reports[cadence, period_id]
            found: list[str] = []
            compare("", self.county.report(cadence, period_id), normalize(api), self.names,
                    found)
            found += _consistency(api)
            self._differences[cadence, period_id] = [
                f"{cadence} {period_id}{line if line.startswith('.') else ' ' + line}"
                for line in found]
        return self._differences[cadence, period_id]


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request, tmp_path_factory) -> Iterator[Demo]:
    """The demo county in a fresh store, its histories, and every period's report."""
    with new_store(request.param, tmp_path_factory.mktemp("recomputed")) as env:
        app = create_app(app_config(env))
        try:
            with app.app_context():
                from app.demo import load_demo
                from app.store import service

                banban = service()
                load_demo(banban, today=TODAY, hash_password=lambda p: "hash:" + p)
                token = banban.issue_token("auditor", actor="test")
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}"}
            listing = client.get("/api/projects", headers=headers)
            assert listing.status_code == 200, listing.get_json()
            projects = listing.get_json()["projects"]
            histories = []
            for project in projects:
                response = client.get(f"/api/projects/{project['id']}/events", headers=headers)
                assert response.status_code == 200, response.get_json()
                histories.append(response.get_json())
            # The README names the phases but not which milestone belongs to which: the
            # project representation says it (the same for every project).
            one = client.get(f"/api/projects/{projects[0]['id']}", headers=headers).get_json()
            phases = {m["milestone"]: m["phase"] for m in one["milestones"]}
            county = County(histories, TODAY, phases)
            reports = {}
            for cadence in CADENCES:
                for period in periods_between(cadence, county.earliest_signing, TODAY):
                    response = client.get(f"/api/dispatch/{cadence}/{period.id}",
                                          headers=headers)
                    assert response.status_code == 200, (cadence, period.id,
                                                         response.get_json())
                    reports[cadence, period.id] = response.get_json()
            yield Demo(client, headers, histories, county,
                       {str(h["project_id"]): p["name"] for h, p in zip(histories, projects)},
                       reports)
        finally:
            app.extensions["banban.store"].close()


# ---- the API's report in the recomputation's shape -----------------------------------------

def _order(row: tuple) -> tuple:
    """A sort key for rows that may hold None beside strings or numbers."""
    return tuple((v is None, str(v)) for v in row)


def _rows(items, *keys):
    return sorted((tuple(item.get(k) for k in keys) for item in items), key=_order)


def normalize(api: dict[str, Any]) -> dict[str, Any]:
    """The API's report as the recomputation states it (rows as sorted tuples)."""
    phase = api["projects_by_phase_and_status"]
    empty = {"active": 0, "suspended": 0, "terminated": 0, "total": 0}
    milestones_reached = api["milestones_reached"]
    approvals = api["approvals_granted"]
    commitments = api["commitments"]
    problems = api["problems"]
    escalations = api["escalations_and_instructions"]
    investment = api["investment"]
    flags = api["red_flags"]
    rankings = api["rankings"]

    def table(entries, numerator, denominator):
        return [(e["rank"], e["name"], e[numerator], e[denominator], e["rate"]) for e in entries]

    return {
        "period": api["period"],
        "projects_by_phase_and_status": {
            "by_phase": {p: {**empty, **phase["by_phase"].get(p, {})} for p in PHASE_ORDER},
            "totals": phase["totals"]},
        "signed": {
            "count": api["signed"]["count"],
            "total_investment": api["signed"]["total_investment"],
            "rows": _rows(api["signed"]["projects"], "id", "signed_on", "investment"),
            "order": [p["name"] for p in api["signed"]["projects"]]},
        "milestones_reached": {
            "count": milestones_reached["count"], "with_plan": milestones_reached["with_plan"],
            "on_time": milestones_reached["on_time"],
            "on_time_rate": milestones_reached["on_time_rate"],
            "rows": _rows(milestones_reached["milestones"], "project_id", "milestone",
                          "reached_on", "planned_on", "due_on", "on_time", "chief_agent")},
        "milestones_overdue": {
            "count": api["milestones_overdue"]["count"],
            "rows": _rows(api["milestones_overdue"]["milestones"], "project_id", "milestone",
                          "due_on", "working_days_overdue", "owner")},
        "approvals_granted": {
            "count": approvals["count"], "with_target": approvals["with_target"],
            "within_target": approvals["within_target"],
            "median_working_days": approvals["median_working_days"],
            "share_within_target": approvals["share_within_target"],
            "rows": _rows(approvals["approvals"], "project_id", "approval_id", "applied_on",
                          "granted_on", "industrial", "working_days", "within_target")},
        "commitments": {
            "due_count": commitments["due_count"],
            "due": _rows(commitments["due"], "project_id", "approval_id", "promised_on",
                         "due_on", "fulfilled_on"),
            "due_fulfilled": commitments["due_fulfilled"],
            "overdue_count": commitments["overdue_count"],
            "overdue": _rows(commitments["overdue"], "project_id", "approval_id", "due_on",
                             "working_days_overdue", "owner"),
            "closed_by_termination_count": commitments["closed_by_termination_count"],
            "closed_by_termination": _rows(commitments["closed_by_termination"], "project_id",
                                           "approval_id")},
        "problems": {
            "raised_count": problems["raised_count"],
            "raised": _rows(problems["raised"], "project_id", "problem_id", "raised_on",
                            "responsible_unit"),
            "solved_count": problems["solved_count"],
            "solved": _rows(problems["solved"], "project_id", "problem_id", "raised_on",
                            "resolved_on", "working_days", "responsible_unit"),
            "open_count": problems["open_count"],
            "open": _rows(problems["open"], "project_id", "problem_id", "raised_on",
                          "working_days_open", "owner", "responsible_unit"),
            "closed_by_termination_count": problems["closed_by_termination_count"],
            "closed_by_termination": _rows(problems["closed_by_termination"], "project_id",
                                           "problem_id"),
            "to_solve_count": problems["to_solve_count"],
            "solution_rate": problems["solution_rate"],
            "median_working_days_to_solve": problems["median_working_days_to_solve"],
            "by_unit": [(u["unit"], u["raised"], u["solved"], u["open"], u["to_solve"],
                         u["solution_rate"]) for u in problems["by_unit"]]},
        "suspensions": {
            "count": api["suspensions"]["count"],
            "projects": {s["project_id"]: {
                "since": s["since"], "reason": s["reason"], "chief_agent": s["chief_agent"],
                "late": _rows(s["late"], "kind", "id", "rule", "due_on", "working_days_late",
                              "owner")} for s in api["suspensions"]["projects"]},
            "order": [s["project"] for s in api["suspensions"]["projects"]]},
        "escalations_and_instructions": {
            "escalation_count": escalations["escalation_count"],
            "escalations": _rows(escalations["escalations"], "project_id", "problem_id", "on",
                                 "escalated_to", "leader"),
            "instruction_count": escalations["instruction_count"],
            "instructions": _rows(escalations["instructions"], "project_id", "on", "leader",
                                  "problem_id")},
        "investment": {
            "completed": investment["completed"], "cumulative": investment["cumulative"],
            "planned": investment["planned"], "ratio_to_plan": investment["ratio_to_plan"],
            "rows": _rows(investment["projects"], "project_id", "completed", "cumulative",
                          "planned", "ratio_to_plan"),
            "order": [p["project"] for p in investment["projects"]]},
        "red_flags": {
            "count": flags["count"],
            "flags": sorted(((f["subject"]["project_id"], f["subject"]["kind"],
                              f["subject"]["id"], f["rule"], f["due_on"],
                              f["working_days_late"], f["owner"]) for f in flags["flags"]),
                            key=_order),
            "by_owner": {o["owner"]: o["count"] for o in flags["by_owner"]}},
        "rankings": {
            "agents": table(rankings["agents"], "on_time", "with_plan"),
            "units_by_approvals": table(rankings["units_by_approvals"], "within_target",
                                        "with_target"),
            "units_by_problems": table(rankings["units_by_problems"], "solved", "to_solve")},
        "roll_up": {
            "period": api["roll_up"]["period"],
            "into": [{
                "enclosing": i["enclosing"]["id"],
                "enclosing_cadence": i["enclosing"]["cadence"],
                "days": (i["days"]["start"], i["days"]["end"]),
                "to_date": (i["to_date"]["start"], i["to_date"]["end"]),
                "contribution": i["contribution"],
                "enclosing_to_date": i["enclosing_to_date"],
                "share": i["share"]} for i in api["roll_up"]["into"]]},
    }


# ---- comparing ----------------------------------------------------------------------------

def _same(expected, got) -> bool:
    if isinstance(expected, float) or isinstance(got, float):
        if expected is None or got is None or isinstance(expected, bool) or isinstance(got, bool):
            return expected == got
        return abs(expected - got) < 1e-9
    return expected == got


def _short(value, names: dict[str, str]) -> str:
    """A row with its project id shortened and named."""
    if isinstance(value, tuple):
        return "(" + ", ".join(
            f"{v[:8]}:{names[v]}" if isinstance(v, str) and v in names else repr(v)
            for v in value) + ")"
    return repr(value)


def compare(path: str, expected, got, names: dict[str, str], out: list[str]) -> None:
    """Append a readable line per difference: `path: expected X, got Y` (recomputed vs API)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            out.append(f"{path}: expected {expected!r}, got {got!r}")
            return
        for key in expected:
            if key not in got:
                out.append(f"{path}.{key}: expected {expected[key]!r}, absent from the API")
                continue
            compare(f"{path}.{key}", expected[key], got[key], names, out)
        if path.endswith("by_owner"):
            for key in got.keys() - expected.keys():
                out.append(f"{path}.{key}: not expected, got {got[key]!r}")
        if path.endswith("suspensions.projects"):
            for key in got.keys() - expected.keys():
                out.append(f"{path}: a suspended project not expected: {key[:8]}:"
                           f"{names.get(key)}")
        return
    if (isinstance(expected, list) and expected and isinstance(expected[0], tuple)
            and path.split(".")[-1] not in ("by_unit",) and ".rankings." not in path):
        _compare_rows(path, expected, got, names, out)
        return
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got) \
            and all(_same(e, g) for e, g in zip(expected, got)):
        return
    if isinstance(expected, list) and isinstance(got, list) and all(
            isinstance(x, dict) for x in expected + got):
        if len(expected) != len(got):
            out.append(f"{path}: expected {len(expected)} entries, got {len(got)}: "
                       f"expected {expected!r}, got {got!r}")
            return
        for index, (e, g) in enumerate(zip(expected, got)):
            compare(f"{path}[{index}]", e, g, names, out)
        return
    if path.endswith(".order"):
        out.append(f"{path}: expected in the README's order {expected!r}, got {got!r}")
        return
    if isinstance(expected, list):
        out.append(f"{path}: expected {expected!r}, got {got!r}")
        return
    if not _same(expected, got):
        out.append(f"{path}: expected {expected!r}, got {got!r}")


def _compare_rows(path, expected, got, names, out) -> None:
    """Tables: rows keyed by their first fields (the project, then the item: as few as make
    them unique), then compared field by field."""
    got = [tuple(g) for g in got]
    if sorted(expected, key=_order) == sorted(got, key=_order):
        return
    for width in (1, 2, 3):
        keyed_e = {row[:width]: row for row in expected}
        keyed_g = {row[:width]: row for row in got}
        if len(keyed_e) == len(expected) and len(keyed_g) == len(got):
            break
    else:  # not unique: as sets
        keyed_e = keyed_g = None
    if keyed_e is None:
        missing = [r for r in expected if r not in got]
        extra = [r for r in got if r not in expected]
        changed = []
    else:
        missing = [keyed_e[k] for k in keyed_e if k not in keyed_g]
        extra = [keyed_g[k] for k in keyed_g if k not in keyed_e]
        changed = [(keyed_e[k], keyed_g[k]) for k in keyed_e
                   if k in keyed_g and not all(_same(a, b) for a, b in zip(keyed_e[k],
                                                                           keyed_g[k]))]
    for row in missing[:MAX_LISTED]:
        out.append(f"{path}: expected row {_short(row, names)}, missing from the API")
    for row in extra[:MAX_LISTED]:
        out.append(f"{path}: row not expected, got {_short(row, names)}")
    for e, g in changed[:MAX_LISTED]:
        out.append(f"{path}: expected row {_short(e, names)}, got {_short(g, names)}")
    left = (max(0, len(missing) - MAX_LISTED) + max(0, len(extra) - MAX_LISTED)
            + max(0, len(changed) - MAX_LISTED))
    if left:
        out.append(f"{path}: ... and {left} more differing rows")


def _consistency(api: dict[str, Any]) -> list[str]:
    """Within the API's report: each milestone red flag is exactly an overdue milestone row and
    each commitment (or review condition, or review opinion) red flag exactly an overdue
    commitment (condition, opinion) row, with the same working days and owner, and the reverse."""
    problems = []
    flags = api["red_flags"]["flags"]
    pairs = [("milestone", api["milestones_overdue"]["milestones"], "milestone"),
             ("commitment", api["commitments"]["overdue"], "approval_id"),
             ("condition", api["conditions_overdue"]["conditions"], "condition"),
             ("opinion", api["opinions_overdue"]["opinions"], "opinion")]
    for kind, rows, key in pairs:
        from_flags = sorted((f["subject"]["project_id"], f["subject"]["id"],
                             f["working_days_late"], f["owner"], f["due_on"])
                            for f in flags if f["subject"]["kind"] == kind)
        from_rows = sorted((r["project_id"], r[key], r["working_days_overdue"], r["owner"],
                            r["due_on"]) for r in rows)
        if from_flags != from_rows:
            problems.append(f"red_flags of kind {kind} {from_flags} differ from the overdue "
                            f"rows {from_rows}")
    return problems


# ---- the tests ------------------------------------------------------------------------------

def test_a_period_to_come_has_no_report(demo):
    response = demo.get("/api/dispatch/weekly/2030-W10")
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["code"] == "future_period"
    assert demo.county.report("weekly", "2030-W10") == {"future_period": True}


def test_every_period_from_the_first_signing_to_today_is_reported(demo):
    for cadence in CADENCES:
        periods = periods_between(cadence, demo.county.earliest_signing, TODAY)
        assert periods[0].start <= demo.county.earliest_signing <= periods[0].end
        assert periods[-1].start <= TODAY <= periods[-1].end
        assert [p.id for p in periods] == [pid for c, pid in demo.reports if c == cadence]


def test_the_recomputation_applies_corrections(demo):
    """The demo holds two amendments of a business date; the recomputation's facts carry the
    corrected date, the raw events the original."""
    corrected = [(h, e) for h in demo.histories for e in h["events"] if e["type"] == "corrected"]
    assert corrected, "the demo county has corrections"
    for history, correction in corrected:
        target = next(e for e in history["events"]
                      if e["version"] == correction["data"]["corrects_version"])
        assert correction["version"] in target["corrected_by"]
        project = next(p for p in demo.county.projects if p.id == str(history["project_id"]))
        fact = next(e for e in project.events if e.version == target["version"])
        changed = correction["data"].get("changes", {})
        if "occurred_on" in changed:
            assert fact.occurred_on.isoformat() == changed["occurred_on"]
            assert target["occurred_on"] != changed["occurred_on"]


def test_the_comparison_sees_a_changed_figure(demo):
    """The comparison itself: a report with one figure changed is not found equal."""
    cadence, period_id = next(key for key, report in demo.reports.items()
                              if report["milestones_overdue"]["milestones"])
    changed = copy.deepcopy(demo.reports[cadence, period_id])
    changed["milestones_overdue"]["milestones"][0]["working_days_overdue"] += 1
    changed["roll_up"]["into"][0]["share"]["signed"] += 0.5
    original: list[str] = []
    compare("", demo.county.report(cadence, period_id), normalize(demo.reports[cadence,
                                                                               period_id]),
            demo.names, original)
    found: list[str] = []
    compare("", demo.county.report(cadence, period_id), normalize(changed), demo.names, found)
    new = [line for line in found if line not in original]
    assert any(line.startswith(".milestones_overdue.rows") for line in new), new
    assert any(line.startswith(".roll_up.into[0].share.signed") for line in new), new
    assert _consistency(changed), "a flag no longer equal to its overdue row is seen"


def _fail(differences: list[str], what: str) -> None:
    if differences:
        pytest.fail(f"{len(differences)} differences between the recomputation (expected) and "
                    f"the API (got) over {what}:\n  " + "\n  ".join(differences),
                    pytrace=False)


@pytest.mark.parametrize("cadence", CADENCES)
def test_every_report_agrees_with_the_recomputation(demo, cadence):
    """Every figure of every period of the cadence (table order aside: see below)."""
    periods = periods_between(cadence, demo.county.earliest_signing, TODAY)
    _fail([line for period in periods for line in demo.differences(cadence, period.id)
           if ".order: " not in line], f"{len(periods)} {cadence} periods")


def test_tables_are_in_date_order_and_names_in_pinyin_order(demo):
    """README, order: lists of what happened in date order with names in pinyin order on the
    same date (the signed projects); undated tables of projects by name in pinyin order (the
    suspended projects, the investment per project; the table of units, problems.by_unit, is
    compared with the figures)."""
    _fail([line for (cadence, period_id) in demo.reports
           for line in demo.differences(cadence, period_id) if ".order: " in line],
          f"{len(demo.reports)} periods of {len(CADENCES)} cadences")

"""Pages for auditors: full histories, projects as of any moment or version, the difference
between two points, and published dispatch reports as published with what changed since.

Only auditors reach these pages (403 for every other role, the office included): the office
publishes the reports and records the corrections, so the record of its work is checked by
someone else; it reads the versions it needs to correct on the project pages and the API.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_login import current_user
from flask_babel import gettext as _

from app.store import cards, service
from app.web import labels
from app.web.auth import roles_required
from app.web.dispatch_view import context_of, province_view, report_view
from app.web.errors import error_page
from app.web.format import display_names
from app.web.format import moment as show_moment
from app.web.moments import OutOfRange, local_input, parse_version
from app.web.moments import parse_moment as parse_typed_moment
from app.web.readable import event_label, event_rows, kind_of, person, readable, rows
from app.web.scope import counties_with_projects
from domain.counties import PROVINCE
from domain.dates import FIRST_YEAR, LAST_YEAR
from domain.diff import project_diff
from domain.dispatching import HEADLINES
from domain.errors import DomainError, ProjectNotFound

bp = Blueprint("audit", __name__, url_prefix="/audit")

# The fields of a project's header and team, in the order the pages show them.
HEADER = ["name", "investor", "industry", "investment", "investment_completed", "park",
          "signed_on", "phase", "status", "status_reason"]
TEAM = ["chief_agent", "co_agents", "leader"]


class AuditError(Exception):
    """A point, revision or period the auditor asked for that cannot be shown, and why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@bp.before_request
@roles_required("auditor")
def only_auditors() -> None:
    """Every audit page is for auditors only."""


@bp.errorhandler(AuditError)
def audit_error(error: AuditError):
    return error_page(error.status, error.message)


@bp.context_processor
def helpers() -> dict[str, Any]:
    return {"L": labels, "label": labels.label, "event_label": event_label,
            "event_rows": event_rows, "rows": rows, "readable": readable, "person": person,
            "local_input": local_input, "HEADER": HEADER, "TEAM": TEAM}


@bp.get("")
def index():
    """The projects of the auditor's county (a province auditor: the counties, each a link to
    its projects, `?county=`), and every published dispatch report the auditor may see. The
    projects are read from the project cards: a province's are not loaded one by one."""
    banban = service()
    asked = request.args.get("county") or None
    target = banban.report_target(current_user.username, asked)
    listed_counties = banban.counties()
    counties = projects = None
    if target == PROVINCE:
        counties = counties_with_projects(banban)
    else:
        projects = [card["summary"] for card in
                    cards().view.cards(county=target, home=banban.home_county())]
    publications = banban.publications(reader=current_user.username)
    county = asked and next(c for c in listed_counties if c["code"] == target)
    return render_template("audit/index.html", projects=projects, counties=counties,
                           county=county, publications=publications,
                           people=people([*(p["chief_agent"] for p in projects or ()),
                                          *(r["actor"] for r in publications)]))


@bp.get("/projects/<project_id>/history")
def history(project_id: str):
    """Every event of a project as recorded, with the corrections that touched it."""
    events = service().history(project_id, reader=current_user.username)
    chosen = {"type": request.args.get("type") or None, "actor": request.args.get("actor") or None}
    shown = [e for e in events
             if chosen["type"] in (None, e["type"]) and chosen["actor"] in (None, e["actor"])]
    present = {e["type"] for e in events}
    return render_template(
        "audit/history.html", project=service().project(project_id, reader=current_user.username), events=shown,
        total=len(events), chosen=chosen, corrections=corrections(events),
        types=[t for t in labels.EVENT_LABELS if t in present],
        actors=sorted({e["actor"] for e in events}), people=people(usernames_in(events)))


@bp.get("/projects/<project_id>/as-of")
def as_of(project_id: str):
    """The project as it was at a recorded moment (county time) or a version (now by default)."""
    events = service().history(project_id, reader=current_user.username)
    at, version = request.args.get("at"), request.args.get("version")
    context: dict[str, Any] = {"project": service().project(project_id, reader=current_user.username), "at": at or "",
                               "version": version or "", "state": None, "error": None,
                               "people": people(usernames_in(events))}
    status = 200
    try:
        if at and version:
            raise AuditError(400, _("Give a moment or a version, not both."))
        state = state_at(project_id, events, at or version or str(len(events)), moment=bool(at))
        last = events[state["version"] - 1]
        context.update(state=state, last=last, at=at or local_input(last["recorded_at"]),
                       version=str(state["version"]))
    except AuditError as error:
        context["error"], status = error.message, error.status
    return render_template("audit/as_of.html", **context), status


@bp.get("/projects/<project_id>/diff")
def diff(project_id: str):
    """The difference between two points of a project's record, and the events in between."""
    events = service().history(project_id, reader=current_user.username)
    points = {"from": request.args.get("from") or "1",
              "to": request.args.get("to") or str(len(events))}
    context: dict[str, Any] = {"project": service().project(project_id, reader=current_user.username), "points": points,
                               "diff": None, "error": None, "swapped": False,
                               "people": people(usernames_in(events))}
    status = 200
    try:
        old, new = (point_state(project_id, events, points[end]) for end in ("from", "to"))
        if old["version"] > new["version"]:
            old, new, context["swapped"] = new, old, True
        context.update(diff=project_diff(old, new), corrections=corrections(events),
                       between=[e for e in events
                                if old["version"] < e["version"] <= new["version"]])
    except AuditError as error:
        context["error"], status = error.message, error.status
    return render_template("audit/diff.html", **context), status


@bp.get("/dispatch/<cadence>/<period>/published")
def published(cadence: str, period: str):
    """A published dispatch report rendered as its leaders saw it (its sections, in the
    reader's language), what was recorded about it since, and its exact bytes to download."""
    record, text = published_text(cadence, period)
    report, county = json.loads(text), request.args.get("county") or None
    changes = service().dispatch_changes(cadence, period, record["revision"], county=county,
                                         reader=current_user.username)
    revisions = sorted((p for p in service().publications(
        cadence, period, reader=current_user.username) if p["of"] == record["of"]),
        key=lambda p: p["revision"])
    context = context_of(report)
    view = province_view(report, context) if "counties" in report else \
        report_view(report, context)
    return render_template(
        "audit/published.html", record=record, changes=changes, county=county,
        revisions=revisions, headlines=list(HEADLINES), size=len(text.encode()),
        period=service().period(cadence, period), meeting=labels.CADENCE_LABELS[cadence],
        **view, people=people([record["actor"], *(e["actor"] for e in changes["events"])]))


@bp.get("/dispatch/<cadence>/<period>/published.json")
def published_json(cadence: str, period: str):
    """The exact bytes of a published report, as a download."""
    record, text = published_text(cadence, period)
    of = f"-{record['of']}" if record["of"] else ""
    filename = f"dispatch-{cadence}-{record['period']}{of}-r{record['revision']}.json"
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# ---- helpers ------------------------------------------------------------------------------


def state_at(project_id: str, events: list[dict[str, Any]], text: str, *, moment: bool
             ) -> dict[str, Any]:
    """The project's state at a version (digits) or a moment (county time), or AuditError."""
    if not moment:
        version = parse_version(text)
        if version is None:
            raise AuditError(400, _("“%(text)s” is not a version number.", text=text))
        if not 1 <= version <= len(events):
            raise AuditError(404, _("There is no version %(version)s: the project has versions "
                                    "1 to %(latest)s.", version=version, latest=len(events)))
        return service().project(project_id, version=version, reader=current_user.username)
    when = parse_moment(text)
    if when is None:
        raise AuditError(400, _("“%(text)s” is not a date and time (YYYY-MM-DD HH:MM:SS, county "
                                "time).", text=text))
    typed = parse_moment(text, through_second=False)
    if typed > datetime.now(timezone.utc):
        raise AuditError(422, _("%(moment)s is in the future: nothing can have been recorded "
                                "then yet.", moment=show_moment(typed)))
    try:
        return service().project(project_id, as_of=when, reader=current_user.username)
    except ProjectNotFound:  # the project exists (its history loaded): not yet at that moment
        raise AuditError(404, _(
            "The project was not yet recorded at %(moment)s: its signing was recorded at "
            "%(first)s.", moment=show_moment(when),
            first=show_moment(events[0]["recorded_at"]))) from None


def parse_moment(text: str, *, through_second: bool = True) -> datetime | None:
    """The moment an auditor typed (None if it names none), or AuditError if it is outside
    the years the record holds."""
    try:
        return parse_typed_moment(text, through_second=through_second)
    except OutOfRange:
        raise AuditError(422, _("“%(text)s” is outside the years the record holds: give a "
                                "moment from %(first)s to %(last)s.", text=text,
                                first=FIRST_YEAR, last=LAST_YEAR)) from None


def point_state(project_id: str, events: list[dict[str, Any]], text: str) -> dict[str, Any]:
    """The state at a point given as either a version number or a moment."""
    if parse_version(text) is not None:
        return state_at(project_id, events, text, moment=False)
    if parse_moment(text) is None:
        raise AuditError(400, _("“%(text)s” is neither a version number nor a date and time.",
                                text=text))
    return state_at(project_id, events, text, moment=True)


def published_text(cadence: str, period: str) -> tuple[dict[str, Any], str]:
    """A publication's record and text (the revision asked for, or the latest), or AuditError."""
    asked = request.args.get("revision")
    revision = parse_version(asked) if asked else None
    if asked and not revision:
        raise AuditError(400, _("“%(text)s” is not a revision number.", text=asked))
    try:
        return service().published_dispatch(cadence, period, revision,
                                            county=request.args.get("county") or None,
                                            reader=current_user.username)
    except DomainError as error:
        messages = {
            "not_published": _("This report (%(period)s) has not been published.",
                               period=period),
            "unknown_revision": _("The report of %(period)s has no revision %(revision)s.",
                                  period=period, revision=revision),
        }
        raise AuditError(404, messages.get(error.code) or _(
            "“%(cadence)s/%(period)s” names no dispatch period.", cadence=cadence,
            period=period)) from None


def corrections(events: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """For each corrected version, the corrections that touched it (version, action, why, who)."""
    found: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        if event["type"] == "corrected":
            found.setdefault(event["data"]["corrects_version"], []).append({
                "version": event["version"], "action": event["data"]["action"],
                "reason": event["data"]["reason"], "actor": event["actor"],
                "recorded_at": event["recorded_at"]})
    return found


def usernames_in(events: Iterable[dict[str, Any]]) -> set[str]:
    """The usernames events name: who recorded them, and the people in their data."""
    names: set[str] = set()
    for event in events:
        names.add(event["actor"])
        for name, value in event["data"].items():
            if kind_of(name) == "username" and isinstance(value, str):
                names.add(value)
            elif kind_of(name) == "usernames" and isinstance(value, list):
                names.update(v for v in value if isinstance(v, str))
    return names


def people(usernames: Iterable[str]) -> dict[str, str]:
    """Display names of these usernames (those still registered)."""
    names = display_names()
    return {username: names[username] for username in set(usernames) if username in names}

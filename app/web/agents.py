"""Pages for help secretaries (and the office): their board, projects, a project's page and the
forms that record events. Phones first: every page works at 375 px."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from app import project_list
from app.store import cards, service
from app.web.auth import roles_required
from app.web.describe import event_line
from app.web.forms import (
    FIELD_HINTS,
    amend_form_class,
    amendments,
    error_message,
    event_fields,
    fill_choices,
    form_class,
    hints_for,
    prefill_amendment,
    preset,
)
from app.web.labels import EVENT_LABELS, PHASE_LABELS, STATUS_LABELS
from app.web.redirects import local_path
from app.web.scope import asked_county, counties_first, county_filter
from domain.catalogues import FIELD_CATALOGUE
from domain.errors import ConcurrentUpdate, DomainError, NotAllowed
from domain.fields import EVENT_TYPES
from domain.lifecycle import PHASES, STATUSES
from domain.sense import Unusual

bp = Blueprint("agents", __name__)

# The order forms are offered in on a project page: the daily work first.
FORM_ORDER = ["progress_reported", "milestone_reached", "problem_raised", "problem_plan_proposed",
              "problem_followed_up", "problem_resolved", "problem_escalated", "problem_reopened",
              "approval_applied", "approval_granted", "approval_rejected", "commitment_fulfilled",
              "milestone_planned", "park_review_convened", "park_review_opinion_given",
              "park_review_concluded", "park_review_condition_met", "visit_logged",
              "instruction_given", "service_rated", "team_assigned", "suspended", "resumed", "terminated", "corrected"]
assert set(FORM_ORDER) == set(EVENT_TYPES), "every event type has a form"


@bp.context_processor
def form_words() -> dict[str, Any]:
    return {"hints": FIELD_HINTS, "today": service().clock().isoformat(),
            "catalogue_for": catalogue_for}


def catalogue_for(name: str, county: str | None = None) -> list[str]:
    """The values a form offers for a field the county's catalogues hold (none: free text);
    the signed-in user's county unless the project's is given."""
    kind = FIELD_CATALOGUE.get(name)
    if kind is None:
        return []
    banban = service()
    if county is None:
        county = banban.user(current_user.username)["scope"]
    return banban.catalogues(county)[kind]


@bp.get("/board")
@roles_required("agent")
def board():
    mine = [card["project_id"] for card in cards().view.cards(agent=current_user.username)]
    return render_template("agents/board.html",
                           board=service().board(current_user.username, project_ids=mine,
                                                 reader=current_user.username))


@bp.get("/projects")
@roles_required()
def projects():
    """The projects: filters, search by name and investor, sorting by any column, totals."""
    phase = request.args.get("phase") or None
    status = request.args.get("status") or None
    mine = request.args.get("mine") == "1"
    led = request.args.get("led") == "1" and current_user.role == "leader"
    words = (request.args.get("q") or "").strip()[:100]
    column = request.args.get("sort") or "signed_on"
    descending = request.args.get("desc") == "1"
    if (phase and phase not in PHASES) or (status and status not in STATUSES) or \
            column not in project_list.SORTS:
        abort(404)
    counties, county = counties_first(), asked_county()
    if counties is not None:
        return render_template("agents/projects.html", counties=counties)
    chosen = "mine" if mine and current_user.role == "agent" else "supervised" if led else None
    found = project_list.projects(current_user.username, **county_filter(), phase=phase,
                                  status=status, chosen=chosen, words=words, column=column,
                                  descending=descending, judged=True)
    return render_template("agents/projects.html", projects=found, county=county,
                           counties=None, phase=phase, status=status,
                           mine=mine, led=led, q=words, sort=column, desc=descending,
                           totals=project_list.totals(found, judged=True), PHASES=PHASES,
                           STATUSES=STATUSES, PHASE_LABELS=PHASE_LABELS,
                           STATUS_LABELS=STATUS_LABELS)


@bp.route("/projects/new", methods=["GET", "POST"])
@roles_required("office")
def sign():
    form = form_class("signed")()
    people = nameable_people()
    fill_choices(form, "signed", {"milestones": [], "approvals": [], "problems": []}, people, [])
    if request.method == "GET":
        form.signed_on.data = service().clock()
    if form.validate_on_submit():
        fields = event_fields(form, "signed")
        try:
            made = service().sign_project(current_user.username, signed_on=form.signed_on.data,
                                          **fields)
        except DomainError as error:
            _show_refusal(form, error)
        else:
            flash(gettext("Project signed: %(name)s", name=made["name"]))
            return redirect(url_for("agents.project", project_id=made["id"]))
    return render_template("agents/sign.html", form=form, hints=hints_for("signed")), \
        200 if not form.errors else 422


@bp.get("/projects/<project_id>")
@roles_required()
def project(project_id: str):
    banban = service()
    state = banban.project(project_id, reader=current_user.username)
    history = banban.history(state["id"])
    offered = _offers(state)
    return render_template(
        "agents/project.html", project=state, clocks=banban.clocks(state["id"]),
        recent=[e | {"line": event_line(e, state)} for e in reversed(history)][:15],
        forms=[t for t in FORM_ORDER if offered["types"].get(t, "-") is None],
        unavailable=[(t, offered["types"][t]) for t in FORM_ORDER if offered["types"].get(t)],
    )


@bp.route("/projects/<project_id>/record/<event_type>", methods=["GET", "POST"])
@roles_required("agent", "office", "leader")
def record(project_id: str, event_type: str):
    if event_type not in EVENT_TYPES:
        abort(404)
    banban = service()
    state = banban.project(project_id, reader=current_user.username)
    offered = _offers(state)
    if event_type not in offered["types"]:
        abort(403)
    if offered["types"][event_type]:
        # The project's state does not allow it: say why rather than show a form it refuses.
        return render_template("agents/unavailable.html", project=state, event_type=event_type,
                               reason=offered["types"][event_type]), 409
    history = banban.history(state["id"])
    people = nameable_people()
    target = None
    if event_type == "corrected" and request.form.get("step") == "amend":
        target = _amended_event(state, request.form.get("corrects_version"))
        form = amend_form_class(target["type"])()
        fill_choices(form, target["type"], state, people, history, amending=True)
    else:
        form = form_class(event_type)()
        fill_choices(form, event_type, state, people, history,
                     milestones=offered["milestones"])
    form.today = banban.clock()
    if request.method == "GET":
        form.occurred_on.data = form.today
        form.expected_version.data = str(state["version"])
        preset(form, event_type, state, people)
    stale = None
    if form.validate_on_submit():
        expected = _int(form.expected_version.data)
        if event_type == "corrected" and target is None and form.action.data == "amend":
            # First step done (which event, amend, why): now ask for the right values.
            target = _amended_event(state, form.corrects_version.data)
            second = amend_form_class(target["type"])(formdata=None)
            fill_choices(second, target["type"], state, people, history, amending=True)
            prefill_amendment(second, target)
            second.corrects_version.data = target["version"]
            second.correction_reason.data = form.reason.data
            second.occurred_on.data, second.expected_version.data = form.occurred_on.data, expected
            return render_template("agents/record.html", form=second, project=state,
                                   event_type=event_type, target=target, stale=None,
                                   hints=hints_for(target["type"]))
        try:
            fields = (_correction_fields(form, target) if target
                      else event_fields(form, event_type))
            banban.record(state["id"], current_user.username, event_type,
                          expected_version=expected, occurred_on=form.occurred_on.data,
                          fields=fields)
        except ConcurrentUpdate as conflict:
            # Someone else recorded meanwhile: show what, keep the input, and let the user
            # confirm against the project as it is now.
            stale = [e for e in banban.history(state["id"]) if e["version"] > expected]
            form.expected_version.data = str(conflict.actual_version or state["version"])
        except NotAllowed:
            abort(403)
        except DomainError as error:
            _show_refusal(form, error)
        else:
            flash(gettext("Recorded: %(what)s", what=EVENT_LABELS[event_type]))
            # Back where the form was (the office's teams page), else to the project.
            return redirect(local_path(request.args.get("next"))
                            or url_for("agents.project", project_id=state["id"]))
    status = 200 if request.method == "GET" else 409 if stale else 422
    return render_template("agents/record.html", form=form, project=state,
                           event_type=event_type, target=target, stale=stale,
                           hints=hints_for(target["type"] if target else event_type)), status


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        abort(400)


def _offers(state: dict[str, Any]) -> dict[str, Any]:
    """What the signed-in user may record on this project now (the domain's offers)."""
    return service().offers(state["id"], current_user.username)


def nameable_people() -> dict[str, list[dict[str, Any]]]:
    """Enabled users who can be named in a form, by role: those of the signed-in user's
    county (and the province's leaders); and the counties they may sign projects in."""
    banban = service()
    me = banban.user(current_user.username)
    people: dict[str, Any] = {"agent": [], "leader": [], "counties": [], "me": me}
    for user in banban.users():
        if (not user["disabled"] and user["role"] in people
                and banban.reader_sees(user, banban.scope_of_user(me))):
            people[user["role"]].append(user)
    people["counties"] = [c for c in banban.counties() if banban.reader_sees(me, c["code"])]
    return people


def _amended_event(state: dict[str, Any], version: Any) -> dict[str, Any]:
    """The event an amendment corrects, as it stands now (400 if the form was tampered with)."""
    number = _int(version)
    try:
        return service().event(state["id"], number) | {"version": number}
    except DomainError:
        abort(400)


def _correction_fields(form, target: dict[str, Any]) -> dict[str, Any]:
    return {"corrects_version": target["version"], "action": "amend",
            "reason": form.correction_reason.data, "changes": amendments(form, target),
            "confirmed": form.confirmed.data or []}


def _show_refusal(form, error: DomainError) -> None:
    """Put the domain's refusal next to the field it names (or above the form); for unusual
    values, each next to its field, and the boxes that confirm them below."""
    findings = error.findings if isinstance(error, Unusual) else [error]
    for found in findings:
        _show_next_to_field(form, found.field, found.code)
    if isinstance(error, Unusual):
        form.unusual = error.codes


def _show_next_to_field(form, named: str | None, code: str) -> None:
    name = (named or "").removeprefix("changes.")
    if name == "occurred_on" and "amend_occurred_on" in form._fields and \
            (named or "").startswith("changes."):
        name = "amend_occurred_on"
    # A part of a field (conditions.1.due_on) is shown next to the field.
    field = form._fields.get(name) or form._fields.get(name.split(".")[0])
    message = error_message(code)
    if field is not None and field.type != "HiddenField":
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]
    else:
        form.form_errors.append(message)

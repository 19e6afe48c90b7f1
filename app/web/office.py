"""Pages of the service centre (office): the county's catalogues, its users and its teams."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app import project_list, user_admin
from app.store import service
from app.web.agents import nameable_people
from app.web.auth import roles_required
from app.web.errors import SAME_MOMENT
from app.web.forms import error_message, fill_choices, form_class, preset
from app.web.labels import ROLE_LABELS
from app.web.scope import asked_county, counties_first, county_filter
from domain.catalogues import KINDS
from domain.counties import PROVINCE
from domain.errors import ConcurrentUpdate, DomainError, NotAllowed, UserNotFound
from domain.lifecycle import ROLES

bp = Blueprint("office", __name__, url_prefix="/office")

CATALOGUE_LABELS = {"industries": _l("Industries"), "parks": _l("Parks"),
                    "units": _l("Responsible units (departments)")}


class ValueForm(FlaskForm):
    value = StringField(_l("New value"), validators=[DataRequired(), Length(max=200)])


class RetireForm(FlaskForm):
    value = StringField(validators=[DataRequired(), Length(max=200)])
    reason = StringField(_l("Why it is offered no more"),
                         validators=[DataRequired(), Length(max=4000)])


@bp.route("/catalogues", methods=["GET", "POST"])
@roles_required("office")
def catalogues():
    """The county's catalogues: add a value, retire one, and their history."""
    banban = service()
    kind = request.args.get("kind")
    retiring = request.args.get("retire") == "1"
    form = RetireForm() if retiring else ValueForm()
    refusal, conflict = None, False
    if request.method == "POST":
        if kind not in KINDS:
            abort(404)
        if form.validate_on_submit():
            try:
                if retiring:
                    banban.retire_from_catalogue(current_user.username, kind, form.value.data,
                                                 form.reason.data)
                    flash(gettext("Offered no more: %(value)s", value=form.value.data))
                else:
                    value = banban.add_to_catalogue(current_user.username, kind,
                                                    form.value.data)
                    flash(gettext("Added: %(value)s", value=value))
                return redirect(url_for("office.catalogues"))
            except ConcurrentUpdate:
                refusal, conflict = str(SAME_MOMENT), True
            except DomainError as error:
                refusal = str(error_message(error.code))
    scope = banban.user(current_user.username)["scope"]
    offered = banban.catalogues(scope)
    # A refused retirement is shown in its value's fold, the reason kept; if the value is no
    # longer offered (someone retired it meanwhile), at the top of the page.
    retire_failed = retiring and kind in offered and (refusal is not None or bool(form.errors))
    if refusal is not None:
        if not retiring:
            form.value.errors = [refusal]
        elif form.value.data in offered[kind]:
            form.reason.errors = [refusal]
        else:
            flash(refusal, "error")
    return render_template(
        "office/catalogues.html", catalogues=offered,
        history=list(reversed(banban.catalogue_history(scope)))[:50], labels=CATALOGUE_LABELS,
        form=form, failed_kind=kind if request.method == "POST" and not retiring else None,
        retire_failed=(kind, form.value.data) if retire_failed else None,
        add_form=ValueForm(formdata=None), retire_form=RetireForm(formdata=None),
    ), 409 if conflict else 422 if refusal is not None or form.errors else 200


# ---- users ------------------------------------------------------------------------------


class NewUserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=32)])
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    scope = SelectField(_l("County"), choices=[], validators=[Optional()])


class RenameForm(FlaskForm):
    display_name = StringField(_l("Name shown"), validators=[DataRequired(), Length(max=200)])


class ReasonForm(FlaskForm):
    reason = StringField(_l("Why"), validators=[Optional(), Length(max=4000)])


USER_CHANGE_LABELS = {
    "Registered": _l("Created"), "PasswordSet": _l("Password set"),
    "TokenIssued": _l("API token issued"), "Disabled": _l("Disabled"),
    "Enabled": _l("Enabled"), "Renamed": _l("Name changed"),
    "SignedOutEverywhere": _l("Signed out everywhere"),
}


@bp.route("/users", methods=["GET", "POST"])
@roles_required("office")
def users():
    """The users the office manages, and a form to create one (with a password shown once)."""
    banban = service()
    form = NewUserForm()
    form.role.choices = [(r, str(ROLE_LABELS[r])) for r in ROLES]
    form.scope.choices = _scopes(banban)
    if form.validate_on_submit():
        try:
            made, password = user_admin.create(
                current_user.username, form.username.data, form.role.data,
                form.display_name.data, form.scope.data or None)
        except NotAllowed:
            abort(403)
        except DomainError as error:
            field = form._fields.get(error.field or "", form.username)
            field.errors = [*field.errors, error_message(error.code)]
        else:
            flash(gettext("Created %(name)s. Their password, shown this once: %(password)s",
                          name=made["display_name"], password=password))
            return redirect(url_for("office.user", username=made["username"]))
    return render_template("office/users.html", form=form,
                           users=banban.managed_users(current_user.username),
                           scope_of=banban.scope_of_user), 422 if form.errors else 200


@bp.route("/users/<username>", methods=["GET", "POST"])
@roles_required("office")
def user(username: str):
    """One user: change the name shown, reset the password, disable or enable, sign out."""
    banban = service()
    try:
        banban.check_manages(current_user.username, username)
    except UserNotFound:
        abort(404)
    except NotAllowed:
        abort(403)
    action = request.args.get("action")
    rename, reason = RenameForm(prefix="rename"), ReasonForm(prefix="why")
    refusal, conflict = None, False
    if request.method == "POST":
        if action not in user_admin.ACTIONS:
            abort(404)
        form = rename if action == "rename" else reason
        if form.validate_on_submit():
            try:
                _act(action, username, rename, reason)
                return redirect(url_for("office.user", username=username))
            except ConcurrentUpdate:
                refusal, conflict = str(SAME_MOMENT), True
            except DomainError as error:
                refusal = str(error_message(error.code))
    found = banban.user(username)
    if refusal is not None:
        # Next to the field sent, if the page still shows it (the name; the reason while the
        # user can still be disabled); else at the top of the page.
        shown_on = rename.display_name if action == "rename" else \
            reason.reason if action == "disable" and not found["disabled"] else None
        if shown_on is None:
            flash(refusal, "error")
        else:
            shown_on.errors = [refusal]
    if request.method == "GET" or not rename.display_name.data:
        rename.display_name.data = found["display_name"]
    return render_template("office/user.html", user=found, rename=rename, reason=reason,
                           scope=banban.scope_of_user(found),
                           history=banban.user_history(username),
                           user_change_labels=USER_CHANGE_LABELS), \
        409 if conflict else 422 if refusal or rename.errors or reason.errors else 200


# What the page says once an action is done (a new password is shown in its own words).
DONE = {
    "rename": _l("Name changed."),
    "disable": _l("Disabled: they can no longer sign in, and their tokens stop working."),
    "enable": _l("Enabled: they can sign in again."),
    "sign_out": _l("Signed out everywhere."),
}


def _act(action: str, username: str, rename: RenameForm, reason: ReasonForm) -> None:
    """Do what the office asked of a user, as the API and the command line do; say so."""
    password = user_admin.act(current_user.username, username, action,  # or the token
                              display_name=rename.display_name.data,
                              reason=reason.reason.data or None)
    if password is None:
        flash(str(DONE[action]))
    elif action == "token":
        flash(gettext("New API token, shown this once: %(token)s", token=password))
    else:
        flash(gettext("New password, shown this once: %(password)s", password=password))


def _scopes(banban) -> list[tuple[str, str]]:
    """The counties (and the province) an office may create users in."""
    me = banban.user(current_user.username)
    mine = banban.scope_of_user(me)
    counties = [(c["code"], c["name"]) for c in banban.counties()
                if mine in (c["code"], PROVINCE)]
    if mine == PROVINCE:
        counties.append((PROVINCE, str(_l("The province (reads every county)"))))
    return counties or [("", str(_l("This county")))]


# ---- teams -------------------------------------------------------------------------------


@bp.get("/teams")
@roles_required("office")
def teams():
    """The county's projects with their teams, each with a form to change it (团队调整), which
    records through the project's own form (its rules, refusals and overtaking)."""
    counties, county = counties_first(), asked_county()
    if counties is not None:
        return render_template("office/teams.html", counties=counties)
    banban, me = service(), current_user.username
    people, today = nameable_people(), banban.clock()
    rows = []
    for n, card in enumerate(project_list.projects(me, **county_filter(), column="name")):
        summary = card["summary"]
        why_not = banban.offers(card["project_id"], me)["types"].get("team_assigned", "")
        rows.append({"card": card, "summary": summary, "why_not": why_not,
                     "form": None if why_not is not None else
                     _team_form(n, summary, people, today)})
    return render_template("office/teams.html", rows=rows, counties=None, county=county)


def _team_form(n: int, summary: dict, people: dict, today) -> FlaskForm:
    """A project's team change form, as its record page makes it, its team preset; its
    fields' ids made unique on a page of many."""
    form = form_class("team_assigned")(formdata=None)
    team = {"chief_agent": summary["chief_agent"], "co_agents": summary["co_agents"],
            "leader": summary["leader"]}
    fill_choices(form, "team_assigned", {"team": team}, people, [])
    preset(form, "team_assigned", {"team": team}, people)
    form.occurred_on.data, form.expected_version.data = today, str(summary["version"])
    for field in form:
        field.id = field.label.field_id = f"{field.id}-{n}"
    return form

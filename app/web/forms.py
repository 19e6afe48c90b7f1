"""Forms for recording events, built from the domain's field table (domain/fields.py).

Every event type of the API has a form: the field table says what each field takes, and this
module turns each kind into a WTForms field (app.web.inputs: with the domain's own rules for
text, dates and money) with plain-language labels, choices drawn from the project (its open
problems, pending approvals, milestones not reached) and the people who can be named. Money is
entered in 万元 as officials count it and stored in yuan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.web import labels
from app.web.describe import event_line
from app.web.format import people_choices
from app.web.inputs import (
    WAN,
    CheckboxesField,
    ConditionsField,
    DayField,
    LinesField,
    Storable,
    WanField,
    form_value,
)
from app.web.labels import (
    CORRECTION_LABELS,
    ESCALATION_LABELS,
    MILESTONE_LABELS,
    OPINION_LABELS,
    UNUSUAL_LABELS,
)
from domain.fields import (
    EVENT_TYPES,
    LONG_TEXT,
    MAX_LIST,
    MAX_WORKING_DAYS,
    NOT_AMENDABLE,
    SHORT_TEXT,
    SIGNING_FIELDS,
    fields_of,
)
from domain.fields import Field as Spec
from domain.sense import UNUSUAL

# A form names a field as labels.FIELD_LABELS does, but says the unit or the format it wants.
FIELD_LABELS = labels.FIELD_LABELS | {
    "investment": _l("Planned investment (10k yuan)"),
    "signed_on": _l("Signing date"),
    "missing_documents": _l("Missing documents (one per line)"),
    "title": _l("Problem"),
    "same_day": _l("Can be solved the same day (不过夜)"),
    "due_on": _l("Plan to solve it by"),
    "escalated_to": _l("Escalate to"),
    "investment_completed": _l("Investment completed to date (10k yuan)"),
    "purpose": _l("Purpose of the visit"),
    "agent": _l("Agent rated"),
    "corrects_version": _l("Event to correct"),
    "action": _l("Correction"),
    "occurred_on": _l("Date it happened"),
    "approval_id": _l("Approval"),
    "problem_id": _l("Problem"),
    "confirmed": _l("Confirm as right"),
    "departments": _l("Departments invited (one per line)"),
    "opinion_within_working_days": _l("Opinions due within (working days)"),
    "conditions": _l("Conditions (one per line)"),
    "condition": _l("Condition met"),
    "passed": _l("The project passed the review"),
}

# A field's hint says what it takes; where a field means something else on another event
# type, that type's own hint (or none) is shown instead (hints_for).
FIELD_HINTS = {
    "occurred_on": _l("The business date: when it happened, not when it is recorded."),
    "investment": _l("In 万元; 1 亿元 = 10000 万元."),
    "investment_completed": _l("The total to date, in 万元, not this period's increase."),
    "missing_documents": _l("Leave empty if nothing is missing; otherwise give the due date."),
    "opinion_within_working_days": _l("1 to %(most)s; leave empty for the county's setting.",
                                      most=MAX_WORKING_DAYS),
    "conditions": _l("One per line: the condition, then optionally | the department whose it "
                     "is (none: the investor's) | its due date, e.g. 补充消防设计 | 县住建局 | "
                     "2026-12-31."),
}
TYPE_HINTS: dict[str, dict[str, Any]] = {
    "signed": {"leader": _l("The county leader in charge of the project."),
               "chief_agent": _l("Who answers for the project; nobody is chosen for you.")},
    "team_assigned": {"leader": _l("The county leader in charge of the project."),
                      "reason": _l("Why the team changes: the agents added and removed are "
                                   "told.")},
    "milestone_planned": {"reason": _l("Required when a planned date changes.")},
    "problem_escalated": {"leader": _l("Needed when escalating to a leader.")},
    "instruction_given": {"leader": _l("The leader who gave the instruction.")},
    "corrected": {"reason": _l("Why the record is wrong: it is kept with the correction.")},
}


def hints_for(event_type: str) -> dict[str, Any]:
    """The hints of a form: what each field takes on this event type."""
    return FIELD_HINTS | TYPE_HINTS.get(event_type, {})


# Messages for the domain's refusal codes, shown next to the field they name.
ERROR_MESSAGES = {
    "already_void": _l("That event was already voided."),
    "approval_not_pending": _l("This approval has already been decided."),
    "before_signing": _l("The date is before the project was signed."),
    "correction_breaks_history": _l("After this correction the history would break a rule."),
    "date_order": _l("The date is before an earlier step of the same matter."),
    "duplicate_id": _l("This id is already used in the project."),
    "future_date": _l("The date cannot be in the future."),
    "investment_decreased": _l("Investment completed to date cannot go down; correct the earlier report instead."),
    "milestone_already_reached": _l("This milestone was already reached."),
    "no_change": _l("Nothing would change."),
    "no_open_commitment": _l("This approval has no open commitment."),
    "not_allowed": _l("You may not record this."),
    "not_correctable": _l("This event cannot be corrected that way."),
    "not_on_team": _l("This person is not on the project's team."),
    "not_suspended": _l("The project is not suspended."),
    "phase_passed": _l("The project is already past this milestone's phase."),
    "phase_regression": _l("The project cannot go back to an earlier phase."),
    "project_suspended": _l("The project is suspended: only a resumption can be recorded."),
    "project_terminated": _l("The project is terminated: nothing more can be recorded."),
    "reason_required": _l("Give a reason."),
    "required": _l("This field is required."),
    "unknown_approval": _l("No such approval in this project."),
    "unknown_problem": _l("No such problem in this project."),
    "unknown_review": _l("No such park-entry review in this project."),
    "review_concluded": _l("This park-entry review is already concluded."),
    "park_review_open": labels.UNAVAILABLE_LABELS["park_review_open"],
    "not_invited": _l("This department was not invited to the review."),
    "opinions_missing": _l("Not every invited department has given its opinion yet."),
    "review_disagreed": _l("A department disagrees: the review cannot pass."),
    "review_not_passed": _l("This park-entry review has not passed: it carries no conditions."),
    "unknown_condition": _l("The review carries no such condition."),
    "condition_already_met": _l("This condition was already met."),
    "department_for_investor": _l("Name a department only for a department's condition."),
    "duplicate_condition": _l("The same condition is listed twice."),
    "unknown_user": _l("No such user."),
    "user_disabled": _l("This user is disabled."),
    "wrong_role": _l("This person does not have the right role."),
    "chief_agent_also_co_agent": _l("The chief agent cannot also be a co-agent."),
    "not_amendable": _l("This cannot be changed by a correction."),
    "void_with_changes": _l("A void changes nothing: leave the values as they are."),
    # Sense checks (domain.sense): refused unless confirmed.
    "investment_above_total": _l("This is more than the project's total investment."),
    "investment_jump": _l("This rises by more than the project's total investment since the "
                          "report before it."),
    "duplicate_name": _l("Another project of the county has this name."),
    "date_too_early": _l("The date is before 2000."),
    "date_too_far": _l("The date is more than 30 years ahead."),
    "not_in_catalogue": _l("Choose one of the catalogue's values (the office keeps the "
                           "catalogues)."),
    "duplicate_value": _l("The catalogue has this value already."),
    "unknown_value": _l("The catalogue does not have this value."),
    "invalid_field": _l("This value is not accepted."),
    # Users (the office's pages).
    "duplicate_username": _l("This username is taken."),
    "unknown_county": _l("This county is not one of those listed here."),
    "other_county": _l("This belongs to another county."),
    "agent_in_province": _l("An agent serves one county: choose it."),
    "no_county_listed": _l("No county is listed yet, so nobody can serve the province."),
}


def error_message(code: str) -> str:
    """A domain refusal in the user's language."""
    return str(ERROR_MESSAGES.get(code, _l("This cannot be recorded as entered.")))


class EventForm(FlaskForm):
    """Fields every event form has: when it happened and the version the user saw."""

    occurred_on = DayField(FIELD_LABELS["occurred_on"], validators=[InputRequired()])
    expected_version = HiddenField()
    today: date | None = None  # the county's today, set by the view

    def validate_occurred_on(self, field: Field) -> None:
        # Checked here too (the domain refuses it as well) so that every problem of the
        # form is shown at once.
        if self.today is not None and field.data is not None and field.data > self.today:
            raise ValidationError(error_message("future_date"))


def _wtf_field(name: str, spec: Spec) -> Field:
    """The WTForms field for one domain field (choices are filled per request)."""
    text = FIELD_LABELS.get(name, name)
    need = [DataRequired()] if spec.required else [Optional()]
    kind = spec.kind
    if kind == "short_text":
        return StringField(text, validators=need + [Length(max=SHORT_TEXT),
                                                    Storable(required=spec.required)])
    if kind == "long_text":
        return TextAreaField(text, validators=need + [Length(max=LONG_TEXT),
                                                      Storable(long=True,
                                                               required=spec.required)])
    if kind in ("username", "choice", "id", "version", "county"):
        coerce = int if kind == "version" else str
        return SelectField(text, coerce=coerce, validate_choice=True,
                           validators=[InputRequired()] if spec.required else [Optional()])
    if kind in ("usernames", "confirmations"):
        return CheckboxesField(text, validators=[Optional()])
    if kind == "strings":
        return LinesField(text, validators=[Optional(), Storable()])
    if kind == "conditions":
        return ConditionsField(text, validators=[Optional()])
    if kind == "date":
        return DayField(text, validators=[InputRequired()] if spec.required else [Optional()])
    if kind == "money":
        return WanField(text, [InputRequired()] if spec.required else [Optional()],
                        minimum=spec.minimum)
    if kind == "working_days":
        # The range the API takes; left empty, the county's clock applies.
        return IntegerField(text, validators=[Optional(), NumberRange(1, MAX_WORKING_DAYS)],
                            render_kw={"min": 1, "max": MAX_WORKING_DAYS})
    if kind == "rating":
        return RadioField(text, coerce=int, choices=[SelectChoice(n, str(n)) for n in range(1, 6)],
                          validators=[InputRequired()])
    if kind == "bool":
        return BooleanField(text)
    raise ValueError(f"no form field for kind {kind}")  # pragma: no cover


# Fields left out of the forms: ids the server makes, and a correction's changes (asked for
# in a second step, with the fields of the event being amended).
_LEFT_OUT = {("approval_applied", "approval_id"), ("problem_raised", "problem_id"),
             ("park_review_convened", "review_id"),
             ("corrected", "changes")}
_FORM_CLASSES: dict[str, type[FlaskForm]] = {}


def form_class(event_type: str) -> type[FlaskForm]:
    """The form class of an event type (made once)."""
    if event_type not in _FORM_CLASSES:
        if event_type == "signed":
            attributes = {name: _wtf_field(name, spec) for name, spec in SIGNING_FIELDS.items()}
            attributes["signed_on"] = DayField(FIELD_LABELS["signed_on"],
                                               validators=[InputRequired()])
            base: type[FlaskForm] = FlaskForm
        else:
            attributes = {name: _wtf_field(name, spec)
                          for name, spec in EVENT_TYPES[event_type][1].items()
                          if (event_type, name) not in _LEFT_OUT}
            if event_type == "park_review_opinion_given":
                # The departments invited, chosen from the open reviews (fill_choices); the
                # rules still say whether one was invited. It keeps the field's place (before
                # the opinion and the note), which WTForms takes from its creation.
                department = SelectField(FIELD_LABELS["department"], validate_choice=False,
                                         validators=[InputRequired()])
                department.creation_counter = attributes["department"].creation_counter
                attributes["department"] = department
            base = EventForm
        _FORM_CLASSES[event_type] = type(f"{event_type.title()}Form", (base,), attributes)
    return _FORM_CLASSES[event_type]


def amend_form_class(target_type: str) -> type[FlaskForm]:
    """The second step of an amendment: the amendable fields of the event being corrected."""
    key = f"amend:{target_type}"
    if key not in _FORM_CLASSES:
        attributes: dict[str, Any] = {
            name: _wtf_field(name, replace(spec, required=False))
            for name, spec in fields_of(target_type).items() if name not in NOT_AMENDABLE
        }
        if target_type != "signed":
            attributes["amend_occurred_on"] = DayField(FIELD_LABELS["occurred_on"],
                                                       validators=[Optional()])
        # The correction's own reason is carried from the first step under a name of its
        # own: the amended event may have a `reason` field too.
        attributes.update(corrects_version=HiddenField(), correction_reason=HiddenField(),
                          step=HiddenField(default="amend"),
                          confirmed=CheckboxesField(FIELD_LABELS["confirmed"],
                                                    validators=[Optional()]))
        _FORM_CLASSES[key] = type(f"Amend{target_type.title()}Form", (EventForm,), attributes)
    return _FORM_CLASSES[key]


def fill_choices(form: FlaskForm, event_type: str, project: dict[str, Any],
                 people: dict[str, Any], history: list[dict[str, Any]],
                 amending: bool = False, milestones: list[str] | None = None) -> None:
    """Offer what can be chosen for this project: its items, milestones and people, each by
    its name (people by their display names).

    `milestones` are those the project may still plan or reach (the domain's); when amending
    an event every milestone can be chosen (the one it names is reached).
    """
    blank = [("", "—")]
    team = [project["chief_agent"], *project.get("co_agents", [])] if "chief_agent" in project \
        else []
    for name, field in form._fields.items():
        spec = fields_of(event_type).get(name)
        if not isinstance(field, (SelectField, CheckboxesField)) or isinstance(field, RadioField):
            continue
        if name == "chief_agent":
            # Required, yet nobody is preset: a chief agent is chosen, never defaulted to.
            field.choices = blank + people_choices(people["agent"])
        elif name == "agent":  # the agent a firm rates is on the project's team
            field.choices = blank + people_choices(
                [u for u in people["agent"] if u["username"] in team])
        elif name == "co_agents":
            field.choices = people_choices(people["agent"])
        elif name == "confirmed":  # shown one by one, for what a sense check found
            field.choices = [(code, str(labels.label(UNUSUAL_LABELS, code)))
                             for code in (spec.choices if spec else UNUSUAL)]
        elif name == "leader":
            me = people.get("me")
            # A leader records their own instructions only.
            leaders = [me] if event_type == "instruction_given" and me and \
                me["role"] == "leader" else people["leader"]
            field.choices = (blank if len(leaders) != 1 else []) + people_choices(leaders)
        elif name == "milestone":
            offered = set(MILESTONE_LABELS) if amending or milestones is None else set(milestones)
            field.choices = [(code, str(text)) for code, text in MILESTONE_LABELS.items()
                             if code in offered]
        elif name == "escalated_to":
            field.choices = [(code, str(text)) for code, text in ESCALATION_LABELS.items()]
        elif name == "opinion":
            field.choices = [(code, str(text)) for code, text in OPINION_LABELS.items()]
        elif name == "review_id" and event_type == "park_review_condition_met":
            field.choices = [(r["id"], _review_choice(r)) for r in project.get("park_reviews", [])
                             if r["passed"]]
        elif name == "review_id":
            field.choices = [(r["id"], _review_choice(r)) for r in project.get("park_reviews", [])
                             if r["concluded_on"] is None]
        elif name == "department" and event_type == "park_review_opinion_given":
            field.choices = invited_choices(project.get("park_reviews", []))
            continue
        elif name == "condition":
            field.choices = [(c["number"], f"{r['id']} · {c['number']}. {c['text']}")
                             for r in project.get("park_reviews", []) if r["passed"]
                             for c in r["conditions"] if c["met_on"] is None]
        elif name == "action":
            field.choices = [(code, str(text)) for code, text in CORRECTION_LABELS.items()]
        elif name == "approval_id":
            field.choices = [(a["id"], f"{a['item']} · {a['department']}")
                             for a in project["approvals"] if _approval_fits(event_type, a)]
        elif name == "problem_id":
            fitting = [(p["id"], p["title"]) for p in project["problems"]
                       if _problem_fits(event_type, p)]
            field.choices = (blank if not (spec and spec.required) else []) + fitting
        elif name == "county":
            field.choices = blank + [(c["code"], f"{c['name']}（{c['city']}）")
                                     for c in people.get("counties", [])]
        elif name == "corrects_version":
            field.choices = [(e["version"], event_line(e, project)) for e in reversed(history)
                             if not e["void"] and e["type"] != "corrected"]
        else:
            continue
        field.choices = [SelectChoice(value, text) for value, text in field.choices]


def preset(form: FlaskForm, event_type: str, project: dict[str, Any],
           people: dict[str, Any]) -> None:
    """What a new form starts with beyond the date: the team as it is on a team change, the
    signed-in leader on their instruction, the project's leader on an escalation, and on a
    review's conclusion the open review with the conditions its opinions gave (to keep, edit
    or drop: the conclusion's own are what the project carries)."""
    me = people.get("me") or {}
    if event_type == "team_assigned":
        form.chief_agent.data = project["team"]["chief_agent"]
        form.co_agents.data = list(project["team"]["co_agents"])
        form.leader.data = project["team"]["leader"] or ""
    elif event_type == "instruction_given" and me.get("role") == "leader":
        form.leader.data = me["username"]
    elif event_type == "problem_escalated" and project.get("leader"):
        form.leader.data = project["leader"]
    elif event_type == "park_review_concluded":
        reviews = [r for r in project.get("park_reviews", []) if r["concluded_on"] is None]
        if len(reviews) == 1:  # only one is open since park_review_open (older histories: any)
            form.review_id.data = reviews[0]["id"]
            form.conditions.data = opinions_conditions(reviews[0])


def opinions_conditions(review: dict[str, Any]) -> list[dict[str, Any]]:
    """The conditions of a review's opinions given with conditions, each once, in the order
    of the invited departments."""
    given = {o["department"]: o for o in review["opinions"]}
    found: dict[tuple, dict[str, Any]] = {}
    for name in review["departments"]:
        opinion = given.get(name)
        if opinion and opinion["opinion"] == "agree_with_conditions":
            for c in opinion["conditions"]:
                found.setdefault((c["text"], c["party"], c["department"], c["due_on"]), c)
    return list(found.values())


def invited_choices(reviews: list[dict[str, Any]]) -> dict[str, list[SelectChoice]]:
    """The departments an opinion may be given for, by open review: first those that have
    not given theirs, then those that have (a later opinion replaces the earlier one)."""
    groups: dict[str, list[SelectChoice]] = {}
    for review in reviews:
        if review["concluded_on"] is not None:
            continue
        given = {o["department"] for o in review["opinions"]}
        title = _review_choice(review)
        groups[title] = [SelectChoice(d, d) for d in review["departments"] if d not in given]
        changing = [SelectChoice(d, d) for d in review["departments"] if d in given]
        if changing:
            groups[str(_l("%(review)s · changing an opinion given", review=title))] = changing
    return {title: choices for title, choices in groups.items() if choices}


def _review_choice(review: dict[str, Any]) -> str:
    """An open review as a form offers it: its convening date and who is invited."""
    return f"{review['convened_on'].isoformat()} · {'、'.join(review['departments'])}"


def _approval_fits(event_type: str, approval: dict[str, Any]) -> bool:
    if event_type in ("approval_granted", "approval_rejected"):
        return approval["status"] == "applied"
    if event_type == "commitment_fulfilled":
        commitment = approval["commitment"]
        return bool(commitment) and commitment["fulfilled_on"] is None
    return True


def _problem_fits(event_type: str, problem: dict[str, Any]) -> bool:
    if event_type == "problem_reopened":
        return problem["status"] == "resolved"
    if event_type == "instruction_given":
        return True
    return problem["status"] == "open"


def event_fields(form: FlaskForm, event_type: str) -> dict[str, Any]:
    """The form's values as the domain takes them (money in yuan, blanks as None)."""
    values: dict[str, Any] = {}
    specs = SIGNING_FIELDS if event_type == "signed" else EVENT_TYPES[event_type][1]
    for name in specs:
        if name not in form._fields:
            continue
        values[name] = _value(form._fields[name])
    return values


def _value(field: Field) -> Any:
    if isinstance(field, WanField):
        return field.yuan()
    data = form_value(field.data)
    if isinstance(data, list) and len(data) > MAX_LIST:
        return data[:MAX_LIST + 1]  # the domain names the field and refuses it
    return data


def amendments(form: FlaskForm, target: dict[str, Any]) -> dict[str, Any]:
    """The fields whose values differ from the event as it stands: the correction's changes."""
    changes: dict[str, Any] = {}
    for name, spec in fields_of(target["type"]).items():
        if name in NOT_AMENDABLE or name not in form._fields:
            continue
        value = _value(form._fields[name])
        if spec.kind in ("strings", "usernames", "conditions"):
            value = value or []
        if spec.kind == "bool":
            value = bool(value)
        if value != target["data"].get(name) and not (value is None and not spec.required
                                                      and target["data"].get(name) is None):
            changes[name] = value
    moved = form._fields.get("amend_occurred_on")
    if moved is not None and moved.data and moved.data != target["occurred_on"]:
        changes["occurred_on"] = moved.data
    return changes


def prefill_amendment(form: FlaskForm, target: dict[str, Any]) -> None:
    """Show the event's current values, so the user changes only what is wrong."""
    for name, value in target["data"].items():
        field = form._fields.get(name)
        if field is None or name in NOT_AMENDABLE:
            continue
        field.data = Decimal(value) / WAN if isinstance(field, WanField) and value is not None \
            else value
    if "amend_occurred_on" in form._fields:
        form.amend_occurred_on.data = target["occurred_on"]


"""Template filters: money in 万元/亿元, dates and times in the county's time zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask, g
from flask_babel import format_datetime, gettext

from app.web import labels
from domain.fields import as_condition
from domain.obligations import OFFICE

YI = 10**8    # 亿 = a hundred million yuan
WAN = 10**4   # 万 = ten thousand yuan


def money(yuan: int | None) -> str:
    """Integer yuan as Chinese officials write it: 亿元 from a hundred million, else 万元."""
    if yuan is None:
        return "—"
    if abs(yuan) >= YI:
        amount = Decimal(yuan) / YI
        return gettext("%(amount)s hundred million yuan", amount=_round(amount, 2))
    return gettext("%(amount)s ten thousand yuan", amount=_round(Decimal(yuan) / WAN, 1))


def _round(amount: Decimal, places: int) -> str:
    text = f"{amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def day(value: date | str | None) -> str:
    """A business date as YYYY-MM-DD (the form every Chinese office reads)."""
    if value is None:
        return "—"
    return value if isinstance(value, str) else value.isoformat()


def moment(value: datetime | str | None) -> str:
    """A recorded time in the county's time zone, to the second."""
    if value is None:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss")


def display_names() -> dict[str, str]:
    """Every registered user's display name by username, read once per request."""
    if "banban_people" not in g:
        from app.store import service

        g.banban_people = {u["username"]: u["display_name"] for u in service().users()}
    return g.banban_people


def display_name(username: str | None, names: Mapping[str, str] | None = None) -> str:
    """How a person is shown wherever a person reads a person: their display name, never a
    username (a name the record does not know, e.g. an account since removed, as it is)."""
    if not username:
        return "—"
    return (display_names() if names is None else names).get(username) or username


def person(username: str | None) -> str:
    """A user's display name (the template filter)."""
    return display_name(username)


def owner(who: str | None) -> str:
    """Who owns a flag or a reminder: a user, or (`office`, an escalation to it) the service
    centre itself."""
    return str(labels.ESCALATION_LABELS["office"]) if who == OFFICE else display_name(who)


def people_choices(users: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Users as a form offers them: by display name, a name two people share numbered."""
    seen: dict[str, int] = {}
    choices = []
    for user in users:
        name = user["display_name"] or user["username"]
        seen[name] = seen.get(name, 0) + 1
        choices.append((user["username"], name if seen[name] == 1
                        else gettext("%(name)s (%(n)s)", name=name, n=seen[name])))
    return choices


def subject_title(title: str, kind: str) -> str:
    """A flag's subject: a milestone in words, a problem or approval by its own title."""
    return labels.label(labels.MILESTONE_LABELS, title) if kind == "milestone" else title


def party(wait: Mapping[str, Any]) -> str:
    """Whom a project waits on (a wait of `waiting_on`), as a person reads it."""
    return labels.party_name(wait["party"], wait["name"], display_name)


def wait_item(item: Mapping[str, Any]) -> str:
    """What a wait is for: a milestone in words, documents under a commitment, a department's
    opinion in a park-entry review with its clock, an approval or a problem by its own title."""
    if item["kind"] == "commitment":
        return gettext("documents for %(item)s", item=item["title"])
    if item["kind"] == "condition":
        return gettext("the park-entry review's condition: %(item)s", item=item["title"])
    if item["kind"] == "park_review":
        return gettext("its opinion in the park-entry review (within %(n)s working days)",
                       n=item["within_working_days"])
    return subject_title(item["title"], item["kind"])


def wait_late(item: Mapping[str, Any]) -> str:
    """How late a wait is, after its working days, when its item has a clock it has passed
    (a department's opinion in a park-entry review); else nothing."""
    if not item.get("working_days_late"):
        return ""
    return gettext(" (%(n)s working days late)", n=item["working_days_late"])


def condition_text(condition: Any) -> str:
    """A park-entry review's condition: its text, whose it is and when due."""
    c = as_condition(condition)
    if c["party"] != "department" and not c["due_on"]:
        return c["text"]  # the investor's, with no date: as conditions were first recorded
    whose = c["department"] if c["party"] == "department" else gettext("the investor")
    if c["due_on"]:
        return gettext("%(text)s (%(whose)s, by %(due)s)", text=c["text"], whose=whose,
                       due=day(c["due_on"]))
    return gettext("%(text)s (%(whose)s)", text=c["text"], whose=whose)


def init_app(app: Flask) -> None:
    for function in (money, day, moment, person, owner, subject_title, party, wait_item,
                     condition_text, wait_late):
        app.add_template_filter(function)
    app.add_template_filter(labels.rule_text)
    # These two format with this module's filters, so they are imported here.
    from app.web.flag_reasons import reason_text
    from app.web.period_names import period_name

    app.add_template_filter(reason_text, "flag_reason")
    app.add_template_filter(period_name)
    words = {"event_label": labels.EVENT_LABELS, "milestone_label": labels.MILESTONE_LABELS,
             "phase_label": labels.PHASE_LABELS, "status_label": labels.STATUS_LABELS,
             "role_label": labels.ROLE_LABELS | labels.TEAM_ROLE_LABELS,
             "unavailable_label": labels.UNAVAILABLE_LABELS, "approval_status_label":
             labels.APPROVAL_STATUS_LABELS, "problem_status_label": labels.PROBLEM_STATUS_LABELS,
             "rule_name": labels.RULE_NAMES, "party_label": labels.PARTY_LABELS,
             "opinion_label": labels.OPINION_LABELS, "weekday_label": labels.WEEKDAY_LABELS}
    for name, table in words.items():
        app.add_template_filter(lambda code, table=table: labels.label(table, code), name)

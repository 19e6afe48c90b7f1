"""Why a flag is red or yellow, in a sentence of the reader's language, from its structured
reason (domain.clocks: the rule and the values it states), so no English sentence of the
domain's reaches a Chinese page. Flags published before reasons were recorded are worded from
their rule, subject, due date and thresholds."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import get_locale, gettext

from app.web import labels
from app.web.format import day


def reason_text(flag: dict[str, Any], judged_on: date | str | None = None) -> str:
    """The flag's reason in the reader's language: what the rule says of it on the day it was
    judged, then what its count admits (days off, days suspended, calendars not known)."""
    values = _values(flag, judged_on)
    return _space().join([_main(flag["rule"], values), *_notes(values)])


def _values(flag: dict[str, Any], judged_on: date | str | None) -> dict[str, Any]:
    """The reason's values, or those a flag without one still carries."""
    reason = flag.get("reason") or {}
    subject = flag["subject"]
    found = {"kind": subject["kind"], "title": subject["title"], "day": judged_on,
             "due_on": flag["due_on"], "promised_on": flag["due_on"],
             "working_days_late": flag["working_days_late"],
             "working_days_left": flag.get("working_days_left"), **flag.get("thresholds", {})}
    found.update(reason.get("values") or {})
    if found["kind"] == "milestone":
        found["title"] = labels.label(labels.MILESTONE_LABELS, found["title"])
    return found


def _main(rule: str, v: dict[str, Any]) -> str:
    facts = {"title": v["title"], "due": day(v["due_on"]), "end": day(v["day"]),
             "days": v["working_days_late"]}
    if rule == "milestone_overdue":
        return gettext("%(title)s was planned for %(due)s and is not reached on %(end)s: "
                       "%(days)s working days late.", **facts)
    if rule == "milestone_due_soon":
        return gettext("%(title)s is due by %(due)s, %(left)s working days after %(end)s, and "
                       "is not reached yet.", **facts, left=v["working_days_left"])
    if rule == "commitment_overdue":
        text = gettext("The documents promised for %(title)s were due by %(due)s and are not "
                       "supplied on %(end)s: %(days)s working days late.", **facts)
        if v.get("granted_on"):
            text += _space() + gettext(
                "It was granted on %(granted)s with documents missing: %(documents)s.",
                granted=day(v["granted_on"]),
                documents=gettext(", ").join(v.get("missing_documents") or ()))
        return text
    if rule == "condition_overdue":
        return gettext("The park-entry review's condition “%(title)s” was due by %(due)s and "
                       "is not met on %(end)s: %(days)s working days late.", **facts)
    if rule == "opinion_overdue":
        return gettext("%(title)s's opinion in the park-entry review convened on %(convened)s "
                       "was due within %(within)s working days, by %(due)s, and is not given "
                       "on %(end)s: %(days)s working days late.", **facts,
                       convened=day(v.get("convened_on")),
                       within=v.get("opinion_within_working_days"))
    if rule == "problem_not_solved_same_day":
        return gettext("The problem “%(title)s”, raised on %(due)s as one to solve the same "
                       "day, is still open on %(end)s.",
                       **facts | {"due": day(v.get("raised_on") or v["due_on"])})
    if rule == "problem_plan_late":
        return gettext("The problem “%(title)s” has no solution plan on %(end)s; one was due "
                       "within %(limit)s working days of its raising, by %(due)s.",
                       **facts, limit=v.get("plan_within_working_days", 2))
    if rule == "problem_follow_up_late":
        text = gettext("The problem “%(title)s” is old (open over %(old)s working days) and "
                       "must be followed up every %(every)s working days; a follow-up was due "
                       "by %(due)s.", **facts, old=v.get("old_after_working_days", 10),
                       every=v.get("follow_up_every_working_days", 5))
        since = _since(v)
        return text + _space() + since if since else text
    return gettext("%(rule)s: due by %(due)s.", rule=labels.label(labels.RULE_NAMES, rule),
                   **facts)


def _since(v: dict[str, Any]) -> str:
    """When an old problem was last looked at, if the reason says."""
    if v.get("since_kind") == "problem_followed_up":
        return gettext("It was last followed up on %(on)s.", on=day(v["since_on"]))
    if v.get("since_kind") == "problem_reopened":
        return gettext("It was reopened on %(on)s.", on=day(v["since_on"]))
    if v.get("old_on"):
        return gettext("It has not been followed up since it became old on %(on)s.",
                       on=day(v["old_on"]))
    return ""


def _notes(v: dict[str, Any]) -> list[str]:
    """What the count admits: a date moved off a day off, a replan, days suspended, years
    whose official calendar is not known."""
    notes = []
    if v["promised_on"] != v["due_on"]:
        notes.append(gettext("%(promised)s was a day off: it was due on the next working day, "
                             "%(due)s.", promised=day(v["promised_on"]), due=day(v["due_on"])))
    if v.get("previous"):
        notes.append(gettext("The plan was moved from %(previous)s.",
                             previous=day(v["previous"])))
    if v.get("paused_working_days"):
        notes.append(gettext("%(n)s working days while the project was suspended do not count.",
                             n=v["paused_working_days"]))
    if v.get("unknown_years"):
        notes.append(gettext("The official calendar for %(years)s is not known: its working "
                             "days are counted Monday to Friday.",
                             years=gettext(", ").join(map(str, v["unknown_years"]))))
    return notes


def _space() -> str:
    """What separates sentences: nothing in Chinese (each ends in 。), a space in English."""
    locale = get_locale()
    return "" if locale is not None and locale.language == "zh" else " "

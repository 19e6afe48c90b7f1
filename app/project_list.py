"""The project list's filters, search, sorting and totals, for its page (app/web/agents.py) and
the API (app/api/projects.py) alike."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from app.store import cards as cards_view
from app.store import service
from domain.collation import pinyin_key
from domain.lifecycle import PHASES, STATUSES


def _folded(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def search(cards: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    """The cards whose name or investor holds every word (width, case and spaces folded)."""
    wanted = [_folded(w) for w in words.split() if _folded(w)]
    return [c for c in cards
            if all(w in _folded(c["name"]) or w in _folded(c["summary"]["investor"])
                   for w in wanted)]


def _next_date(card: dict[str, Any]) -> str:
    upcoming = card["summary"]["next_milestone"]
    return str(upcoming["planned_on"]) if upcoming else str(date.max)


# The columns a list sorts by, and each one's key; names read in pinyin order.
SORTS = {
    "name": lambda c: pinyin_key(c["name"]),
    "investor": lambda c: pinyin_key(c["summary"]["investor"]),
    "investment": lambda c: c["summary"]["investment"],
    "phase": lambda c: PHASES.index(c["phase"]),
    "status": lambda c: STATUSES.index(c["status"]),
    "chief_agent": lambda c: c["chief_agent"],
    "next_milestone": _next_date,
    "late": lambda c: c["late"],
    "open_problems": lambda c: c["summary"]["open_problems"],
    "signed_on": lambda c: str(c["signed_on"]),
}


def sort(cards: list[dict[str, Any]], column: str, descending: bool) -> list[dict[str, Any]]:
    """The cards ordered by a column (then by name), ascending or descending."""
    ordered = sorted(cards, key=SORTS["name"])
    return sorted(ordered, key=SORTS[column], reverse=descending)


def totals(cards: list[dict[str, Any]], judged: bool) -> dict[str, int]:
    """How many projects, their total investment and investment completed, and (of judged
    cards) their items late."""
    found = {"count": len(cards),
             "investment": sum(c["summary"]["investment"] for c in cards),
             "investment_completed": sum(c["summary"]["investment_completed"] for c in cards)}
    if judged:
        found["late"] = sum(c["late"] for c in cards)
    return found


# The filters a reader picks: the projects whose team they are on; those they lead (我分管).
FILTERS = ("mine", "supervised")


def projects(reader: str, *, county: str | None, home: str | None, phase: str | None = None,
             status: str | None = None, agent: str | None = None, chosen: str | None = None,
             words: str = "", column: str | None = None, descending: bool = False,
             judged: bool = False) -> list[dict[str, Any]]:
    """The cards of a project list as its reader asked: filtered (phase, status, a team
    member, the reader's `chosen` filter), searched, judged (each one's next milestone's
    colour and items late, read from every project's history: asked for, or to sort by
    `late`) and sorted by a column (none: signing order)."""
    found = cards_view().view.cards(agent=agent or (reader if chosen == "mine" else None),
                                    phase=phase, status=status, county=county, home=home)
    if chosen == "mine":
        found = [c for c in found if reader in _team(c)]
    elif chosen == "supervised":
        found = [c for c in found if c["summary"]["leader"] == reader]
    found = search(found, words)
    if judged or column == "late":
        _judge(found)
    return found if column is None else sort(found, column, descending)


def _team(card: dict[str, Any]) -> list[str]:
    return [card["summary"]["chief_agent"], *card["summary"]["co_agents"]]


def _judge(cards: list[dict[str, Any]]) -> None:
    """Give each card its next milestone's colour and its items late, by the rules today."""
    colours = service().list_colours([c["project_id"] for c in cards])
    for card in cards:
        judged = colours[card["project_id"]]
        upcoming = card["summary"]["next_milestone"]
        card["colour"] = upcoming and judged["milestone_colours"].get(upcoming["milestone"])
        card["late"] = judged["late"]

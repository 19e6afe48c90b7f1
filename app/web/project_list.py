"""The project list's search, sorting and totals (the page in app/web/agents.py)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

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


def totals(cards: list[dict[str, Any]]) -> dict[str, int]:
    """How many projects, their total investment and investment completed, items late."""
    return {"count": len(cards),
            "investment": sum(c["summary"]["investment"] for c in cards),
            "investment_completed": sum(c["summary"]["investment_completed"] for c in cards),
            "late": sum(c["late"] for c in cards)}

"""Canonical JSON: sorted keys, ISO dates, ids as text; equal data always gives equal bytes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID


def to_json(value: Any) -> str:
    """The canonical JSON text of plain data (dicts, lists, dates, UUIDs, numbers, text)."""
    return json.dumps(value, default=_plain, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, date):  # datetimes too: isoformat keeps the offset
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")

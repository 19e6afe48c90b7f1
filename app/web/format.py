"""Template filters: money in 万元/亿元, dates and times in the county's time zone."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from flask_babel import format_datetime, gettext

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


def init_app(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(day)
    app.add_template_filter(moment)

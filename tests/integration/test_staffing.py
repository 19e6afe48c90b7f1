"""Which users an office manages: those of its own county (every county's for the province's
office), with the name shown changed as an event of the user."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, NotAllowed

ANFU, TAIHE = ("360829", "安福县", "吉安市"), ("360826", "泰和县", "吉安市")


@pytest.fixture
def counties(service):
    for county in (ANFU, TAIHE):
        service.add_county(*county, actor="test")
    service.register_user("taihe_office", "office", actor="test", scope=TAIHE[0])
    service.register_user("taihe_agent", "agent", actor="test", scope=TAIHE[0])
    service.register_user("province", "office", actor="test", scope="province")
    return service


def test_an_office_manages_its_own_countys_users_only(counties):
    assert "taihe_agent" not in [u["username"] for u in counties.managed_users("office")]
    assert [u["username"] for u in counties.managed_users("taihe_office")] == [
        "taihe_office", "taihe_agent"]
    with pytest.raises(NotAllowed):
        counties.check_manages("office", "taihe_agent")
    with pytest.raises(NotAllowed):
        counties.check_manages("office", scope=TAIHE[0])
    with pytest.raises(NotAllowed):
        counties.check_manages("zhang", "li")
    counties.check_manages("province", "taihe_agent")


def test_a_rename_is_an_event_of_the_user(service):
    service.rename_user("li", "李娜", actor="office")

    assert service.user("li")["display_name"] == "李娜"
    assert [(h["type"], h["actor"]) for h in service.user_history("li")][-1] == (
        "Renamed", "office")
    with pytest.raises(DomainError) as same:
        service.rename_user("li", "李娜", actor="office")
    assert same.value.code == "no_change"

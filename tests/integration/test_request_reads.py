"""A request looks each user up once (Banban.looking_up_once); outside one, every look is
fresh. A worker keeps the home county once it is listed."""

from __future__ import annotations

import pytest

from domain.application import Banban
from tests.conftest import TODAY


@pytest.fixture
def other(store_env):
    """A second application on the same store: another worker."""
    banban = Banban(env=store_env, clock=lambda: TODAY)
    yield banban
    banban.close()


def test_a_request_keeps_its_first_look_at_a_user_to_its_end(service, other, monkeypatch):
    token = service.issue_token("zhang", actor="test")
    reads = []
    get = service._reads.get
    monkeypatch.setattr(service._reads, "get", lambda *a, **k: reads.append(a) or get(*a, **k))
    with service.looking_up_once():
        assert service.authenticate_token(token)["username"] == "zhang"
        other.disable_user("zhang", actor="office")
        # Checked at the request's first look: as if the request had been made before.
        assert service.user("zhang")["disabled"] is False
        assert service.authenticate_token(token)["username"] == "zhang"
    assert len(reads) == 1
    assert service.user("zhang")["disabled"] is True
    assert service.authenticate_token(token) is None


def test_outside_a_request_every_look_is_fresh(service, other):
    token = service.issue_token("zhang", actor="test")
    assert service.authenticate_token(token)["username"] == "zhang"
    other.disable_user("zhang", actor="office")
    assert service.authenticate_token(token) is None


def test_a_request_that_saves_looks_again(service):
    with service.looking_up_once():
        assert service.user("li")["disabled"] is False
        service.disable_user("li", actor="office")
        assert service.user("li")["disabled"] is True


def test_each_request_looks_afresh(service, other):
    with service.looking_up_once():
        assert service.user("wang")["disabled"] is False
    other.disable_user("wang", actor="office")
    with service.looking_up_once():
        assert service.user("wang")["disabled"] is True


def test_a_county_another_worker_lists_is_home_at_once(service, other):
    assert service.home_county() is None
    other.add_county("360829", "安福县", "吉安市", actor="test")
    assert service.home_county() == "360829"


def test_with_no_county_listed_a_request_looks_at_the_counties_once(service, other,
                                                                    monkeypatch):
    """A single county that never listed itself: each request checking scopes (twice in a
    write) reads the counties once; the next request looks afresh."""
    reads = []
    select = service.recorder.select_events
    monkeypatch.setattr(service.recorder, "select_events",
                        lambda *a, **k: reads.append(a) or select(*a, **k))
    with service.looking_up_once():
        assert service.home_county() is None
        assert service.home_county() is None
    assert len(reads) == 1
    other.add_county("360829", "安福县", "吉安市", actor="test")
    with service.looking_up_once():
        assert service.home_county() == "360829"


def test_the_home_county_once_known_is_not_looked_up_again(service, other, monkeypatch):
    """Counties are only added, the home county is the first: it never changes once listed."""
    service.add_county("360829", "安福县", "吉安市", actor="test")
    assert service.home_county() == "360829"
    other.add_county("360824", "新干县", "吉安市", actor="test")
    reads = []
    select = service.recorder.select_events
    monkeypatch.setattr(service.recorder, "select_events",
                        lambda *a, **k: reads.append(a) or select(*a, **k))
    assert service.home_county() == "360829"
    assert reads == []
    assert [c["code"] for c in service.counties()] == ["360829", "360824"]

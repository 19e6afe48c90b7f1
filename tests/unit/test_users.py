"""The User aggregate: registration, tokens, disabling."""

from __future__ import annotations

import pytest

from domain.errors import DomainError, InvalidValue
from domain.users import User, digest, user_id


@pytest.fixture(scope="session")
def make_user():
    """A factory of registered users; keyword arguments override the registration."""

    def make(**overrides) -> User:
        fields = {"username": "zhang", "role": "agent", "display_name": "张三",
                  "password_hash": "hash-1", "actor": "admin"} | overrides
        return User.register(**fields)

    return make


def test_registering_makes_an_enabled_user_found_by_its_name(make_user):
    user = make_user(username="li.wei", role="office", display_name=None)

    view = user.as_dict()
    assert view.pop("created_at") is not None
    assert view == {
        "username": "li.wei", "role": "office", "display_name": "li.wei", "disabled": False,
        "sessions_ended_at": None, "scope": None,
    }
    assert user.id == user_id("li.wei")


def test_the_user_view_leaves_the_password_hash_out(make_user):
    assert "hash-1" not in repr(make_user().as_dict())


@pytest.mark.parametrize("username", [
    "", "z", "Zhang", "1zhang", "zhang wei", "张三", "z" * 33, None, 7,
])
def test_a_username_is_lowercase_and_starts_with_a_letter(make_user, username):
    with pytest.raises(InvalidValue) as info:
        make_user(username=username)

    assert info.value.field == "username"


@pytest.mark.parametrize("role", ["admin", "", None, "Office"])
def test_a_role_is_one_of_the_four(make_user, role):
    with pytest.raises(InvalidValue) as info:
        make_user(role=role)

    assert info.value.field == "role"


def test_a_blank_display_name_falls_back_to_the_username(make_user):
    assert make_user(username="zhang", display_name="   ").display_name == "zhang"


def test_a_token_is_the_username_and_a_secret(make_user):
    user = make_user(username="li.wei")

    token = user.issue_token(actor="admin")

    username, _, secret = token.rpartition(".")
    assert username == "li.wei"
    assert len(secret) >= 32
    assert user.accepts_token_secret(secret)


def test_only_the_tokens_digest_is_recorded(make_user):
    user = make_user()

    secret = user.issue_token(actor="admin").rpartition(".")[2]

    assert user.token_digests == [digest(secret)]
    assert secret not in repr(user.collect_events())


@pytest.mark.parametrize("wrong", ["", "wrong", "zhang"])
def test_a_wrong_secret_is_refused(make_user, wrong):
    user = make_user()
    user.issue_token(actor="admin")

    assert not user.accepts_token_secret(wrong)


def test_the_whole_token_is_not_a_secret(make_user):
    user = make_user()

    token = user.issue_token(actor="admin")

    assert not user.accepts_token_secret(token)


def test_another_users_secret_is_refused(make_user):
    zhang, li = make_user(username="zhang"), make_user(username="li")

    secret = li.issue_token(actor="admin").rpartition(".")[2]

    assert not zhang.accepts_token_secret(secret)


def test_every_issued_token_stays_valid(make_user):
    user = make_user()

    secrets = [user.issue_token(actor="admin").rpartition(".")[2] for _ in range(2)]

    assert secrets[0] != secrets[1]
    assert all(user.accepts_token_secret(s) for s in secrets)


def test_a_user_without_tokens_accepts_no_secret(make_user):
    assert not make_user().accepts_token_secret("anything")


def test_disabling_a_disabled_user_is_no_change(make_user):
    user = make_user()
    user.disable(actor="admin", reason="left the county")
    version = user.version

    with pytest.raises(DomainError) as info:
        user.disable(actor="admin")

    assert (info.value.code, info.value.field) == ("no_change", "username")
    assert user.version == version


def test_enabling_an_enabled_user_is_no_change(make_user):
    user = make_user()

    with pytest.raises(DomainError) as info:
        user.enable(actor="admin")

    assert (info.value.code, user.version) == ("no_change", 1)


def test_a_disabled_user_can_be_enabled_again(make_user):
    user = make_user()
    user.disable(actor="admin")

    user.enable(actor="admin")

    assert user.disabled is False


def test_setting_a_password_replaces_the_hash(make_user):
    user = make_user(password_hash="hash-1")

    user.set_password("hash-2", actor="zhang")

    assert user.password_hash == "hash-2"


def test_replaying_a_users_events_rebuilds_the_user(make_user, replay):
    user = make_user()
    secret = user.issue_token(actor="admin").rpartition(".")[2]
    user.set_password("hash-2", actor="zhang")
    user.disable(actor="admin")

    rebuilt = replay(user.collect_events())

    assert rebuilt.as_dict() == user.as_dict()
    assert (rebuilt.password_hash, rebuilt.accepts_token_secret(secret)) == ("hash-2", True)

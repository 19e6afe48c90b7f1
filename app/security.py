"""Passwords (argon2 hashes, strength by zxcvbn) and bearer tokens for the API."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 is "safely unguessable" (about 10^8 guesses or more)
# Words an attacker of this site would try first, besides the user's own names.
SITE_WORDS = ["banban", "帮办代办", "anfu", "安福", "daiban"]


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash. A user without a password (or none at all) is
    checked against a hash of a random secret, so that every failure takes as long as a wrong
    password: timing tells nothing about which usernames exist."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a secret nobody knows, with the same work factor as every real one."""
    return _hasher.hash(secrets.token_urlsafe(32))


@dataclass(frozen=True)
class WeakPassword:
    """Why a new password is refused: `too_short` or `guessable`, and in English words."""

    code: str
    message: str


def password_problem(password: str, *user_inputs: str | None) -> WeakPassword | None:
    """Why a new password is not good enough, or None: at least 10 characters, and not
    guessable by zxcvbn's estimate (score 3 or more), the user's own names counted as known
    words."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return WeakPassword("too_short",
                            f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    words = [w for w in user_inputs if w] + SITE_WORDS
    # zxcvbn's word lists take 12 MB: loaded by the worker that first checks a password.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with the length; what matters is in the first 100 characters.
    verdict = zxcvbn(password[:100], user_inputs=words)
    if verdict["score"] < MIN_PASSWORD_SCORE:
        warning = verdict["feedback"]["warning"].rstrip(".")
        return WeakPassword("guessable", "this password is too easy to guess"
                            + (f": {warning}" if warning else ""))
    return None


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()

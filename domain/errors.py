"""Errors the domain raises; each has a machine-readable code and names the field at fault."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule was broken; nothing was recorded."""

    code = "rule_broken"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class InvalidValue(DomainError):
    """A field's value is not acceptable on its own (wrong kind, out of range, unknown code)."""

    code = "invalid_field"


class ProjectNotFound(Exception):
    """No project has this id (or it did not exist at the requested point in time)."""

    def __init__(self, project_id: object, message: str | None = None):
        super().__init__(message or f"project {project_id} not found")
        self.project_id = project_id


class ReportInPreparation(Exception):
    """A report lacks more of its projects' parts than one request may spend making
    (domain.dispatch_parts.making_for): those made are kept, so asking again goes on from
    where this stopped. `made`: what a maker had made when it stopped (see
    domain.dispatch_parts.Make), for the caller to keep."""

    def __init__(self, made: list | None = None):
        super().__init__("the report's parts are being made; what was made is kept: ask again")
        self.made = made or []


class CountyNotFound(Exception):
    """No county of this code is listed here, or the reader may not see it."""

    def __init__(self, code: object):
        super().__init__(f"county {code} not found")
        self.code = code


class UserNotFound(Exception):
    """No user has this username."""

    def __init__(self, username: str):
        super().__init__(f"user {username!r} not found")
        self.username = username


class ConcurrentUpdate(Exception):
    """The project moved on since the version the client saw; reload and retry. Or what a
    command made was overtaken as it was saved (`message` says what; no field of the request
    is to blame)."""

    def __init__(self, expected_version: int, actual_version: int | None, *,
                 message: str | None = None):
        super().__init__(message or (
            f"expected_version {expected_version} is stale"
            + (f": the project is at version {actual_version}" if actual_version else "")
            + "; reload the project and retry"))
        self.expected_version = expected_version
        self.actual_version = actual_version
        self.field = None if message else "expected_version"


class NotAllowed(Exception):
    """The actor's role or team membership does not permit this action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StoreKeyError(Exception):
    """The stored events cannot be read with the cipher key given (CIPHER_KEY), or without one."""

"""One Banban application and its views per process, built on first use (after gunicorn forks,
never at import)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from datetime import date
from typing import Any, TypeVar

from flask import Flask, current_app, g

from app.config import ConfigError, store_env
from app.state import WebState, open_web_state
from domain.application import Banban, county_today
from domain.dispatch_parts import making_for
from domain.errors import StoreKeyError
from projections.cards import ProjectCards, open_cards_view
from projections.directory import Directory
from projections.dispatch_parts import open_parts_store
from projections.people import People, open_people_view
from projections.publications import Publications, open_publications_view
from projections.reminders import ProjectReminders, open_reminders_view
from projections.runner import catch_up

_Projection = TypeVar("_Projection")


class Store:
    """Builds the application lazily and rebuilds it in a forked child process."""

    def __init__(self, env: dict[str, str], clock: Callable[[], date]):
        self.env = env
        self.clock = clock
        self._lock = threading.Lock()
        self._service: Banban | None = None
        self._cards: ProjectCards | None = None
        self._reminders: ProjectReminders | None = None
        self._people: People | None = None
        self._publications: Publications | None = None
        self._web: WebState | None = None
        self._pid: int | None = None

    def get(self) -> Banban:
        """The process's application; a fork gets its own (connections are not shared).

        ConfigError (naming CIPHER_KEY) when the stored events cannot be read with the key.
        """
        pid = os.getpid()
        if self._service is None or self._pid != pid:
            with self._lock:
                if self._service is None or self._pid != pid:
                    try:
                        service = Banban(env=self.env, clock=self.clock)
                    except StoreKeyError as error:
                        raise ConfigError(str(error)) from None
                    self._cards = self._reminders = self._people = self._web = None
                    self._publications = None
                    # Reports and lists find a county's projects in the cards, not the log,
                    # and reports are assembled from the projects' kept parts.
                    service.directory = Directory(service, self.cards)
                    # The users are listed from the people view (as caught up as the cards).
                    service.people_view = lambda: self.people().view
                    service.publications_view = lambda: self.publications().view
                    # Handed out only once whole: a store that failed to open (its parts'
                    # table, say) is opened again by the next request, not left without it.
                    service.kept_parts = open_parts_store(service)
                    self._service, self._pid = service, pid
        return self._service

    def cards(self) -> ProjectCards:
        """The project cards projection, caught up with every event recorded so far."""
        return self._caught_up(self.cards_unsynced())

    def _caught_up(self, projection: _Projection) -> _Projection:
        """A projection, caught up with every event recorded so far.

        Catching up in the reading request is what makes the views read-your-writes with any
        number of workers: whichever process reads first applies what is new, exactly once.
        """
        catch_up(self.get(), projection)
        return projection

    def cards_unsynced(self) -> ProjectCards:
        """The project cards projection as it stands (for rebuilds and status)."""
        return self._projection("_cards", lambda s: ProjectCards(open_cards_view(s), s))

    def reminders(self) -> ProjectReminders:
        """The reminders projection, caught up with every event and swept today (as the
        cards are: whichever process reads first applies what is new, exactly once)."""
        reminders = self._caught_up(self.reminders_unsynced())
        reminders.sweep()
        return reminders

    def reminders_unsynced(self) -> ProjectReminders:
        """The reminders projection as it stands (for rebuilds and status)."""
        return self._projection(
            "_reminders", lambda s: ProjectReminders(open_reminders_view(s), s))

    def people(self) -> People:
        """The people projection (every user), caught up as the cards are."""
        return self._caught_up(self.people_unsynced())

    def people_unsynced(self) -> People:
        """The people projection as it stands (for rebuilds and status)."""
        return self._projection("_people", lambda s: People(open_people_view(s), s))

    def publications(self) -> Publications:
        """The publications projection (every revision published), caught up as the cards
        are."""
        return self._caught_up(self.publications_unsynced())

    def publications_unsynced(self) -> Publications:
        """The publications projection as it stands (for rebuilds and status)."""
        return self._projection(
            "_publications", lambda s: Publications(open_publications_view(s), s))

    def views(self) -> dict[str, Any]:
        """Every projection the events keep, by what the CLI calls it, as it stands."""
        return {"project cards": self.cards_unsynced(), "reminders": self.reminders_unsynced(),
                "people": self.people_unsynced(), "publications": self.publications_unsynced()}

    def web_state(self) -> WebState:
        """The sessions and sign-in counters every worker shares (app/state.py)."""
        return self._projection("_web", open_web_state)

    def _projection(self, attribute: str, make: Callable[[Banban], Any]) -> Any:
        """The process's projection (or web state) kept in `attribute`, made on first use."""
        service = self.get()
        if getattr(self, attribute) is None:
            with self._lock:
                if getattr(self, attribute) is None:
                    setattr(self, attribute, make(service))
        return getattr(self, attribute)

    def request_unit(self) -> AbstractContextManager[None]:
        """What a request runs in: each user looked up once (Banban.looking_up_once), once
        this process has built its application (a request that builds it goes without)."""
        if self._service is None or self._pid != os.getpid():
            return nullcontext()
        return self._service.looking_up_once()

    def close(self) -> None:
        """Close the application's connections (tests, CLI)."""
        if self._pid == os.getpid():
            for projection in (self._cards, self._reminders, self._people, self._publications):
                if projection is not None:
                    projection.view.close()
            if self._web is not None:
                self._web.close()
            if self._service is not None:
                if self._service.kept_parts is not None:
                    self._service.kept_parts.close()
                self._service.close()
        self._service = self._cards = self._reminders = self._people = self._web = None
        self._publications = None


def init_app(app: Flask) -> None:
    """Attach a lazily-built store to the Flask app (every event it records is linked into
    the hash chain in the transaction that records it: domain.ledger)."""
    clock = app.config.get("BANBAN_CLOCK") or county_today
    store = app.extensions["banban.store"] = Store(store_env(app.config, app.instance_path),
                                                   clock)

    @app.before_request
    def _begin_unit() -> None:
        g.banban_unit = ExitStack()
        g.banban_unit.enter_context(store.request_unit())
        # A report lacking more parts than this request may spend making them keeps those it
        # made and answers "in preparation" (domain.dispatch_parts.making_for).
        g.banban_unit.enter_context(making_for(
            app.config.get("BANBAN_REPORT_MAKING_MS", 0) / 1000))

    @app.teardown_request
    def _end_unit(_error: BaseException | None) -> None:
        unit = g.pop("banban_unit", None)
        if unit is not None:
            unit.close()


def service() -> Banban:
    """The current process's Banban application."""
    return current_app.extensions["banban.store"].get()


def cards() -> ProjectCards:
    """The current process's project cards, caught up."""
    return current_app.extensions["banban.store"].cards()


def reminders() -> ProjectReminders:
    """The current process's reminders, caught up and swept today."""
    return current_app.extensions["banban.store"].reminders()

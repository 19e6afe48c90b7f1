"""`flask audit ...`: verify the record against its hash chain, accept events written outside
the application, replay the views, list the seals, export and import the whole log. The work is
in `audit/`; these are the words around it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict

import click
from flask import current_app
from flask.cli import AppGroup

from app.audit.importing import import_log
from app.audit.records import verify_store
from app.audit.replay import replay
from app.audit.transfer import ExportFile, TransferError, export_log
from app.cli_common import actor
from app.store import service
from domain.chain import audit_key, short_code
from domain.errors import DomainError
from domain.verification import Verdict
from projections.runner import catch_up

audit = AppGroup("audit", help="Check the record: hash chain, acceptances, replay, seals, "
                               "export and import.")

_PROGRESS = click.option(
    "--progress/--no-progress", default=None,
    help="Show progress (default: when the output is a terminal).")


def _store():
    return current_app.extensions["banban.store"]


@contextmanager
def _progress(show: bool | None, total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress callback taking the count done: a bar on a terminal, lines elsewhere."""
    if show is None:
        show = sys.stdout.isatty()
    if not show or total <= 0:
        yield lambda done: None
        return
    if sys.stdout.isatty():
        with click.progressbar(length=total, label=label, show_pos=True) as bar:
            shown = [0]

            def update(done: int) -> None:
                bar.update(done - shown[0])
                shown[0] = done

            yield update
        return
    step, next_line = max(total // 10, 1), [0]

    def lines(done: int) -> None:
        if done >= next_line[0] or done == total:
            click.echo(f"{label}: {done}/{total}")
            next_line[0] = done + step

    yield lines


@audit.command("verify")
@click.option("--file", "export_path", type=click.Path(dir_okay=False),
              help="Verify an export file offline, with no access to the store.")
@click.option("--head", "head", metavar="HEX",
              help="A chain head (64 hex digits) the record must have passed through.")
@click.option("--seal", "code", metavar="CODE",
              help="A seal's short code (e.g. 7KQ2-M4ZD-XH3A-PL6C) the record must have passed "
                   "through.")
@_PROGRESS
def verify_command(export_path: str | None, head: str | None, code: str | None,
                   progress: bool | None):
    """Recompute the hash chain from the stored events and check it against the stored links
    and seals; exit 1 naming the first change and every event without its link, 0 with the
    head when intact.

    Nothing is written: an event without its link stays so until `flask audit accept`.
    """
    expected = _expected_head(head, code)
    if export_path is not None:
        try:
            with ExportFile(export_path) as export:
                click.echo(f"{export_path}: exported {export.header.get('exported_at')}, "
                           f"{export.header['events']} events")
                key = export.key(_environment_key())
                with _progress(progress, export.header["events"], "verifying") as update:
                    verdict = export.verify(expected, progress=update, key=key)
        except TransferError as error:
            raise click.ClickException(str(error)) from None
    else:
        banban = service()
        total = banban.recorder.max_notification_id() or 0
        with _progress(progress, total, "verifying") as update:
            verdict = verify_store(banban, expected_head=expected, progress=update)
    _report(verdict, expected)


def _expected_head(head: str | None, code: str | None) -> str | None:
    """The head or short code given (at most one of them)."""
    if head and code:
        raise click.UsageError("give --head or --seal, not both")
    if head is not None and len(head.strip()) != 64:
        raise click.BadParameter("a head is 64 hex digits (use --seal for a short code)",
                                 param_hint="--head")
    return head or code


def _environment_key() -> bytes | None:
    """AUDIT_KEY (checked with the rest of the configuration), for a file and no store."""
    return audit_key(current_app.config.get("AUDIT_KEY"))


def _report(verdict: Verdict, expected: str | None) -> None:
    for accepted in verdict.accepted:
        click.echo(f"accepted: {accepted}")
    if not verdict.intact:
        for unlinked in verdict.unlinked[:50]:
            click.echo(f"NOT INTACT: {unlinked}", err=True)
        if len(verdict.unlinked) > 50:
            click.echo(f"... and {len(verdict.unlinked) - 50} more events without their link",
                       err=True)
        if verdict.finding is not None:
            click.echo(f"NOT INTACT: {verdict.finding}", err=True)
            click.echo(f"(the {verdict.linked} events before it match their links)", err=True)
        else:
            click.echo(f"(the other {verdict.linked} events match their links, "
                       f"{verdict.seals} seals)", err=True)
        sys.exit(1)
    click.echo(f"intact: {verdict.linked} events match their links, {verdict.seals} seals")
    if expected is not None:
        click.echo(f"{expected} is the head after {verdict.head_found_at} events")
    click.echo(f"head: {verdict.head}")
    click.echo(f"code: {verdict.code}")


@audit.command("accept")
@click.option("--position", "positions", type=click.IntRange(min=1), multiple=True,
              required=True, help="The place in the log of an event without its link, as "
                                  "verify names it (repeat for several).")
@click.option("--reason", required=True, help="Why these events belong to the record.")
def accept_command(positions: tuple[int, ...], reason: str):
    """Link events written without their link, by a decision recorded as an event (who, when,
    why, which events), after verifying the record; nothing else is linked."""
    banban = service()
    verdict = verify_store(banban)
    if verdict.finding is not None:
        raise click.ClickException(f"the record does not verify ({verdict.finding}): accept "
                                   "links only events written without their link")
    unlinked = {finding.position: finding for finding in verdict.unlinked}
    missing = [str(p) for p in positions if p not in unlinked]
    if missing:
        listed = ", ".join(str(p) for p in unlinked) or "none"
        raise click.ClickException(f"no event without its link at position "
                                   f"{', '.join(missing)} (those without: {listed})")
    chosen = [unlinked[p] for p in dict.fromkeys(positions)]
    try:
        result = banban.accept_unlinked(actor(), reason, [asdict(f) for f in chosen])
    except DomainError as error:
        raise click.ClickException(error.message) from None
    for finding in chosen:
        click.echo(f"accepted position {finding.position} (notification "
                   f"{finding.notification_id}, {finding.originator_id} "
                   f"v{finding.originator_version})")
    click.echo(f"recorded as decision {result['id']} by {actor()}: {reason}")
    click.echo(f"head: {result['head']}")
    click.echo(f"code: {short_code(result['head'])}")


@audit.command("seals")
def seals_command():
    """List the seals: each period end and publication, with its head's short code."""
    click.echo(f"{'seal':<58} {'events':>8}  code")
    for seal in service().recorder.chain_seals():
        click.echo(f"{seal.label:<58} {seal.position:>8}  {seal.code}")


@audit.command("replay")
@_PROGRESS
def replay_command(progress: bool | None):
    """Rebuild every view from the events into a scratch store and compare it row by row with
    the live one (of the reminders, what the events derive today); exit 1 listing the
    differences."""
    store = _store()
    banban = service()
    total = banban.recorder.max_notification_id() or 0
    live = {"cards": store.cards_unsynced(), "reminders": store.reminders_unsynced(),
            "people": store.people_unsynced(), "publications": store.publications_unsynced()}
    with _progress(progress, total * len(live), "replaying") as update:
        offsets = {name: n * total for n, name in enumerate(live)}
        result = replay(banban, live, progress=lambda name, done, _: update(offsets[name] + done))
    for name, tables in result.rows.items():
        counts = ", ".join(f"{table} {count}" for table, count in tables.items())
        click.echo(f"{name}: {counts} rows")
    click.echo(f"replayed up to notification {result.position}")
    click.echo("reminders compared: the events' while news (14 days), what is owed today; "
               "what people read is theirs, not the events'")
    if result.differences:
        for difference in result.differences[:50]:
            click.echo(f"DIFFERS: {difference}", err=True)
        more = len(result.differences) - 50
        if more > 0:
            click.echo(f"... and {more} more", err=True)
        click.echo(f"{len(result.differences)} rows differ", err=True)
        sys.exit(1)
    click.echo("identical: every live row equals its replay")


@audit.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@_PROGRESS
def export_command(path: str, progress: bool | None):
    """Write the whole event log (plaintext), its links and seals to FILE as JSON Lines."""
    banban = service()
    with _progress(progress, banban.recorder.max_notification_id() or 0, "exporting") as update:
        try:
            header, verdict = export_log(banban, path, progress=update)
        except OSError as error:
            raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
    if not verdict.intact:
        found = verdict.finding or verdict.unlinked[0]
        click.echo(f"WARNING: the store is NOT INTACT ({found}); exported as it stands",
                   err=True)
    click.echo(f"exported {header['events']} events, {header['seals']} seals to {path}")
    click.echo(f"head: {header['head']}")
    click.echo(f"code: {header['code']}")


@audit.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--head", "head", metavar="HEX",
              help="The head `flask audit export` printed: the file must end exactly there.")
@click.option("--seal", "code", metavar="CODE",
              help="The short code `flask audit export` printed: the file must end there.")
@click.option("--resume", is_flag=True,
              help="Carry on an interrupted import (the store must hold the file's first events).")
@_PROGRESS
def import_command(path: str, head: str | None, code: str | None, resume: bool,
                   progress: bool | None):
    """Load an export FILE into an empty store, every event checked before any is written
    (nothing written if any check fails)."""
    expected = _expected_head(head, code)
    banban = service()
    try:
        with ExportFile(path) as export:
            total = export.header["events"]
        with _progress(progress, total, "importing") as update:
            result = import_log(banban, path, resume=resume, expected_head=expected,
                                progress=lambda done, _: update(done))
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    catch_up(banban, _store().cards_unsynced())
    resumed = f" (resumed after {result['resumed_after']})" if result["resumed_after"] else ""
    click.echo(f"imported {result['events']} events{resumed}; the chain ends at the file's head")
    click.echo(f"head: {result['head']}")
    click.echo(f"code: {result['code']}")

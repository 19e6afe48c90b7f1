"""`flask audit ...`: verify the record against its hash chain, replay the views, list the seals,
export and import the whole log. The work is in `audit/`; these are the words around it."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup

from app.store import service
from app.audit.records import verify_store
from app.audit.replay import replay
from app.audit.transfer import ExportFile, TransferError, export_log, import_log
from domain.chain import short_code
from domain.verification import Verdict
from projections.chain import EventChain
from projections.runner import catch_up

audit = AppGroup("audit", help="Check the record: hash chain, replay, seals, export and import.")

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
@click.option("--no-link", is_flag=True,
              help="Leave the events recorded since the chain last caught up unlinked.")
@_PROGRESS
def verify_command(export_path: str | None, head: str | None, code: str | None, no_link: bool,
                   progress: bool | None):
    """Recompute the hash chain from the stored events and check it against the stored links
    and seals; exit 1 naming the first change, 0 with the head when intact.

    When the record is intact, the events recorded since the chain last caught up are then
    linked (unless --no-link), so that the next verification covers them.
    """
    if head and code:
        raise click.UsageError("give --head or --seal, not both")
    if head is not None and len(head.strip()) != 64:
        raise click.BadParameter("a head is 64 hex digits (use --seal for a short code)",
                                 param_hint="--head")
    expected = head or code
    if export_path is not None:
        try:
            with ExportFile(export_path) as export:
                click.echo(f"{export_path}: exported {export.header.get('exported_at')}, "
                           f"{export.header['events']} events")
                with _progress(progress, export.header["events"], "verifying") as update:
                    verdict = export.verify(expected, progress=update)
        except TransferError as error:
            raise click.ClickException(str(error)) from None
    else:
        banban, chain = service(), _store().chain_unsynced()
        total = banban.recorder.max_notification_id() or 0
        with _progress(progress, total, "verifying") as update:
            verdict = verify_store(banban, chain, expected_head=expected, progress=update)
    _report(verdict, expected)
    if export_path is None and verdict.unlinked and not no_link:
        catch_up(banban, chain)
        tail = chain.view.tail()
        click.echo(f"linked the {verdict.unlinked} events recorded since; the head is now "
                   f"{tail.hash} ({short_code(tail.hash)})")


def _report(verdict: Verdict, expected: str | None) -> None:
    if not verdict.intact:
        click.echo(f"NOT INTACT: {verdict.finding}", err=True)
        click.echo(f"(the {verdict.linked} events before it match their links)", err=True)
        sys.exit(1)
    click.echo(f"intact: {verdict.linked} events match their links, {verdict.seals} seals")
    if verdict.unlinked:
        click.echo(f"{verdict.unlinked} events recorded since are not linked yet")
    if expected is not None:
        click.echo(f"{expected} is the head after {verdict.head_found_at} events")
    click.echo(f"head: {verdict.head}")
    click.echo(f"code: {verdict.code}")


@audit.command("seals")
def seals_command():
    """List the seals: each period end and publication, with its head's short code."""
    chain: EventChain = _store().chain()
    click.echo(f"{'seal':<58} {'events':>8}  code")
    for seal in chain.view.seals():
        click.echo(f"{seal.label:<58} {seal.position:>8}  {seal.code}")


@audit.command("replay")
@_PROGRESS
def replay_command(progress: bool | None):
    """Rebuild every view from the events into a scratch store and compare it row by row with
    the live one; exit 1 listing the differences."""
    store = _store()
    banban = service()
    total = banban.recorder.max_notification_id() or 0
    live = {"cards": store.cards_unsynced(), "chain": store.chain_unsynced()}
    with _progress(progress, total * len(live), "replaying") as update:
        offsets = {name: n * total for n, name in enumerate(live)}
        result = replay(banban, live, progress=lambda name, done, _: update(offsets[name] + done))
    for name, tables in result.rows.items():
        counts = ", ".join(f"{table} {count}" for table, count in tables.items())
        click.echo(f"{name}: {counts} rows")
    click.echo(f"replayed up to notification {result.position}")
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
    banban, chain = service(), _store().chain_unsynced()
    with _progress(progress, banban.recorder.max_notification_id() or 0, "exporting") as update:
        try:
            header, verdict = export_log(banban, chain, path, progress=update)
        except OSError as error:
            raise click.ClickException(f"cannot write {path}: {error.strerror}") from None
    if not verdict.intact:
        click.echo(f"WARNING: the store is NOT INTACT ({verdict.finding}); exported as it "
                   "stands", err=True)
    click.echo(f"exported {header['events']} events, {header['seals']} seals to {path}")
    click.echo(f"head: {header['head']}")
    click.echo(f"code: {header['code']}")


@audit.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--resume", is_flag=True,
              help="Carry on an interrupted import (the store must hold the file's first events).")
@_PROGRESS
def import_command(path: str, resume: bool, progress: bool | None):
    """Load an export FILE into an empty store (verified first; nothing written if it fails)."""
    banban, chain = service(), _store().chain_unsynced()
    try:
        with ExportFile(path) as export:
            total = export.header["events"]
        with _progress(progress, total, "importing") as update:
            result = import_log(banban, chain, path, resume=resume,
                                progress=lambda done, _: update(done))
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    catch_up(banban, _store().cards_unsynced())
    resumed = f" (resumed after {result['resumed_after']})" if result["resumed_after"] else ""
    click.echo(f"imported {result['events']} events{resumed}; the chain ends at the file's head")
    click.echo(f"head: {result['head']}")
    click.echo(f"code: {result['code']}")

"""Command-line management: `flask users ...`, `flask calendar ...`, `flask demo` and the views."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import cli_audit
from app.cli_common import actor as _actor
from app.digest import send_digests
from app.security import hash_password, password_problem
from app.store import service
from app.user_admin import end_sessions, new_password
from domain.application import COUNTY_TZ
from domain.counties import PROVINCE
from domain.dispatching import EVERY_PERIOD
from domain.errors import ConcurrentUpdate, DomainError, NotAllowed, UserNotFound
from domain.lifecycle import ROLES
from projections.runner import BULK, catch_up, rebuild_all, status

users = AppGroup("users", help="Manage user accounts.")


def _fail(error: Exception) -> None:
    message = getattr(error, "message", None) or str(error)
    raise click.ClickException(message) from None


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user does.")
@click.option("--password", help="Sign-in password; a random one is made and printed if omitted.")
@click.option("--display-name", help="The name shown in pages, e.g. 张伟.")
@click.option("--county", metavar="CODE",
              help="The county the user serves (its six-digit code); the home county if omitted.")
@click.option("--province", is_flag=True,
              help="The user reads every county (an office, leader or auditor of the province).")
def create_user(username: str, role: str, password: str | None, display_name: str | None,
                county: str | None, province: bool):
    """Create a user."""
    if county and province:
        raise click.BadParameter("give --county or --province, not both", param_hint="--county")
    made = password is None
    if made:
        password = new_password()
    else:
        _check_password(password, username, display_name)
    try:
        user = service().register_user(username, role, actor=_actor(), display_name=display_name,
                                       password_hash=hash_password(password),
                                       scope=PROVINCE if province else county)
    except DomainError as error:
        _fail(error)
    scope = f", {user['scope']}" if user["scope"] else ""
    click.echo(f"created {user['username']} ({user['role']}, {user['display_name']}{scope})")
    if made:
        click.echo(f"password: {password}")


@users.command("list")
def list_users():
    """List users with their role and state."""
    rows = service().users()
    width = max([len(u["username"]) for u in rows] + [8])
    click.echo(f"{'username':<{width}}  {'role':<7}  {'state':<8}  {'scope':<8}  display name")
    for user in rows:
        state = "disabled" if user["disabled"] else "active"
        scope = service().scope_of_user(user) or "-"
        click.echo(f"{user['username']:<{width}}  {user['role']:<7}  {state:<8}  {scope:<8}  "
                   f"{user['display_name']}")


@users.command("disable")
@click.argument("username")
@click.option("--reason", help="Why, for the record.")
def disable_user(username: str, reason: str | None):
    """Refuse a user from now on (their tokens stop working)."""
    try:
        service().disable_user(username, actor=_actor(), reason=reason)
    except (DomainError, UserNotFound, ConcurrentUpdate) as error:
        _fail(error)
    end_sessions(username)
    click.echo(f"disabled {username}")


@users.command("password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def set_password(username: str, password: str):
    """Set a user's sign-in password (their sessions end)."""
    try:
        user = service().user(username)
    except UserNotFound as error:
        _fail(error)
    _check_password(password, username, user["display_name"])
    try:
        service().set_password(username, hash_password(password), actor=_actor())
    except ConcurrentUpdate as error:
        _fail(error)
    end_sessions(username)
    click.echo(f"password set for {username}")


def _check_password(password: str, username: str, display_name: str | None) -> None:
    problem = password_problem(password, username, display_name)
    if problem:
        raise click.BadParameter(problem.message, param_hint="--password")


@users.command("sign-out")
@click.argument("username")
def sign_out(username: str):
    """End every web session of a user at once (signing in again works as usual)."""
    try:
        service().sign_out_everywhere(username, actor=_actor())
    except (UserNotFound, ConcurrentUpdate) as error:
        _fail(error)
    ended = end_sessions(username)
    click.echo(f"signed {username} out everywhere ({ended} sessions ended)")


@users.command("token")
@click.argument("username")
def issue_token(username: str):
    """Issue an API token; it is printed alone on the last line."""
    try:
        token = service().issue_token(username, actor=_actor())
    except (UserNotFound, NotAllowed, ConcurrentUpdate) as error:
        _fail(error)
    click.echo(f"API token for {username} (shown once; send it as 'Authorization: Bearer ...'):")
    click.echo(token)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the store already has projects.")
def demo(if_empty: bool):
    """Load the demo county (about 60 projects and a year of history) and print its accounts."""
    from app.demo import DEMO_PASSWORD, demo_accounts, load_demo

    banban = service()
    if next(banban.project_ids(), None) is not None:
        if if_empty:
            click.echo("the store already has projects: demo not loaded")
            return
        raise click.ClickException("the store already has projects; the demo needs an empty one")
    summary = load_demo(banban, today=banban.clock(), hash_password=hash_password)
    click.echo(f"demo county loaded: {summary['projects']} projects, {summary['events']} events, "
               f"{summary['users']} users")
    click.echo(f"accounts (password for all: {DEMO_PASSWORD}):")
    for account in demo_accounts():
        click.echo(f"  {account['username']:<14} {account['role']:<8} {account['display_name']}")
    click.echo("API token: flask users token <username>, then "
               "curl -H 'Authorization: Bearer <token>' http://127.0.0.1:8000/api/projects")


projections_group = AppGroup("projections", help="Keep the read views (derived data).")


@projections_group.command("rebuild")
@click.option("--processes", type=click.IntRange(1, 64),
              help="Processes that make the rows (default BANBAN_REBUILD_PROCESSES, else the "
                   "machine's cores up to 8; 1: this one only).")
def rebuild_views(processes: int | None):
    """Drop the views and rebuild them from the events, with a progress bar (what people did,
    such as the reminders they read, is kept).

    The hash chain is not a view: it is written with the events and never rebuilt (flask audit
    verify recomputes it to check it).
    """
    banban = service()
    total = banban.recorder.max_notification_id() or 0
    store = current_app.extensions["banban.store"]
    views = store.views()
    processes = processes or current_app.config["BANBAN_REBUILD_PROCESSES"]
    # One pass for all of them: each project loaded once, at its last version, in forked
    # processes that open the store themselves (store.views in each).
    with click.progressbar(length=total, label=", ".join(views), show_pos=True) as bar:
        done = [0]

        def progress(position: int, _stop: int) -> None:
            bar.update(position - done[0])
            done[0] = position

        counts = rebuild_all(banban, list(views.values()), progress=progress,
                             processes=processes, opener=store)
    for (label, projection), count in zip(views.items(), counts, strict=True):
        click.echo(f"{label}: {count} events applied, position "
                   f"{projection.view.max_tracking_id(banban.name) or 0}")
    if banban.kept_parts is not None:
        banban.empty_parts()
        click.echo("report parts: emptied (each is made again when a report first needs it)")


@projections_group.command("run")
@click.option("--interval", default=0.5, show_default=True, type=click.FloatRange(0.05, 60),
              help="Seconds between looks at the event log when there is nothing new.")
@click.option("--once", is_flag=True, help="Catch up once and exit.")
def run_views(interval: float, once: bool):
    """Keep the views caught up as a process of its own, until stopped (SIGTERM, Ctrl-C), and
    the report parts of each cadence's last BANBAN_KEPT_PERIODS periods (or all) made (after
    each catch-up, and on each new day)."""
    banban, kept_periods = service(), current_app.config["BANBAN_KEPT_PERIODS"]
    views = current_app.extensions["banban.store"].views()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    click.echo(f"keeping the views caught up every {interval} s; stop with Ctrl-C or SIGTERM")
    warmed_on = None
    try:
        while True:
            applied = 0
            for label, projection in views.items():
                caught = catch_up(banban, projection, batch=BULK)
                applied += caught
                if caught:
                    click.echo(f"{label}: applied {caught} events, position "
                               f"{status(banban, projection.view)['position']}")
            views["reminders"].sweep()
            _digest_due(current_app)
            if applied or warmed_on != banban.clock():
                # The report parts the last periods of each cadence now lack (the written
                # projects', or every project's current ones on a new day), made here rather
                # than in a leader's request.
                made = banban.warm_parts(kept_periods)
                if made:
                    click.echo(f"report parts: made {made} for {kept(kept_periods)}")
                warmed_on = banban.clock()
            if once or stopping.wait(interval):
                break
    except KeyboardInterrupt:
        pass
    click.echo("stopped")


def kept(periods: int) -> str:
    """The periods BANBAN_KEPT_PERIODS keeps made, as the runner and the status say them."""
    return ("every period since the first signing" if periods == EVERY_PERIOD
            else f"the last {periods} periods")


def _digest_due(app) -> None:
    """The day's digests, once the county's clock passes BANBAN_DIGEST_HOUR (each sent once:
    a digest is claimed before it is sent, so runners and cron do not send it twice)."""
    settings = app.extensions["banban.digest"]
    if settings.on and datetime.now(COUNTY_TZ).hour >= settings.hour:
        sent = send_digests(app)
        if sent["sent"] or sent["failed"]:
            click.echo(f"digests sent to {len(sent['sent'])}, failed for {len(sent['failed'])}")


reminders_group = AppGroup("reminders", help="The reminders' daily digest.")


@reminders_group.command("digest")
@click.option("--day", type=click.DateTime(["%Y-%m-%d"]), help="The day (default today).")
def digest_command(day: datetime | None):
    """Send each person's digest of the day's reminders by webhook or e-mail (as configured),
    once; exit 1 if any could not be sent after its attempts (the next run tries again)."""
    if not current_app.extensions["banban.digest"].on:
        raise click.ClickException("no digest is configured: set BANBAN_DIGEST_WEBHOOK or "
                                   "BANBAN_DIGEST_SMTP_HOST")
    result = send_digests(current_app, day.date() if day else None)
    click.echo(f"sent: {', '.join(result['sent']) or '-'}")
    if result["failed"]:
        raise click.ClickException(f"not sent: {', '.join(result['failed'])}")


@projections_group.command("status")
def views_status():
    """Each view's position and how far it lags behind the event log."""
    banban = service()
    click.echo(f"{'view':<16} {'position':>10} {'log':>10} {'lag':>8}")
    for label, projection in current_app.extensions["banban.store"].views().items():
        figures = status(banban, projection.view)
        click.echo(f"{label:<16} {figures['position']:>10} "
                   f"{figures['max_notification_id']:>10} {figures['lag']:>8}")
    if banban.kept_parts is not None:
        # The projects as the cards list them now: a status catches no view up.
        kept_periods = current_app.config["BANBAN_KEPT_PERIODS"]
        missing, needed = banban.parts_lacking(
            current_app.extensions["banban.store"].cards_unsynced().view.directory(),
            kept_periods)
        click.echo(f"report parts: {banban.kept_parts.count()} kept (each of a project's "
                   "version: made again when the facts it is judged from change, else renewed)")
        click.echo(f"report parts today: {needed - missing} of the {needed} "
                   f"{kept(kept_periods)} need are made, {missing} lacking (the view runner "
                   "makes them, else the first report that needs them)")


counties_group = AppGroup("counties", help="The counties that use the system.")


@counties_group.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--city", required=True, help="The city the county is in, e.g. 吉安市.")
def add_county(code: str, name: str, city: str):
    """List a county by its six-digit code (GB/T 2260) and names, as the official division
    table gives them, e.g. 360829 安福县 --city 吉安市. The first county added is home: projects
    and users that name no county are its."""
    try:
        county = service().add_county(code, name, city, actor=_actor())
    except (DomainError, ConcurrentUpdate) as error:
        _fail(error)
    click.echo(f"added {county['code']} {county['name']} ({county['city']})")


@counties_group.command("list")
def list_counties():
    """The counties listed, the home county first."""
    banban = service()
    for number, county in enumerate(banban.counties()):
        home = "  (home)" if number == 0 else ""
        click.echo(f"{county['code']}  {county['name']}  {county['city']}{home}")


calendar_group = AppGroup("calendar", help="The working-day calendar (official holidays).")


@calendar_group.command("status")
def calendar_status():
    """Each year from the first signing to next year, and where its working days come from."""
    rows = service().calendar_status()
    click.echo(f"{'year':<6} {'source':<8} loaded")
    for row in rows:
        loaded = ""
        if row["source"] == "office":
            loaded = (f"{row['file']} (sha256 {row['sha256'][:12]}), by {row['loaded_by']} at "
                      f"{row['loaded_at'].isoformat(timespec='seconds')}")
        elif row["source"] == "unknown":
            loaded = "not known: counted Monday to Friday until the office loads it"
        click.echo(f"{row['year']:<6} {row['source']:<8} {loaded}".rstrip())


@calendar_group.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def calendar_load(file: str):
    """Record the official schedule in FILE (CSV with the header date,kind; kind holiday or
    workday; one year or more): each year it names is counted by it from now on."""
    with open(file, "rb") as handle:
        content = handle.read()
    try:
        loaded = service().load_calendar(content, file=os.path.basename(file), actor=_actor())
    except (DomainError, ConcurrentUpdate) as error:
        _fail(error)
    for year in loaded["years"]:
        click.echo(f"{year['year']}: {year['holidays']} holidays, {year['workdays']} make-up "
                   "working days")
    click.echo(f"loaded {loaded['file']} (sha256 {loaded['sha256']})")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(users)
    app.cli.add_command(calendar_group)
    app.cli.add_command(counties_group)
    app.cli.add_command(demo)
    app.cli.add_command(projections_group)
    app.cli.add_command(reminders_group)
    app.cli.add_command(cli_audit.audit)

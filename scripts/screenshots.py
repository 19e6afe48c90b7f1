"""Screenshots of the main pages at desktop and phone width, on the demo county.

    make screenshots        # writes screenshots/<page>-<width>.png (git ignores the folder)

Each page is shot whole (<page>-<width>.png) and as its first screen (<page>-<width>-top.png);
the dispatch meeting's sheet is also printed by Chromium to A4 (dispatch-sheet.pdf).

Builds the demo store in a temporary folder, serves it with gunicorn on a free loopback port
and drives Debian's Chromium (BANBAN_CHROMIUM, default /usr/bin/chromium) with Playwright.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from domain.application import county_today  # noqa: E402
from domain.periods import Period  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
CHROMIUM = os.environ.get("BANBAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
PASSWORD = "banban-demo"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
# (user, name, path): the pages each role works in (None: signed out). {project} is one of the agent's projects,
# {week} the current week's id.
PAGES = [
    (None, "login", "/login"),  # no one signed in
    ("zhangwei", "board", "/board"),
    ("zhangwei", "project", "{project}"),
    ("zhangwei", "record-milestone", "{project}/record/milestone_reached"),
    ("office", "projects", "/projects"),
    ("office", "sign", "/projects/new"),
    ("liujianguo", "dispatch-weekly", "/dispatch/weekly"),
    ("liujianguo", "dispatch-sheet", "/dispatch/weekly/{week}/sheet"),
    ("liujianguo", "dispatch-monthly", "/dispatch/monthly"),
    ("office", "dispatch-publish", "/dispatch/weekly/{week}/publish"),
    ("auditor", "audit", "/audit"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "BANBAN_STORE": "sqlite",
               "BANBAN_SQLITE_PATH": os.path.join(folder, "demo.db"), "FLASK_APP": "wsgi"}
        subprocess.run([sys.executable, "-m", "flask", "demo"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind",
             f"127.0.0.1:{port}", "--access-logfile", "/dev/null", "wsgi:app"],
            cwd=ROOT, env=env)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(port)
            shoot(url)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"screenshots in {OUT}")


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def shoot(url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width_name, viewport in WIDTHS.items():
            contexts: dict[str | None, object] = {}
            project = None
            for user, name, path in PAGES:
                if user not in contexts:
                    context = browser.new_context(viewport=viewport, locale="zh-CN")
                    page = context.new_page()
                    if user is not None:
                        page.goto(f"{url}/login")
                        page.fill("#username", user)
                        page.fill("#password", PASSWORD)
                        page.click("button.primary")
                        page.wait_for_load_state()
                    contexts[user] = page
                page = contexts[user]
                if "{project}" in path:
                    if project is None:
                        page.goto(f"{url}/board")
                        project = page.locator(".project-card h2 a").first.get_attribute("href")
                    path = path.format(project=project)
                path = path.replace("{week}", Period.containing("weekly", county_today()).id)
                page.goto(url + path)
                page.screenshot(path=str(OUT / f"{name}-{width_name}.png"), full_page=True)
                if name == "dispatch-sheet" and width_name == "desktop":
                    page.emulate_media(media="print")
                    page.pdf(path=str(OUT / f"{name}.pdf"), format="A4", prefer_css_page_size=True)
                    page.emulate_media(media="screen")
                page.screenshot(path=str(OUT / f"{name}-{width_name}-top.png"))
                print(f"{name}-{width_name}.png")
        browser.close()


if __name__ == "__main__":
    main()

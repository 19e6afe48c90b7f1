"""The leaders' weekly dispatch page on the demo county: its six-week trend against six full
reports, and the whole page (HTTP, signed in) against the report alone, every report computed
afresh (a worker reusing reports between writes is bench/run.py's dispatch figure).

Run: .venv/bin/python -m bench.dispatch_page
"""

from __future__ import annotations

import re
import tempfile
from datetime import date

from app import create_app
from app.demo import DEMO_PASSWORD, load_demo
from app.security import hash_password
from app.store import service
from bench.timing import Figure, median_ms

TODAY = date(2026, 11, 25)
LEADER = "liujianguo"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"BANBAN_STORE": "sqlite", "BANBAN_SQLITE_PATH": f"{folder}/b.db",
                          "BANBAN_CLOCK": lambda: TODAY, "SECRET_KEY": "bench"})
        with app.app_context():
            banban = service()
            banban.REUSED = 0  # the figures are of computing reports, not of reusing them
            load_demo(banban, today=TODAY, hash_password=hash_password)
            weeks = [point["period"]["id"] for point in banban.dispatch_trend("weekly")]

            def full_reports():
                return [banban.dispatch("weekly", week) for week in weeks]

            baseline = median_ms(full_reports, repeat=5)
            value = median_ms(lambda: banban.dispatch_trend("weekly"), repeat=5)
            print(Figure("trend of 6 weeks (p50) [baseline = 6 full reports]", value, "ms", "<=",
                         0.25, baseline))
            report = median_ms(lambda: banban.dispatch("weekly"), repeat=10)

        client = app.test_client()
        login = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        client.post("/login", data={"username": LEADER, "password": DEMO_PASSWORD,
                                    "csrf_token": token})
        assert client.get("/dispatch/weekly").status_code == 200
        page = median_ms(lambda: client.get("/dispatch/weekly"), repeat=10)
        print(Figure("weekly dispatch page (p50) [baseline = the report alone]", page, "ms", "<=",
                     5, report))
        app.extensions["banban.store"].close()


if __name__ == "__main__":
    main()

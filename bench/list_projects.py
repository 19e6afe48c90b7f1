"""Listing the demo county's projects: the read cache against loading every project afresh.

Run: .venv/bin/python -m bench.list_projects
"""

from __future__ import annotations

import tempfile
from datetime import date

from app.demo import load_demo
from bench.timing import Figure, median_ms
from domain.application import Banban
from domain.views import project_summary

TODAY = date(2026, 11, 25)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder}/b.db"}
        banban = Banban(env=env, clock=lambda: TODAY)
        load_demo(banban, today=TODAY, hash_password=lambda p: "h:" + p)

        def afresh():
            return [project_summary(banban.repository.get(i)) for i in banban.project_ids()]

        assert banban.list_projects() == afresh()
        baseline = median_ms(afresh)
        value = median_ms(banban.list_projects)
        count = len(afresh())
        print(Figure(f"list {count} projects (p50) [baseline = load each afresh]",
                     value, "ms", "<=", 0.2, baseline))
        banban.close()


if __name__ == "__main__":
    main()

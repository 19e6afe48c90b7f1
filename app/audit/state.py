"""A digest of everything the record determines: projects, users, every view row, the chain."""

from __future__ import annotations

import hashlib

from domain.application import Banban
from domain.canonical import to_json
from projections.views import View


def state_hash(app: Banban, views: list[View]) -> str:
    """SHA-256 over every project's view, every user, every row of the views and the chain head.

    Notification ids are left out (a view row's `notification_id`): they are where one store
    keeps an event, and an imported store numbers its events itself. Two stores holding the
    same record give the same digest, SQLite or PostgreSQL.
    """
    sha = hashlib.sha256()
    for project_id in sorted(app.project_ids(), key=str):
        sha.update(to_json(app.project(project_id)).encode())
    for user in sorted(app.users(), key=lambda u: u["username"]):
        sha.update(to_json(user).encode())
    for view in views:
        for table, rows in sorted(view.dump().items()):
            sha.update(table.encode())
            for row in rows:
                sha.update(to_json({k: v for k, v in row.items()
                                    if k != "notification_id"}).encode())
    tail = app.recorder.chain_tail()
    sha.update(b"" if tail is None else tail.hash.encode())
    return sha.hexdigest()

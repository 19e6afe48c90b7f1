"""The write-throughput baseline: a bare Flask endpoint that inserts one row per request.

Served by gunicorn with the app's own settings (gunicorn.conf.py), so that the only difference
from the real write is the work the app does: it reads the JSON body and inserts it as one row,
committed, into SQLite (WAL, as the event store uses it) at BARE_SQLITE_PATH, or into
PostgreSQL when BARE_POSTGRES_DSN is set.
"""

from __future__ import annotations

import json
import os
import sqlite3
from typing import Any

from flask import Flask, jsonify, request

app = Flask(__name__)
_connection: Any = None


def connection() -> Any:
    """This worker's connection, opened after the fork on first use."""
    global _connection
    if _connection is None:
        dsn = os.environ.get("BARE_POSTGRES_DSN")
        if dsn:
            import psycopg

            _connection = psycopg.connect(dsn, autocommit=True)
            _connection.execute("CREATE TABLE IF NOT EXISTS bare_events "
                                "(id BIGSERIAL PRIMARY KEY, project_id TEXT, body TEXT)")
        else:
            _connection = sqlite3.connect(os.environ["BARE_SQLITE_PATH"], timeout=5,
                                          isolation_level=None, check_same_thread=False)
            _connection.execute("PRAGMA journal_mode=WAL")
            _connection.execute("CREATE TABLE IF NOT EXISTS bare_events "
                                "(id INTEGER PRIMARY KEY, project_id TEXT, body TEXT)")
    return _connection


@app.post("/events/<project_id>")
def record(project_id: str):
    body = request.get_json()
    placeholder = "%s" if os.environ.get("BARE_POSTGRES_DSN") else "?"
    cursor = connection().execute(
        f"INSERT INTO bare_events (project_id, body) VALUES ({placeholder}, {placeholder}) "
        "RETURNING id", (project_id, json.dumps(body, ensure_ascii=False)))
    return jsonify(id=cursor.fetchone()[0], version=body["expected_version"] + 1), 201

"""The key that signs session cookies and CSRF tokens."""

from __future__ import annotations

import os
import secrets
import time

from flask import Flask


def secret_key(app: Flask) -> str:
    """BANBAN_SECRET_KEY if set; else a key kept in the instance folder, made on first start.

    Every worker and every restart must sign with the same key, or sessions would break
    between requests; the file is created exclusively, so two workers starting at once
    agree on the one that was written first.
    """
    if os.environ.get("BANBAN_SECRET_KEY"):
        return os.environ["BANBAN_SECRET_KEY"]
    os.makedirs(app.instance_path, exist_ok=True)
    path = os.path.join(app.instance_path, "secret_key")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    for _ in range(100):
        with open(path) as file:
            key = file.read().strip()
        if key:
            return key
        time.sleep(0.01)  # the other process is writing it
    raise RuntimeError(f"{path} is empty: delete it and start again")

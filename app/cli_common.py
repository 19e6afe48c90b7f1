"""What the command groups share."""

from __future__ import annotations

import getpass


def actor() -> str:
    """Who ran the command, as recorded on the events it makes."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"

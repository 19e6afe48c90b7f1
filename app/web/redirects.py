"""Where a page may send the browser next: only a path on this site.

Every redirect that takes its target from the request (after signing in, after switching the
language) goes through `local_path`. Browsers forgive what servers do not: they drop tabs and
newlines from a URL and read a backslash as a slash, so `/\t/evil.example` and `/\\evil.example`
both lead off the site. So a target is refused unless, as given, it is a plain absolute path.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def local_path(target: str | None) -> str | None:
    """The target if it is a path on this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(unicodedata.category(c)[0] in "CZ" and c != " "
                             for c in target) or " " in target:
        return None  # control, format, separator characters and spaces: never in our paths
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

"""The printed sheet as a PDF file, made by WeasyPrint from the sheet's own page and stylesheets.

WeasyPrint fetches nothing over the network: the page's stylesheets are read from the app's
static folder, and the stylesheets made per request (the sheet's page header and footer) are
handed over as text. Any other address stops the rendering rather than leaving a part out.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE = "http://sheet.invalid/"  # where the page's paths resolve; nothing is ever fetched there


class _OwnFiles(URLFetcher):
    """Serves the app's static files and the given texts by path; refuses everything else."""

    def __init__(self, static: Path, texts: dict[str, str]):
        super().__init__(fail_on_errors=True)
        self.static, self.texts = static.resolve(), texts

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" != BASE:
            raise ValueError(f"the sheet may not fetch {url}")
        if parts.path in self.texts:
            return URLFetcherResponse(url, self.texts[parts.path],
                                      {"Content-Type": "text/css; charset=utf-8"})
        path = (self.static / parts.path.removeprefix("/static/")).resolve()
        if not parts.path.startswith("/static/") or not path.is_relative_to(self.static) \
                or not path.is_file():
            raise ValueError(f"the sheet has no file {parts.path}")
        kind = "text/css" if path.suffix == ".css" else "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def pdf_of(page: str, texts: dict[str, str]) -> bytes:
    """A rendered page as PDF bytes; `texts` are the stylesheets made for it, by path."""
    fetcher = _OwnFiles(Path(current_app.static_folder or "static"), texts)
    return HTML(string=page, base_url=BASE, url_fetcher=fetcher).write_pdf()

"""WeasyPrint's only way to the outside: it serves the package's own assets and refuses the rest.

No network, no file system, no data: URLs. Every refused URL is remembered, so a test (or the
build log) can show what a template or a narrative tried to load.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSET_BASE = "fourpart-package:/"


class RefusedURL(ValueError):
    """The package renderer does not fetch this URL."""


class PackageFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no type hints
    def __init__(self, assets: Mapping[str, bytes]) -> None:
        super().__init__(allowed_protocols=("fourpart-package",), allow_redirects=False)
        self.assets = dict(assets)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        name = url.removeprefix(ASSET_BASE) if url.startswith(ASSET_BASE) else None
        if name is None or name not in self.assets:
            self.refused.append(url)
            raise RefusedURL(f"the package renderer only loads its own assets; refused {url[:200]!r}")
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, self.assets[name], {"Content-Type": media_type})

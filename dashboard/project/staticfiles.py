"""Serves plotly.js from the copy inside the installed plotly package.

Wallboards often sit in closed networks, so no CDN: the browser gets exactly the
plotly.js that matches the Python package that builds the figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "vendor/plotly.min.js"
_PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Exposes only `vendor/plotly.min.js`, not the rest of plotly's package data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(_PACKAGE_DATA))
        self.storage.prefix = "vendor"

    def check(self, **kwargs: Any) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        found = str(_PACKAGE_DATA / "plotly.min.js")
        if path != PLOTLY_STATIC_PATH:
            return [] if (find_all or kwargs.get("all")) else ""
        return [found] if (find_all or kwargs.get("all")) else found

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        yield "plotly.min.js", self.storage

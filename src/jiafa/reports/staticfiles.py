"""plotly.js for the dashboard's charts, served from the installed `plotly` package (its package_data holds
the bundled plotly.min.js), never from a CDN and never copied into the repository. Exposed to the static
files machinery (and so to WhiteNoise's finders) as `plotly/plotly.min.js`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "plotly"
FILES = ("plotly.min.js",)
PACKAGE_DATA = Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PACKAGE_DATA)
        self.storage.prefix = PREFIX  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    # One signature for both of Django's overloads (a path, or every path with find_all / the older `all`).
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        name = path.removeprefix(PREFIX + "/")
        if path.startswith(PREFIX + "/") and name in FILES and (PACKAGE_DATA / name).is_file():
            found = str(PACKAGE_DATA / name)
            return [found] if find_all or kwargs.get("all") else found
        return [] if find_all or kwargs.get("all") else ""

    def list(self, ignore_patterns: Any) -> Any:
        for name in FILES:
            if (PACKAGE_DATA / name).is_file():
                yield name, self.storage

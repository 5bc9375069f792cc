"""Shared fixtures: where the test data lives, and one headless Chromium for the browser tests.

Every data file a test reads is inside the repository, under ``tests/data/`` (``SOURCES.md`` there
gives each file's origin and licence), so a clone tests itself with nothing beside it.

Hypothesis runs derandomised by default (the examples follow from each test's name), so that
``make test`` and CI give the same verdict on the same code; ``ZOPA_HYPOTHESIS=explore`` draws new
examples each run, to look for failures (then turn what it finds into a regression test).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("deterministic", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(
    "explore" if os.environ.get("ZOPA_HYPOTHESIS") == "explore" else "deterministic"
)

DATA = Path(__file__).resolve().parent / "data"
DOMAINS = DATA / "domains"


@pytest.fixture(scope="session")
def domains() -> Path:
    """The real GENIUS and GeniusWeb scenario folders (read-only)."""
    return DOMAINS


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> object:
    """Keep the suite out of the user's cache folder: the report's Vega bundle is cached in a
    folder of this session (built once, shared by every test and subprocess)."""
    import os

    folder = tmp_path_factory.mktemp("zopa-cache")
    before = os.environ.get("ZOPA_CACHE_DIR")
    os.environ["ZOPA_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ZOPA_CACHE_DIR", None)
    else:
        os.environ["ZOPA_CACHE_DIR"] = before


# ---------------------------------------------------------------------------------- browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_browser() -> Any:
    """Playwright's sync API, or a skip that says what is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium not found: install Debian's chromium package (apt-get install chromium), "
            "as .ci/run does"
        )
    return pytest.importorskip(
        "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for every page of this module."""
    sync_api = need_browser()
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()

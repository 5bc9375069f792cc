"""Shared fixtures: where the test data lives.

Every data file a test reads is inside the repository, under ``tests/data/`` (``SOURCES.md`` there
gives each file's origin and licence), so a clone tests itself with nothing beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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

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

"""Shared fixtures: where the shared scenario files live."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DOMAINS = SHARED / "domains"


@pytest.fixture(scope="session")
def domains() -> Path:
    """The shared GENIUS and GeniusWeb scenario folders (read-only)."""
    if not DOMAINS.is_dir():
        pytest.skip(f"shared domains not found at {DOMAINS}; CI places shared/ beside the clone")
    return DOMAINS

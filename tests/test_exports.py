"""The public namespace is explicit, sorted and complete."""

from __future__ import annotations

import subprocess
import sys

import zopa


def test_all_is_sorted_and_importable() -> None:
    assert zopa.__all__ == sorted(zopa.__all__)
    for name in zopa.__all__:
        assert getattr(zopa, name) is not None


def test_dir_matches_all() -> None:
    assert dir(zopa) == sorted(zopa.__all__)


def test_import_is_light() -> None:
    code = "import sys, zopa; print('numpy' in sys.modules, 'typer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

"""The Vega bundle is built once per vl-convert version and cached on disk (issue 8, item 6)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from zopa.report import page


@pytest.fixture
def builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Count bundle builds, with the cache in a temporary folder; the in-process cache is
    cleared before and after, so no other test sees the fake bundle."""
    import vl_convert

    calls: list[str] = []

    def fake_bundle(snippet: str) -> str:
        calls.append(snippet)
        return f"/* bundle {len(calls)} */ {snippet}"

    monkeypatch.setenv("ZOPA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(vl_convert, "javascript_bundle", fake_bundle)
    page.vega_bundle.cache_clear()
    yield calls
    page.vega_bundle.cache_clear()


def test_second_run_reads_the_cache(builds: list[str], tmp_path: Path) -> None:
    first = page.vega_bundle()
    assert len(builds) == 1
    path = page.bundle_path()
    assert path.parent == tmp_path / "cache" and path.exists()
    import vl_convert

    assert vl_convert.__version__ in path.name  # type: ignore[attr-defined]
    page.vega_bundle.cache_clear()  # a new process
    assert page.vega_bundle() == first
    assert len(builds) == 1
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_damaged_cache_is_rebuilt(builds: list[str]) -> None:
    page.vega_bundle()
    path = page.bundle_path()
    path.write_text(path.read_text()[:-5])  # truncated
    page.vega_bundle.cache_clear()
    assert page.vega_bundle().endswith("vegaLite;")
    assert len(builds) == 2
    page.vega_bundle.cache_clear()
    page.vega_bundle()
    assert len(builds) == 2  # the rebuilt file is good again


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="needs a user that file permissions apply to (not root, POSIX)")  # fmt: skip
def test_unwritable_cache_only_costs_the_rebuild(builds: list[str], tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert page.vega_bundle().startswith("/* bundle 1 */")
    finally:
        folder.chmod(0o700)


def test_cache_that_is_a_file_only_costs_the_rebuild(
    builds: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("ZOPA_CACHE_DIR", str(blocker / "cache"))
    assert page.vega_bundle().startswith("/* bundle 1 */")
    page.vega_bundle.cache_clear()
    page.vega_bundle()
    assert len(builds) == 2


def test_default_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ZOPA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert page.cache_folder() == tmp_path / "zopa"
    monkeypatch.setenv("ZOPA_CACHE_DIR", str(tmp_path / "mine"))
    assert page.cache_folder() == tmp_path / "mine"

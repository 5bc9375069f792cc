"""The documentation pages hang together: links resolve, every page is reachable from the index,
theory pages carry executed examples, and the tutorial's YAML is the scenario its examples load.

(The ``>>>`` examples themselves run as doctests; ``tests/test_docs.py`` loads the YAML blocks of
``docs/*.md``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from zopa.io.native import dump_native, parse_native

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"```.*?```", re.S)
YAML = re.compile(r"```yaml\n(.*?)```", re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    prose = FENCE.sub("", page.read_text())
    return {_slug(m) for m in re.findall(r"^#+ (.+)$", prose, re.M)}


def _links(page: Path) -> list[str]:
    return LINK.findall(FENCE.sub("", page.read_text()))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_relative_links_resolve(page: Path) -> None:
    for target in _links(page):
        if re.match(r"[a-z]+:", target):
            continue  # an absolute URL
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        assert resolved.is_file(), f"{page.name}: broken link {target}"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{page.name}: no heading #{anchor} in {path}"


def test_index_links_every_page() -> None:
    index = DOCS / "index.md"
    linked = {(DOCS / target.partition("#")[0]).resolve() for target in _links(index)}
    missing = [str(p.relative_to(DOCS)) for p in PAGES if p != index and p.resolve() not in linked]
    assert not missing, f"docs/index.md does not link {missing}"


@pytest.mark.parametrize("page", sorted((DOCS / "theory").glob("*.md")), ids=lambda p: p.name)
def test_theory_pages_have_examples_and_references(page: Path) -> None:
    text = page.read_text()
    assert ">>> " in text, f"{page.name} has no executed example"
    assert "## Reference" in text, f"{page.name} cites no source"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(block, id=f"{page.relative_to(DOCS)}#{i}")
        for page in PAGES
        if page.parent != DOCS  # docs/*.md is covered by tests/test_docs.py
        for i, block in enumerate(YAML.findall(page.read_text()))
    ]
    or [pytest.param(None, id="none")],
)
def test_yaml_blocks_in_subfolders_load(text: str | None) -> None:
    if text is None:
        return
    scenario = parse_native(text, source="example.yaml")
    parse_native(dump_native(scenario), source="again.yaml")


def test_tutorial_yaml_is_the_scenario_its_examples_load() -> None:
    page = (DOCS / "tutorial.md").read_text()
    shown = parse_native(YAML.findall(page)[0], source="tutorial.md")
    lines = page.split('>>> text = """\n', 1)[1].split('... """', 1)[0].splitlines()
    loaded = parse_native("\n".join(line[4:] for line in lines), source="tutorial.md")
    assert shown.name == loaded.name
    assert [(i.name, i.options, i.disagreement) for i in shown.issues] == [
        (i.name, i.options, i.disagreement) for i in loaded.issues
    ]
    assert [p.name for p in shown.parties] == [p.name for p in loaded.parties]
    for a, b in zip(shown.value_tables(), loaded.value_tables(), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(shown.reservation_values(), loaded.reservation_values())

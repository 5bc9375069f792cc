"""Every YAML example in the docs loads (the ``>>>`` examples run as doctests)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zopa.io.native import dump_native, parse_native

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)

EXAMPLES = [
    pytest.param(text, id=f"{path.name}#{i}")
    for path in sorted(DOCS.glob("*.md"))
    for i, text in enumerate(BLOCK.findall(path.read_text()))
]


def test_docs_have_yaml_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("text", EXAMPLES)
def test_yaml_example_loads_and_round_trips(text: str) -> None:
    scenario = parse_native(text, source="example.yaml")
    back = parse_native(dump_native(scenario), source="again.yaml")
    codes = scenario.enumerate()
    assert (scenario.utilities(codes) == back.utilities(codes)).all()

"""The layers of the design: engines and the model compute, faces render.

No module under ``zopa.analysis`` or ``zopa.model`` imports the report, the CLI or anything that
builds HTML, and none defines a display method; notebooks show results through
:mod:`zopa.report.display` instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "zopa"
ENGINES = (
    sorted((SRC / "analysis").rglob("*.py"))
    + sorted((SRC / "model").rglob("*.py"))
    + sorted((SRC / "negotiation").rglob("*.py"))
)

#: Imports an engine or model module may not make (a module or any module under it).
FORBIDDEN = ("zopa.report", "zopa.cli", "zopa.model._html", "html", "markupsafe", "jinja2")

#: Methods that render: they belong to :mod:`zopa.report.display` and :mod:`zopa.report.prose`.
DISPLAY_METHODS = {"_repr_html_", "_html_parts", "headline"}


def imported(tree: ast.Module, package: str) -> list[str]:
    """Every module ``tree`` imports, absolute, including what ``from . import x`` names."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.append(base)
            names += [f"{base}.{alias.name}" for alias in node.names]
    return names


def is_forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN) or name.endswith("._html")


@pytest.mark.parametrize("path", ENGINES, ids=lambda p: str(p.relative_to(SRC)))
def test_engines_do_not_render(path: Path) -> None:
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(("zopa", *path.relative_to(SRC).parent.parts))
    bad = [name for name in imported(tree, package) if is_forbidden(name)]
    assert not bad, f"{path.name} imports {bad}"
    methods = {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in DISPLAY_METHODS
    }
    assert not methods, f"{path.name} defines {sorted(methods)}"


def test_the_checker_sees_forbidden_imports() -> None:
    tree = ast.parse(
        "from zopa.model import _html\nimport zopa.report.display\nfrom ..cli import app"
    )
    names = imported(tree, "zopa.analysis")
    assert [n for n in names if is_forbidden(n)] == [
        "zopa.model._html",
        "zopa.report.display",
        "zopa.cli",
        "zopa.cli.app",
    ]
    assert ENGINES


#: Which of zopa's packages each layer may import (DESIGN.md: arrows point down the list).
ALLOWED = {
    "model": {"zopa.model"},
    "io": {"zopa.model", "zopa.io"},
    "analysis": {"zopa.model", "zopa.analysis"},
    "negotiation": {"zopa.model", "zopa.analysis", "zopa.negotiation"},
}


@pytest.mark.parametrize(
    "path",
    [p for layer in ALLOWED for p in sorted((SRC / layer).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_arrows_point_down(path: Path) -> None:
    layer = path.relative_to(SRC).parts[0]
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(("zopa", *path.relative_to(SRC).parent.parts))
    ours = [n for n in imported(tree, package) if n == "zopa" or n.startswith("zopa.")]
    allowed = ALLOWED[layer]
    bad = sorted(
        {
            n
            for n in ours
            if not any(n == a or n.startswith(a + ".") for a in allowed)
            and n not in {"zopa", "zopa.__version__"}
        }
    )
    assert not bad, f"{path.relative_to(SRC)} ({layer}) imports {bad}"

"""Exporting the report's figures as SVG and PNG files for papers and slides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zopa.model.errors import ScenarioError

__all__ = ["export_figures"]


def export_figures(
    figures: Mapping[str, dict[str, Any]], folder: Path, *, scale: float = 2.0
) -> list[Path]:
    """Write ``NAME.svg`` and ``NAME.png`` for every figure (PNG at ``scale`` × the SVG size)."""
    import vl_convert

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError(
            f"cannot create the figures folder: {exc.strerror}", source=str(folder)
        ) from None
    written = []
    for name, spec in figures.items():
        svg = folder / f"{name}.svg"
        png = folder / f"{name}.png"
        svg.write_text(vl_convert.vegalite_to_svg(spec), encoding="utf-8")
        png.write_bytes(vl_convert.vegalite_to_png(spec, scale=scale))
        written += [svg, png]
    return written

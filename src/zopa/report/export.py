"""Exporting the report's figures as SVG and PNG files for papers and slides."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zopa.io.safe import make_folder, write_all_atomic

__all__ = ["export_figures"]


def export_figures(
    figures: Mapping[str, dict[str, Any]], folder: Path, *, scale: float = 2.0
) -> list[Path]:
    """Write ``NAME.svg`` and ``NAME.png`` for every figure (PNG at ``scale`` × the SVG size).

    Every figure is rendered before anything is written, and the files are then written all or
    nothing (:func:`zopa.io.safe.write_all_atomic`).

    Raises:
        OutputError: the folder or a file cannot be written (the message names it).
    """
    from zopa.report.extra import vl_convert

    convert = vl_convert()
    folder = Path(folder)
    files: list[tuple[Path, str | bytes]] = []
    for name, spec in figures.items():
        files.append((folder / f"{name}.svg", convert.vegalite_to_svg(spec)))
        files.append((folder / f"{name}.png", convert.vegalite_to_png(spec, scale=scale)))
    make_folder(folder)
    write_all_atomic(files)
    return [path for path, _ in files]

"""Exporting the report's figures as SVG and PNG files for papers and slides."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from zopa.io.safe import make_folder, write_all_atomic
from zopa.model.errors import OutputError

__all__ = ["export_figures", "render_figures", "write_files"]

_SIZE = re.compile(r'<svg[^>]*?\swidth="([^"]+)"[^>]*?\sheight="([^"]+)"')


def render_figures(
    figures: Mapping[str, dict[str, Any]], folder: Path, *, scale: float = 2.0
) -> list[tuple[Path, str | bytes]]:
    """Every figure rendered in memory as ``(folder / NAME.svg, text)`` and
    ``(folder / NAME.png, bytes)``, nothing written.

    Raises:
        RuntimeError: a figure renders to no finite size (a bug in the figure, named here).
    """
    from zopa.report.extra import vl_convert

    convert = vl_convert()
    files: list[tuple[Path, str | bytes]] = []
    for name, spec in figures.items():
        svg = convert.vegalite_to_svg(spec)
        found = _SIZE.search(svg)
        if found is None or not all(_finite_size(x) for x in found.groups()):
            size = "no size" if found is None else f"size {found.group(1)} × {found.group(2)}"
            raise RuntimeError(f"figure {name!r} renders with {size}: it cannot be exported")
        files.append((folder / f"{name}.svg", svg))
        files.append((folder / f"{name}.png", convert.vegalite_to_png(spec, scale=scale)))
    return files


def _finite_size(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return 0 < value < 100_000


def export_figures(
    figures: Mapping[str, dict[str, Any]], folder: Path, *, scale: float = 2.0
) -> list[Path]:
    """Write ``NAME.svg`` and ``NAME.png`` for every figure (PNG at ``scale`` × the SVG size).

    Every figure is rendered before anything is written (:func:`render_figures`), and the files
    are then written all or nothing (:func:`write_files`).

    Raises:
        OutputError: the folder or a file cannot be written (the message names it).
    """
    folder = Path(folder)
    files = render_figures(figures, folder, scale=scale)
    write_files(files, folder)
    return [path for path, _ in files]


def write_files(files: Sequence[tuple[Path, str | bytes]], folder: Path | None = None) -> None:
    """Write ``files`` all or nothing (:func:`zopa.io.safe.write_all_atomic`), creating ``folder``
    first when given; a folder created here is removed again if the files cannot be written, so
    that a failure leaves nothing behind that was not there before.

    Raises:
        OutputError: the folder or a file cannot be written (the message names it).
    """
    created: list[Path] = []
    if folder is not None:
        folder = Path(folder)
        created = [p for p in (folder, *folder.parents) if not p.exists()]
        make_folder(folder)
    try:
        write_all_atomic(files)
    except OutputError:
        for path in created:  # innermost first
            try:
                path.rmdir()
            except OSError:
                break
        raise

"""The HTML pieces every face builds from: escaping, numbers, tables, headings, lists.

The notebook displays (:mod:`zopa.report.display`) and the report's sections
(:mod:`zopa.report.sections`) both build their tables with :func:`table`; the notebook's sit in a
:func:`block`, a ``zopa`` wrapper with its own scoped style sheet, the report's take the page's
``data`` class and three decimals. Every piece of text passes through :func:`html.escape`
(:func:`esc`), so names from scenario files cannot inject markup. Numbers are shown with four
significant digits unless a number of decimals is asked for (:func:`number`).

Examples:
    >>> print(table(["party", "utility"], [["<b>", 0.123456]], caption="Deal"))
    <table class="zopa-table"><caption>Deal</caption><thead><tr><th>party</th><th>utility</th></tr></thead><tbody><tr><td>&lt;b&gt;</td><td class="num">0.1235</td></tr></tbody></table>
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "STYLE",
    "Signed",
    "block",
    "cell",
    "esc",
    "facts",
    "heading",
    "items",
    "number",
    "paragraph",
    "table",
]

#: Scoped to the ``zopa`` wrapper, so it styles nothing else in a notebook.
STYLE = (
    ".zopa .zopa-table{border-collapse:collapse;margin:0.4em 0 0.8em 0;font-size:0.9em}"
    ".zopa .zopa-table caption{text-align:left;font-weight:bold;padding:0.2em 0}"
    ".zopa .zopa-table th,.zopa .zopa-table td{padding:0.15em 0.6em;text-align:left;"
    "border-bottom:1px solid rgba(128,128,128,0.35);vertical-align:top}"
    ".zopa .zopa-table td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".zopa .zopa-note{opacity:0.75;font-size:0.85em}"
)

#: Shown for a missing value.
MISSING = "—"


@dataclass(frozen=True)
class Signed:
    """A number shown with its sign (``+0.25``), for gains and changes."""

    value: float


def esc(x: object) -> str:
    """``str(x)`` escaped for HTML text and attribute values.

    Examples:
        >>> esc('<a href="x">&</a>')
        '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
    """
    return html.escape(str(x), quote=True)


def number(x: float, *, signed: bool = False, decimals: int | None = None) -> str:
    """Text for a number: integers in full with thousands separators, other numbers to four
    significant digits (``0.1235``, ``12.35``, ``1,234``, ``1.23e-05``), or to ``decimals``
    decimal places when given (``0.330``, the report's style).

    Examples:
        >>> number(0.123456), number(0.75), number(12345), number(1234.5), number(-2e-17)
        ('0.1235', '0.75', '12,345', '1,234', '0')
        >>> number(0.25, signed=True), number(float("inf")), number(float("nan"))
        ('+0.25', '∞', '—')
        >>> number(0.33, decimals=3), number(0.006, signed=True, decimals=3)
        ('0.330', '+0.006')
    """
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return f"{int(x):+,}" if signed else f"{int(x):,}"
    v = float(x)
    sign = "+" if signed else ""
    if math.isnan(v):
        return MISSING
    if math.isinf(v):
        return "-∞" if v < 0 else f"{sign}∞"
    if decimals is not None:
        return f"{v:{sign}.{decimals}f}"
    if abs(v) < 1e-12:
        return "0"
    if abs(v) >= 1000:
        return f"{v:{sign},.0f}"
    if abs(v) >= 1e-3:
        return f"{v:{sign}.4g}"
    return f"{v:{sign}.3g}"


def cell(value: object, *, decimals: int | None = None) -> tuple[str, bool]:
    """Escaped text for one cell and whether it is numeric (numbers are right-aligned).

    ``None`` is a dash, booleans are ``yes`` and ``no``, :class:`Signed` numbers carry their sign;
    ``decimals`` is passed on to :func:`number` for non-integral numbers.
    """
    if value is None:
        return MISSING, False
    if isinstance(value, Signed):
        return html.escape(number(value.value, signed=True, decimals=decimals)), True
    if type(value).__name__ in ("bool", "bool_"):  # Python's and NumPy's
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):
        return html.escape(number(int(value))), True
    if isinstance(value, numbers.Real):
        return html.escape(number(float(value), decimals=decimals)), True
    return html.escape(str(value)), False


def table(
    header: Sequence[object] | None,
    rows: Iterable[Sequence[object]],
    *,
    caption: str = "",
    css: str = "zopa-table",
    decimals: int | None = None,
) -> str:
    """An HTML table of class ``css``: an optional caption, a header row (unless ``None``) and the
    rows, each cell as :func:`cell` renders it (numeric cells get class ``num``)."""
    out = [f'<table class="{esc(css)}">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    if header is not None:
        out.append("<thead><tr>")
        out.extend(f"<th>{cell(h)[0]}</th>" for h in header)
        out.append("</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>")
        for value in row:
            text, numeric = cell(value, decimals=decimals)
            out.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def facts(pairs: Iterable[tuple[str, object]], *, caption: str = "") -> str:
    """A two-column table of labelled values, all left-aligned (a fact sheet, no header)."""
    out = ['<table class="zopa-table">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    out.append("<tbody>")
    for label, value in pairs:
        out.append(f'<tr><th scope="row">{html.escape(label)}</th><td>{cell(value)[0]}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def heading(text: str, level: int = 3) -> str:
    """An escaped heading ``<h{level}>``."""
    return f"<h{level}>{html.escape(text)}</h{level}>"


def paragraph(text: str, *, note: bool = False) -> str:
    """An escaped paragraph; ``note=True`` renders it smaller and fainter."""
    cls = ' class="zopa-note"' if note else ""
    return f"<p{cls}>{html.escape(text)}</p>"


def items(texts: Iterable[str], *, note: bool = False) -> str:
    """An escaped bulleted list (empty text when there is nothing to list); ``note=True``
    renders it smaller and fainter."""
    body = "".join(f"<li>{html.escape(t)}</li>" for t in texts)
    cls = ' class="zopa-note"' if note else ""
    return f"<ul{cls}>{body}</ul>" if body else ""


def block(*parts: str) -> str:
    """The pieces (already HTML) in one ``zopa`` wrapper, with the scoped style."""
    return f'<div class="zopa"><style>{STYLE}</style>{"".join(parts)}</div>'


def capability_text(capability: tuple[float, ...]) -> str:
    """A stakeholder's capability: one number when it is the same on every issue, else the range.

    Examples:
        >>> capability_text((3.0, 3.0)), capability_text((1.0, 2.5))
        ('3', '1–2.5 (per issue)')
    """
    if not capability:
        return ""
    low, high = min(capability), max(capability)
    return f"{low:g}" if low == high else f"{low:g}–{high:g} (per issue)"

"""Assembling the self-contained HTML page: inline CSS, inline Vega bundle, inline figure specs.

The page makes no request: the Vega, Vega-Lite and Vega-Embed libraries come from
``vl-convert-python``'s bundler (built once per version and cached, :func:`vega_bundle`) and are
inlined, every figure's data is inline, and nothing
references a URL that a browser would fetch.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from zopa.io.safe import make_folder, write_atomic
from zopa.model.errors import OutputError
from zopa.report.markup import esc
from zopa.report.sections import Section

__all__ = ["bundle_path", "cache_folder", "render_page", "vega_bundle"]

CSS = """
:root { --ink: #1d2733; --muted: #5c677d; --line: #dde2e8; --accent: #1f5f99; --bg: #fbfcfd; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "DejaVu Sans", -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: #14213d; color: #fff; padding: 28px 40px 24px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 600; }
header .meta { color: #c9d3e0; font-size: 13px; }
.headline { max-width: 980px; margin: 0 auto; padding: 22px 40px 6px; }
.headline p { font-size: 17px; line-height: 1.6; margin: 0 0 10px; }
.headline p:first-child { font-weight: 600; }
.meaning { border-left: 3px solid #9aa7b8; padding: 2px 0 2px 14px; margin: 6px 0 12px; }
.meaning h3 { font-size: 14px; margin: 0 0 4px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
.meaning p { font-size: 15px; }
nav { max-width: 980px; margin: 0 auto; padding: 0 40px 10px; font-size: 13px; }
nav a { color: var(--accent); margin-right: 14px; text-decoration: none; }
main { max-width: 980px; margin: 0 auto; padding: 0 40px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 24px;
          margin: 18px 0; }
section h2 { margin: 0 0 10px; font-size: 20px; }
section h3 { margin: 18px 0 8px; font-size: 16px; }
p.lead { color: var(--muted); }
table.data { border-collapse: collapse; margin: 12px 0; font-size: 13.5px; width: 100%; }
table.data caption { text-align: left; font-weight: 600; padding: 4px 0; color: var(--muted); }
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
                               vertical-align: top; }
table.data th { background: #f2f5f8; font-weight: 600; }
.num { font-variant-numeric: tabular-nums; }
table.data.forecast { table-layout: fixed; }
table.data.forecast th:first-child { width: 24%; }
figure { margin: 14px 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.chart { min-height: 60px; overflow-x: auto; }
.notes { color: var(--muted); font-size: 13px; }
footer { max-width: 980px; margin: 0 auto; padding: 0 40px 30px; color: var(--muted); font-size: 12px; }
#vg-tooltip-element { font-size: 12px !important; }
.chart svg .mark-text, .chart svg .zone_marks, .chart svg [class*="zone_"] { pointer-events: none; }
"""

SCRIPT = """
(function () {
  var specs = JSON.parse(document.getElementById('zopa-figures').textContent);
  window.zopaViews = {};
  window.zopaReady = Promise.all(Array.prototype.map.call(
    document.querySelectorAll('[data-figure]'),
    function (el) {
      var name = el.getAttribute('data-figure');
      return vegaEmbed(el, specs[name], {renderer: 'svg', actions: false})
        .then(function (result) { window.zopaViews[name] = result.view; })
        .catch(function (error) {
          el.textContent = 'This figure could not be drawn: ' + error;
          console.error(error);
        });
    }));
})();
"""


#: What the bundle exports to the page.
BUNDLE_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


def cache_folder() -> Path:
    """zopa's per-user cache folder: ``$ZOPA_CACHE_DIR`` if set, else the platform's cache
    folder (``$XDG_CACHE_HOME/zopa`` or ``~/.cache/zopa``; ``~/Library/Caches/zopa`` on macOS;
    ``%LOCALAPPDATA%\\zopa\\Cache`` on Windows)."""
    env = os.environ.get("ZOPA_CACHE_DIR")
    if env:
        return Path(env)
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "zopa" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "zopa"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / "zopa"


def bundle_path() -> Path:
    """Where the bundle of the installed ``vl-convert-python`` is cached (the file name holds its
    version and a digest of :data:`BUNDLE_SNIPPET`)."""
    from zopa.report.extra import vl_convert

    version = vars(vl_convert()).get("__version__")
    if not version:
        from importlib.metadata import version as installed

        version = installed("vl-convert-python")
    key = hashlib.sha256(BUNDLE_SNIPPET.encode()).hexdigest()[:12]
    return cache_folder() / f"vega-bundle-{version}-{key}.js"


@cache
def vega_bundle() -> str:
    """The Vega + Vega-Lite + Vega-Embed JavaScript bundle, for inlining.

    Building it takes about a second, so it is built once per ``vl-convert-python`` version and
    kept in :func:`bundle_path`: written atomically, with a SHA-256 digest of the bundle on its
    first line that is checked on every read (a damaged or foreign file is rebuilt). A cache that
    cannot be written (a read-only home, say) only costs the rebuild. Within a process the bundle
    is read once.
    """
    path = bundle_path()
    cached = _read_bundle(path)
    if cached is not None:
        return cached
    from zopa.report.extra import vl_convert

    bundle: str = vl_convert().javascript_bundle(BUNDLE_SNIPPET)
    digest = hashlib.sha256(bundle.encode("utf-8")).hexdigest()
    try:
        make_folder(path.parent)
        write_atomic(path, f"{_HEADER}{digest}\n{bundle}")
    except OutputError:
        pass  # no cache: the next run builds the bundle again, nothing else changes
    return bundle


_HEADER = "// zopa vega bundle sha256="


def _read_bundle(path: Path) -> str | None:
    """The cached bundle at ``path``, or ``None`` if it is missing, unreadable or damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    head, sep, bundle = text.partition("\n")
    if not sep or not head.startswith(_HEADER):
        return None
    if hashlib.sha256(bundle.encode("utf-8")).hexdigest() != head[len(_HEADER) :]:
        return None
    return bundle


def _script_safe(text: str) -> str:
    """Text that cannot close the ``<script>`` element it is inlined in.

    Only ``</script`` (any case) is rewritten, to ``<\\/script``, which means the same inside a
    JavaScript string or regular expression and inside JSON.
    """
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def render_page(
    *,
    title: str,
    subtitle: str,
    headline: Sequence[str],
    sections: Sequence[Section],
    meaning: str | None = None,
    notes: Sequence[str] = (),
    footer: str = "",
) -> str:
    """The whole HTML document."""
    specs: dict[str, Any] = {}
    for section in sections:
        specs.update(section.figures)
    nav = "".join(f'<a href="#{esc(s.id)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{esc(s.id)}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections
    )
    head = "".join(f"<p>{esc(sentence)}</p>" for sentence in headline)
    if meaning:
        head += (
            f'<div class="meaning" id="meaning"><h3>What this means</h3><p>{esc(meaning)}</p></div>'
        )
    note_html = (
        '<section id="notes"><h2>Notes</h2><ul class="notes">'
        + "".join(f"<li>{esc(n)}</li>" for n in notes)
        + "</ul></section>"
        if notes
        else ""
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{esc(title)}</h1><div class="meta">{esc(subtitle)}</div></header>'
        f'<div class="headline" id="headline">{head}</div>'
        f"<nav>{nav}</nav><main>{body}{note_html}</main>"
        f"<footer>{esc(footer)}</footer>"
        f'<script type="application/json" id="zopa-figures">{_script_safe(json.dumps(specs))}</script>'
        f"<script>{_script_safe(vega_bundle())}</script>"
        f"<script>{SCRIPT}</script>"
        "</body></html>\n"
    )

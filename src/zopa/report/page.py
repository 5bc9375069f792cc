"""Assembling the self-contained HTML page: inline CSS, inline Vega bundle, inline figure specs.

The page makes no request: the Vega, Vega-Lite and Vega-Embed libraries come from
``vl-convert-python``'s bundler and are inlined, every figure's data is inline, and nothing
references a URL that a browser would fetch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from zopa.report.markup import esc
from zopa.report.sections import Section

__all__ = ["render_page", "vega_bundle"]

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
figure { margin: 14px 0; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.chart { min-height: 60px; overflow-x: auto; }
.notes { color: var(--muted); font-size: 13px; }
footer { max-width: 980px; margin: 0 auto; padding: 0 40px 30px; color: var(--muted); font-size: 12px; }
#vg-tooltip-element { font-size: 12px !important; }
.chart svg .mark-text, .chart svg .zone_marks { pointer-events: none; }
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


@cache
def vega_bundle() -> str:
    """The Vega + Vega-Lite + Vega-Embed JavaScript bundle, for inlining (built once per process)."""
    from zopa.report.extra import vl_convert

    bundle: str = vl_convert().javascript_bundle(
        "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
    )
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

"""The report's one optional dependency, ``vl-convert-python``, installed by the ``report`` extra.

It bundles the Vega JavaScript inlined in the page and renders the figures as SVG and PNG. The core
package (scenarios, readers, analysis, ``zopa analyze``) does not need it.
"""

from __future__ import annotations

from types import ModuleType

__all__ = ["INSTALL", "vl_convert"]

#: What to run to get the report extra.
INSTALL = "pip install 'zopa[report]'"


def vl_convert() -> ModuleType:
    """The ``vl_convert`` module.

    Raises:
        ModuleNotFoundError: it is not installed; the message says how to install it.
    """
    try:
        import vl_convert
    except ModuleNotFoundError as exc:
        raise ModuleNotFoundError(
            f"the zopa report needs the report extra (vl-convert-python): {INSTALL}",
            name="vl_convert",
        ) from exc
    return vl_convert

"""DataFrames for the results' ``to_frame()`` methods; pandas is an optional extra, imported only
when a frame is asked for (``import zopa`` never imports it)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["data_frame"]

MISSING_PANDAS = "to_frame needs pandas: pip install 'zopa[pandas]'"


def data_frame(
    columns: dict[Hashable, Any],
    *,
    index_name: str | None = None,
    index: Sequence[Hashable] | None = None,
) -> pd.DataFrame:
    """A DataFrame of ``columns`` (``{label: values}``; tuple labels make two-level columns).

    Args:
        columns: the columns, in order.
        index_name: name of the row index, if any.
        index: row labels (default ``0, 1, ...``).

    Raises:
        ImportError: pandas is not installed.
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise ImportError(MISSING_PANDAS) from exc
    frame = pd.DataFrame(columns, index=None if index is None else list(index))
    frame.index.name = index_name
    return frame

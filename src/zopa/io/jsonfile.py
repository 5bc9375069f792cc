"""JSON files, parsed once, with the line of any member found when an error needs it.

Every JSON reader in zopa (native scenarios, GeniusWeb domains and profiles, the ANL organisers'
``specials.json``) reads through :func:`load_json`: the file is read with the size limit of
:mod:`zopa.io.safe` and parsed once; :meth:`JsonDocument.line` finds the line of a member by
scanning the text only when an error is reported, so a file that loads costs nothing more.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from zopa.io.safe import MAX_INTEGER_DIGITS, MAX_NESTING, as_path, read_text
from zopa.model.errors import ScenarioError, UnsafeInputError

__all__ = ["JsonDocument", "load_json", "parse_json", "with_floats"]


@dataclass(frozen=True)
class JsonDocument:
    """A parsed JSON file; keeps the text so that errors can name the line of a member.

    Attributes:
        path: the file.
        text: its text.
        data: the parsed value (numbers with a fraction as :class:`~decimal.Decimal` when it was
            parsed exactly).
    """

    path: Path
    text: str
    data: Any

    @property
    def source(self) -> str:
        """The file's name as error messages show it."""
        return str(self.path)

    def line(self, keys: Sequence[str | int]) -> int:
        """1-based line of the value at ``keys`` (object member names and list indices), or of
        its deepest ancestor that exists."""
        return self.text.count("\n", 0, _value_offset(self.text, keys)) + 1


def load_json(path: Path, *, exact: bool = True) -> JsonDocument:
    """Read and parse a JSON file (numbers with a fraction as ``Decimal`` when ``exact``).

    Raises:
        ScenarioError: the file is missing, too large, not UTF-8, empty or not valid JSON (with
            the line of the syntax error).
    """
    path = as_path(path, "path")
    return parse_json(read_text(path), source=path, exact=exact)


def parse_json(text: str, *, source: Path | str, exact: bool = True) -> JsonDocument:
    """Parse JSON ``text`` read from ``source`` (see :func:`load_json`).

    Refused, with the line: nesting deeper than :data:`~zopa.io.safe.MAX_NESTING` (checked before
    parsing), a key repeated in an object, ``NaN`` and ``Infinity`` (not JSON, though Python's
    parser takes them), and numbers beyond the float range.
    """
    where = str(source)
    if not text.strip():
        raise ScenarioError("expected a JSON object, got an empty file", source=where)
    _check_nesting(text, where)
    repeated: list[str] = []  # keys repeated within an object, reported once the text parses

    def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data = dict(pairs)
        if len(data) != len(pairs) and not repeated:
            seen: set[str] = set()
            repeated.extend(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return data

    try:
        data = json.loads(
            text,
            parse_float=_exact_float if exact else _float,
            parse_int=_int,
            parse_constant=_constant,
            object_pairs_hook=_object,
        )
    except _Refused as exc:
        raise ScenarioError(exc.detail, source=where, line=exc.line(text)) from None
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"expected valid JSON, got a syntax error: {exc.msg} (column {exc.colno})",
            source=where,
            line=exc.lineno,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ScenarioError(f"expected valid JSON: {exc}", source=where) from None
    if repeated:
        offset = _duplicate_offset(text)
        raise ScenarioError(
            f'duplicate key "{repeated[0]}"; a key may appear once in an object',
            source=where,
            line=None if offset is None else text.count("\n", 0, offset) + 1,
        )
    return JsonDocument(Path(source), text, data)


class _Refused(ValueError):
    """A value the JSON parser's hooks refuse; :meth:`line` finds where it is."""

    def __init__(self, detail: str, *, literal: str) -> None:
        super().__init__(detail)
        self.detail = detail
        self.literal = literal

    def line(self, text: str) -> int | None:
        found = re.search(r"(?<![\w.+-])" + re.escape(self.literal) + r"(?![\w.+-])", text)
        return None if found is None else text.count("\n", 0, found.start()) + 1


def _int(literal: str) -> int:
    digits = len(literal.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _Refused(
            f"expected a number, got an integer of {digits:,} digits "
            f"(at most {MAX_INTEGER_DIGITS} fit in a float)",
            literal=literal,
        )
    return int(literal)


def _float(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise _Refused(
            f"expected a number, got {literal[:40]}, beyond the float range (about 1.8e308)",
            literal=literal,
        )
    return value


def _exact_float(literal: str) -> Decimal:
    _float(literal)
    return Decimal(literal)


def _constant(literal: str) -> Any:
    raise _Refused(
        f"expected a number, got {literal} (JSON has no NaN or Infinity)", literal=literal
    )


# strings, with their escapes, as one token (the unrolled form is linear on long strings)
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _check_nesting(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`~zopa.io.safe.MAX_NESTING` before the parser (whose
    recursion it would exhaust) sees it."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return
    bare = _STRINGS.sub('""', text).encode("utf-8", "surrogatepass")
    codes = np.frombuffer(bare, dtype=np.uint8)
    opens = (codes == ord("[")) | (codes == ord("{"))
    where = np.flatnonzero(opens | (codes == ord("]")) | (codes == ord("}")))
    depth = np.cumsum(np.where(opens[where], 1, -1))
    if depth.size and depth.max() > MAX_NESTING:
        offset = int(where[np.argmax(depth > MAX_NESTING)])
        raise UnsafeInputError(
            f"expected nesting at most {MAX_NESTING} levels deep, got deeper",
            source=source,
            line=bare.count(b"\n", 0, offset) + 1,
        )


def with_floats(value: Any) -> Any:
    """``value`` with every :class:`~decimal.Decimal` inside it turned into the nearest float
    (what ``json.loads`` would have given without exact parsing)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: with_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [with_floats(v) for v in value]
    return value


# ---------------------------------------------------------------------------- the line locator
_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^,\]}\s]+")


def _value_offset(text: str, keys: Sequence[str | int]) -> int:
    """Offset in valid JSON ``text`` of the value at ``keys`` (or of its deepest existing ancestor).

    Only used to put a line number on an error, so it runs once per error, never on success.
    """
    pos = _skip_ws(text, 0)
    for key in keys:
        found = _find_member(text, pos, key)
        if found is None:
            break
        pos = found
    return pos


def _find_member(text: str, pos: int, key: str | int) -> int | None:
    opener = text[pos : pos + 1]
    if opener not in ("{", "[") or (opener == "{") != isinstance(key, str):
        return None
    close = "}" if opener == "{" else "]"
    pos = _skip_ws(text, pos + 1)
    index, hit = 0, None
    while text[pos : pos + 1] not in (close, ""):
        name: str | int = index
        if opener == "{":
            end = _skip_value(text, pos)
            name = json.loads(text[pos:end])
            pos = _skip_ws(text, _skip_ws(text, end) + 1)  # past the ':'
        if name == key:
            hit = pos  # keep going: with duplicate keys, JSON keeps the last
        pos = _skip_ws(text, _skip_value(text, pos))
        if text[pos : pos + 1] == ",":
            pos = _skip_ws(text, pos + 1)
        index += 1
    return hit


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _skip_value(text: str, pos: int) -> int:
    char = text[pos : pos + 1]
    if char == '"':
        match = _STRING.match(text, pos)
        return match.end() if match else pos + 1
    if char in ("{", "["):
        close = "}" if char == "{" else "]"
        pos = _skip_ws(text, pos + 1)
        while text[pos : pos + 1] not in (close, ""):
            pos = _skip_ws(text, _skip_value(text, pos))
            if text[pos : pos + 1] in (":", ","):
                pos = _skip_ws(text, pos + 1)
        return pos + 1
    scalar = _SCALAR.match(text, pos)
    return scalar.end() if scalar else pos + 1


def _duplicate_offset(text: str) -> int | None:
    """Offset of the first key repeated within one object of valid JSON ``text`` (run only
    when the parser found one; nesting is bounded by then)."""
    found: list[int] = []

    def walk(pos: int) -> int:
        char = text[pos : pos + 1]
        if char == "{":
            keys: set[str] = set()
            pos = _skip_ws(text, pos + 1)
            while text[pos : pos + 1] not in ("}", ""):
                end = _skip_value(text, pos)
                key = json.loads(text[pos:end])
                if key in keys and not found:
                    found.append(pos)
                keys.add(key)
                pos = _skip_ws(text, _skip_ws(text, end) + 1)  # past the ':'
                pos = _skip_ws(text, walk(pos))
                if text[pos : pos + 1] == ",":
                    pos = _skip_ws(text, pos + 1)
            return pos + 1
        if char == "[":
            pos = _skip_ws(text, pos + 1)
            while text[pos : pos + 1] not in ("]", ""):
                pos = _skip_ws(text, walk(pos))
                if text[pos : pos + 1] == ",":
                    pos = _skip_ws(text, pos + 1)
            return pos + 1
        return _skip_value(text, pos)

    walk(_skip_ws(text, 0))
    return found[0] if found else None

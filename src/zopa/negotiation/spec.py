"""Agent specifications as text: ``name`` or ``name(key=value, ...)``, parsed without ``eval``.

The grammar (names are case-insensitive and ``_`` reads as ``-``)::

    spec  := name [ "(" [ key "=" value { "," key "=" value } ] ")" ]
    value := number | "true" | "false" | "none" | spec

A number is a Python ``int`` or ``float`` literal (``2``, ``-0.5``, ``1e-3``); a nested spec names
a component of a BOA agent, e.g. ``boa(bidding=time-dependent(e=0.5), acceptance=ac-combi-max-w(T=0.98))``.
Every mistake raises :class:`~zopa.model.errors.ArgumentError` with a one-line message.

Examples:
    >>> parse_spec("time-dependent(e=0.5, k=0.1)")
    Spec(name='time-dependent', args={'e': 0.5, 'k': 0.1})
    >>> split_specs("boulware, time-dependent(e=0.5,k=0.1),conceder")
    ['boulware', 'time-dependent(e=0.5,k=0.1)', 'conceder']
    >>> parse_spec("linear(e=)")
    Traceback (most recent call last):
    ...
    zopa.model.errors.ArgumentError: agent: expected a value at position 9 of "linear(e=)"
"""

from __future__ import annotations

import inspect
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from typing import Any, ClassVar, NoReturn

from zopa.model.errors import ArgumentError

__all__ = ["Spec", "Specified", "build", "parse_spec", "show_spec", "split_specs"]

_TOKEN = re.compile(
    r"\s*(?:(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w.-]))"
    r"|(?P<name>[A-Za-z][\w-]*)|(?P<punct>[(),=]))"
)


@dataclass(frozen=True)
class Spec:
    """A parsed specification: a registry name and its keyword arguments."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


def _quoted(text: str) -> str:
    """``text`` in double quotes, control characters escaped (messages stay on one line)."""
    return json.dumps(text, ensure_ascii=False)


def _key(name: str) -> str:
    return name.strip().lower().replace("_", "-")


class _Parser:
    def __init__(self, text: str, what: str) -> None:
        self.text, self.what = text, what
        self.tokens: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                at = pos + len(text[pos:]) - len(text[pos:].lstrip())
                self.fail(f"unexpected {text[at]!r}", at)
            assert m is not None and m.lastgroup is not None
            self.tokens.append((m.lastgroup, m.group(m.lastgroup), m.start(m.lastgroup)))
            pos = m.end()
        self.i = 0

    def fail(self, message: str, at: int | None = None) -> NoReturn:
        where = len(self.text) if at is None else at
        raise ArgumentError(f"{self.what}: {message} at position {where} of {_quoted(self.text)}")

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None, expected: str = "") -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None or tok[0] != kind or (value is not None and tok[1] != value):
            self.fail(f"expected {expected or value or kind}", None if tok is None else tok[2])
        assert tok is not None
        self.i += 1
        return tok

    def spec(self) -> Spec:
        name = _key(self.take("name", expected="a name")[1])
        args: dict[str, Any] = {}
        tok = self.peek()
        if tok is not None and tok[1] == "(":
            self.i += 1
            tok = self.peek()
            if tok is not None and tok[1] == ")":
                self.i += 1
                return Spec(name, args)
            while True:
                _, key, at = self.take("name", expected="a parameter name")
                if key in args:
                    self.fail(f'parameter "{key}" given twice', at)
                self.take("punct", "=", '"="')
                args[key] = self.value()
                tok = self.take("punct", expected='"," or ")"')
                if tok[1] == ")":
                    break
                if tok[1] != ",":
                    self.fail('expected "," or ")"', tok[2])
        return Spec(name, args)

    def value(self) -> Any:
        tok = self.peek()
        if tok is None or tok[0] == "punct":
            self.fail("expected a value", None if tok is None else tok[2])
        assert tok is not None
        kind, text, _ = tok
        if kind == "number":
            self.i += 1
            try:
                number = float(text) if any(c in text for c in ".eE") else int(text)
            except ValueError:  # more digits than Python converts
                number = math.inf
            if not math.isfinite(number):
                self.fail(f"expected a finite number, got {text[:20]}", tok[2])
            return number
        literal = {"true": True, "false": False, "none": None}
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        if text.lower() in literal and (nxt is None or nxt[1] != "("):
            self.i += 1
            return literal[text.lower()]
        return self.spec()


def parse_spec(text: str, what: str = "agent") -> Spec:
    """Parse one specification (module docstring); ``what`` starts every error message."""
    if not isinstance(text, str):
        raise ArgumentError(f'{what}: expected a name such as "linear", got {text!r}')
    p = _Parser(text, what)
    if not p.tokens:
        raise ArgumentError(f"{what}: expected a name, got {_quoted(text)}")
    spec = p.spec()
    tok = p.peek()
    if tok is not None:
        p.fail(f"unexpected {tok[1]!r}", tok[2])
    return spec


def split_specs(text: str) -> list[str]:
    """Split a comma-separated list of specs at the commas outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, c in enumerate(text):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return parts


def build(
    spec: Spec,
    registry: Mapping[str, Callable[..., Any]],
    what: str,
    components: Mapping[str, Callable[[Spec], Any]] | None = None,
) -> Any:
    """Call ``registry[spec.name]`` with the spec's arguments, checked against its signature.

    A nested :class:`Spec` is allowed only for a parameter named in ``components``, which builds
    it (so ``boa(bidding=random)`` builds the bidding strategy ``random``).
    """
    if spec.name not in registry:
        raise ArgumentError(f'{what}: expected one of {", ".join(registry)}, got "{spec.name}"')
    factory = registry[spec.name]
    params = inspect.signature(factory).parameters
    names = {p.lower(): p for p in params}
    args: dict[str, Any] = {}
    for key, value in spec.args.items():
        real = names.get(key.lower()) or names.get(key.lower().replace("-", "_"))
        if real is None:
            expected = ", ".join(params) if params else "none"
            raise ArgumentError(
                f'{what} {spec.name}: unknown parameter "{key}" (parameters: {expected})'
            )
        if isinstance(value, Spec):
            if components is None or real not in components:
                raise ArgumentError(
                    f"{what} {spec.name}: {real}: expected a number, got {show_spec(value)}"
                )
            value = components[real](value)
        args[real] = value
    return factory(**args)


def show_value(value: Any) -> str:
    """A parameter value as :func:`parse_spec` reads it back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, Spec):
        return show_spec(value)
    if isinstance(value, (int, float)):
        return repr(value)
    spec = getattr(value, "spec", None)
    if isinstance(spec, str):
        return spec
    return repr(value)


def show_spec(spec: Spec | str, args: Mapping[str, Any] | None = None) -> str:
    """``name(key=value, ...)``, or ``name`` without arguments."""
    name = spec.name if isinstance(spec, Spec) else spec
    if isinstance(spec, Spec):
        args = spec.args
    if not args:
        return name
    return f"{name}({','.join(f'{k}={show_value(v)}' for k, v in args.items())})"


class Specified:
    """Mixin for frozen-dataclass components with a registry name: :attr:`spec` is the text
    :func:`parse_spec` reads back into an equal object (fields left at their default omitted)."""

    #: The component's name in its registry (e.g. ``"ac-next"``).
    spec_name: ClassVar[str] = ""

    @property
    def spec(self) -> str:
        args: dict[str, Any] = {}
        if is_dataclass(self):
            for f in fields(self):
                if not f.init:
                    continue
                value = getattr(self, f.name)
                default = f.default if f.default is not MISSING else MISSING
                if f.default_factory is not MISSING:
                    default = f.default_factory()
                if default is MISSING or value != default:
                    args[f.name] = value
        return show_spec(self.spec_name or type(self).__name__, args)

"""zopa's native scenario format: YAML (or the same structure as JSON).

The format is documented in ``docs/scenario-format.md``. Loading validates twice: the structure
(types, required fields, unknown fields) with pydantic, then the meaning (unknown issues or options,
duplicate names, disagreement options that do not exist) by building the model. Every problem is
reported as ``FILE:LINE: path: what was expected, what was found``.

A file is parsed once. YAML goes through libyaml's C scanner and parser where PyYAML has them (its
pure-Python ones otherwise), PyYAML's composer and its safe constructor; the one node tree gives
both the data and the line of any error. Anchors and aliases are refused while composing (a
scenario needs neither, and they are how "billion laughs" YAML bombs work). JSON is parsed by
:mod:`zopa.io.jsonfile`, whose locator finds an error's line only when there is an error.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
)
from pydantic_core import PydanticCustomError
from yaml.constructor import SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from zopa.io.jsonfile import JsonDocument, parse_json, with_floats
from zopa.io.safe import (
    MAX_INTEGER_DIGITS,
    MAX_NESTING,
    MAX_YAML_NODES,
    as_path,
    check_name,
    read_text,
    write_atomic,
)
from zopa.model.errors import (
    MAX_SHOWN,
    ArgumentError,
    ScenarioError,
    UnsafeInputError,
    check_unique,
    show_names,
    show_value,
)
from zopa.model.issue import DEFAULT_REAL_STEPS, Issue, format_number
from zopa.model.preferences import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Party,
    ValueFunction,
)
from zopa.model.scenario import (
    ObservedOutcome,
    Scenario,
    Source,
    Spread,
    Stakeholder,
    Strategy,
)

__all__ = [
    "dump_native",
    "native_from_json",
    "parse_native",
    "parse_yaml",
    "read_native",
    "scenario_to_dict",
    "write_native",
]

PathKey = tuple[str | int, ...]


# ---------------------------------------------------------------------------- field types
def _number_checker(lo: float | None, hi: float | None, *, lo_open: bool = False) -> Any:
    if lo is None:
        expected = "a number"
    elif hi is None:
        expected = f"a number {'>' if lo_open else '>='} {format_number(lo)}"
    else:
        expected = f"a number in {'(' if lo_open else '['}{format_number(lo)}, {format_number(hi)}]"

    def check(value: Any) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if ok:
            x = float(value)
            ok = math.isfinite(x)
            if ok and lo is not None:
                ok = x > lo if lo_open else x >= lo
            if ok and hi is not None:
                ok = x <= hi
        if not ok:
            raise PydanticCustomError(
                "zopa",
                "expected {expected}, got {got}",
                {"expected": expected, "got": show_value(value)},
            )
        return float(value)

    return BeforeValidator(check)


def _name(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("zopa", "expected a name, got {got}", {"got": show_value(value)})
    text = value if isinstance(value, str) else format_number(value)
    if not text.strip():
        raise PydanticCustomError("zopa", "expected a non-empty name", {})
    return text


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("zopa", "expected text, got {got}", {"got": show_value(value)})
    return str(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not (
        isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    ):
        raise PydanticCustomError(
            "zopa", "expected an integer, got {got}", {"got": show_value(value)}
        )
    return int(value)


Number = Annotated[float, _number_checker(None, None)]
NonNegative = Annotated[float, _number_checker(0.0, None)]
Positive = Annotated[float, _number_checker(0.0, None, lo_open=True)]
Unit = Annotated[float, _number_checker(0.0, 1.0)]
Discount = Annotated[float, _number_checker(0.0, 1.0, lo_open=True)]
Name = Annotated[str, BeforeValidator(_name)]
Text = Annotated[str, BeforeValidator(_text)]
Integer = Annotated[int, BeforeValidator(_integer)]
_check_number = _number_checker(None, None).func


def _position(value: Any) -> float | str:
    return value if isinstance(value, str) else _check_number(value)


def _disagreement(value: Any) -> float | str:
    return value if isinstance(value, float) else _name(value)


PositionValue = Annotated[float | str, BeforeValidator(_position)]

#: Tags of the tagged unions below; they appear in pydantic's error locations and are left out
#: of the paths zopa reports.
_TAGS = frozenset({"<number>", "<per issue>", "<option or point>", "<both>"})


def _tag(number: str, mapping: str) -> Discriminator:
    return Discriminator(lambda value: mapping if isinstance(value, dict) else number)


#: One number for every issue, or ``{issue: number}``.
Capability = Annotated[
    Annotated[NonNegative, Tag("<number>")]
    | Annotated[dict[Name, NonNegative], Tag("<per issue>")],
    _tag("<number>", "<per issue>"),
]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Spec):
    title: Text
    url: Text = ""
    date: Text = ""
    publisher: Text = ""


class OptionSpec(_Spec):
    name: Name
    scale: Number | None = None
    description: Text = ""


def _option(value: Any) -> Any:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"name": value}
    return value


class IntegerSpec(_Spec):
    low: Integer
    high: Integer


class RealSpec(_Spec):
    low: Number
    high: Number
    steps: Integer = DEFAULT_REAL_STEPS


class IssueSpec(_Spec):
    name: Name
    description: Text = ""
    options: list[Annotated[OptionSpec, BeforeValidator(_option)]] | None = None
    integer: IntegerSpec | None = None
    real: RealSpec | None = None
    disagreement: Annotated[str | float, BeforeValidator(_disagreement)] | None = None


class FunctionSpec(_Spec):
    function: Literal["increasing", "decreasing", "peak"]
    at: Number | None = None
    width: Positive | None = None


class RectangleSpec(_Spec):
    utility: Number
    weight: Number = 1.0
    include: dict[Name, tuple[Number, Number]] = Field(default_factory=dict)


class HyperRectanglesSpec(_Spec):
    type: Literal["hyperrectangles"]
    max_utility: Positive
    ufun_weight: Number = 1.0
    rectangles: list[RectangleSpec]


class PartySpec(_Spec):
    name: Name
    description: Text = ""
    normalize: bool = True
    weights: dict[Name, NonNegative] | None = None
    values: dict[Name, dict[Name, Any]] | None = None
    utility: HyperRectanglesSpec | None = None
    reservation: Unit | None = None
    discount: Discount = 1.0
    power: Positive | None = None


class StakeholderSpec(_Spec):
    name: Name
    description: Text = ""
    party: Name | None = None
    capability: Capability
    positions: dict[Name, PositionValue] = Field(default_factory=dict)
    salience: dict[Name, Unit] = Field(default_factory=dict)


class ObservedIssueSpec(_Spec):
    option: Name | None = None
    point: Number | None = None


#: An option name, a number (a point on a numeric scale), or ``{option, point}``.
ObservedValue = Annotated[
    Annotated[PositionValue, Tag("<option or point>")]
    | Annotated[ObservedIssueSpec, Tag("<both>")],
    _tag("<option or point>", "<both>"),
]


class ObservedSpec(_Spec):
    outcome: dict[Name, ObservedValue]
    source: Text = ""
    date: Text = ""
    description: Text = ""


class SpreadSpec(_Spec):
    # the ranges and defaults are Spread's own: it is the one validator of a spread
    concentration: Number | None = None
    value_noise: Number | None = None
    reservation_noise: Number | None = None


def _agenda(value: Any) -> str | list[str]:
    if value == "all":
        return "all"
    if isinstance(value, list):
        return [_name(v) for v in value]
    raise PydanticCustomError(
        "zopa",
        'expected "all" or a list of issue names, got {got}',
        {"got": show_value(value)},
    )


class StrategySpec(_Spec):
    party: Name
    agenda: Annotated[Any, BeforeValidator(_agenda)] = "all"
    chips: list[Name] = Field(default_factory=list)
    text: Text = ""


class ScenarioSpec(_Spec):
    name: Name | None = None
    title: Text = ""
    description: Text = ""
    date: Text = ""
    sources: list[SourceSpec] = Field(default_factory=list)
    issues: list[IssueSpec] = Field(min_length=1)
    parties: list[PartySpec] = Field(default_factory=list)
    stakeholders: list[StakeholderSpec] = Field(default_factory=list)
    observed: ObservedSpec | None = None
    robustness: SpreadSpec | None = None
    strategy: StrategySpec | None = None


# ---------------------------------------------------------------------------- parsing
def _render_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _clip(str(part))
    return out


def _clip(text: str) -> str:
    """A key as an error message shows it: cut after :data:`~zopa.model.errors.MAX_SHOWN`."""
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


#: Finds the 1-based line of a path in the document (or of its deepest existing ancestor).
Locator = Callable[[PathKey], int | None]


class _Composer(yaml.composer.Composer):
    """PyYAML's composer, refusing anchors, aliases, deep nesting and too many nodes before it
    builds a node.

    Refusing them while composing, rather than in a separate pass, keeps a file to one parse; a
    "billion laughs" file stops at its first anchor, and a file nested deeper than
    :data:`~zopa.io.safe.MAX_NESTING` levels stops there, long before Python's recursion limit.
    """

    _depth = 0
    _nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise UnsafeInputError(
                "YAML anchors and aliases are not allowed in scenario files", line=_line(event)
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise UnsafeInputError(
                f"expected at most {MAX_YAML_NODES:,} values (scalars, lists and mappings) in a "
                "YAML file, got more; write a scenario this large as JSON, which reads faster",
                line=_line(event),
            )
        if self._depth >= MAX_NESTING:
            raise UnsafeInputError(
                f"expected nesting at most {MAX_NESTING} levels deep, got deeper",
                line=_line(event),
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return None if mark is None else int(mark.line) + 1


class _Resolver(Resolver):
    """YAML 1.1's resolver, plus the numbers with an exponent that YAML 1.1 leaves as text
    (``5e-1``, ``1e3``, ``2.5E4``; YAML 1.2 and JSON read them as numbers, and so do people)."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
    list("-+0123456789."),
)


class _Constructor(SafeConstructor):
    """PyYAML's safe constructor, refusing with the line what would otherwise escape as a raw
    Python error: repeated keys, integers beyond the float range, numbers that overflow to
    infinity, and dates that do not exist (``2024-02-30``)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                line = int(key_node.start_mark.line) + 1
                try:
                    first = seen.get(key)
                except TypeError:
                    continue  # unhashable: SafeConstructor reports it
                if first is not None:
                    raise ScenarioError(
                        f"duplicate key {show_value(key)} (also on line {first}); "
                        "a key may appear once in a mapping",
                        line=line,
                    )
                seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        text = str(node.value).replace("_", "").lstrip("+-")
        if not text.startswith(("0x", "0b")) and len(text) > MAX_INTEGER_DIGITS:
            raise ScenarioError(
                f"expected a number, got an integer of {len(text):,} digits "
                f"(at most {MAX_INTEGER_DIGITS} fit in a float)",
                line=int(node.start_mark.line) + 1,
            )
        value: int = super().construct_yaml_int(node)
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise ScenarioError(
                f"expected a number, got an integer beyond the float range: {node.value[:20]}...",
                line=int(node.start_mark.line) + 1,
            )
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value: float = super().construct_yaml_float(node)
        if math.isinf(value) and "inf" not in str(node.value).lower():
            raise ScenarioError(
                f"expected a number, got {str(node.value)[:40]}, beyond the float range "
                "(about 1.8e308)",
                line=int(node.start_mark.line) + 1,
            )
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise ScenarioError(
                f'expected a date that exists, got {str(node.value)[:40]} ({exc}); quote it ("...") '
                "to keep it as text",
                line=int(node.start_mark.line) + 1,
            ) from None


# SafeConstructor's table maps tags to its own functions: point the overridden tags at ours
for _kind in ("int", "float", "timestamp"):
    _Constructor.add_constructor(
        f"tag:yaml.org,2002:{_kind}", getattr(_Constructor, f"construct_yaml_{_kind}")
    )


if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class _Loader(_Composer, CParser, _Constructor, _Resolver):
        """libyaml's C scanner and parser under :class:`_Composer` and :class:`_Constructor`."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml

    class _Loader(Reader, Scanner, Parser, _Composer, _Constructor, _Resolver):  # type: ignore[no-redef]
        """PyYAML's pure-Python safe loader with :class:`_Composer` and :class:`_Constructor`."""

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)


def _load_yaml(text: str, source: str) -> tuple[Any, Locator]:
    """Parse YAML ``text`` once: the data and a locator over the same node tree."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except ScenarioError as exc:
        raise exc.located(source=source) from None
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(
            f"expected YAML text without control characters, got character #x{exc.character:04x}"
            if isinstance(exc.character, int)
            else f"expected valid YAML: {exc.reason}",
            source=source,
            line=text.count("\n", 0, exc.position) + 1,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = None if mark is None else int(mark.line) + 1
        raise ScenarioError(
            f"expected valid YAML: {exc.problem or exc}", source=source, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"expected valid YAML: {exc}", source=source) from None
    except RecursionError:
        raise ScenarioError(
            "expected valid YAML, got nesting too deep to read", source=source
        ) from None
    finally:
        loader.dispose()
    return data, partial(_node_line, node)


def parse_yaml(text: str, source: str) -> tuple[Any, Locator]:
    """Parse YAML ``text`` read from ``source`` as scenario files are parsed (safe loader, no
    anchors or aliases, size and nesting limits, errors with the line): the data and a locator
    that gives the 1-based line of a path such as ``(1, 0)``. For small files beside scenarios
    (``zopa negotiate --agenda FILE``)."""
    return _load_yaml(text, source)


def _node_line(root: yaml.Node | None, path: PathKey) -> int | None:
    """Line of ``path`` in a composed YAML document: a mapping entry's key, a list item's start."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            entries = [
                (key, value)
                for key, value in node.value
                if isinstance(key, yaml.ScalarNode) and key.value == str(part)
            ]
            if not entries:
                break
            key, node = entries[-1]  # with a repeated key, YAML keeps the last
            line = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _json_line(doc: JsonDocument, path: PathKey) -> int | None:
    return doc.line(path)


def _pydantic_problems(exc: ValidationError, locate: Locator, source: str) -> ScenarioError:
    problems: list[ScenarioError] = []
    for err in exc.errors():
        loc: list[str | int] = []
        for part in err["loc"]:
            if part == "[key]" or part in _TAGS:
                continue
            if isinstance(part, str) and part.startswith("function-"):
                continue
            loc.append(part)
        path = tuple(loc)
        kind = err["type"]
        got = err.get("input")
        if kind == "missing":
            detail = f'missing required field "{path[-1]}"'
            path = path[:-1]
        elif kind == "extra_forbidden":
            detail = f'unknown field "{_clip(str(path[-1]))}"'
        elif kind == "zopa":
            detail = err["msg"]
        elif kind in {"list_type", "model_type", "dict_type", "model_attributes_type"}:
            expected = "a list" if kind == "list_type" else "a mapping"
            detail = f"expected {expected}, got {show_value(got)}"
        elif kind == "too_short":
            detail = "expected at least one entry, got an empty list"
        elif kind == "literal_error":
            detail = f"expected {err['ctx']['expected']}, got {show_value(got)}"
        elif kind == "bool_type" or kind == "bool_parsing":
            detail = f"expected true or false, got {show_value(got)}"
        else:
            detail = f"{err['msg'][0].lower()}{err['msg'][1:]}, got {show_value(got)}"
        problems.append(
            ScenarioError(detail, path=_render_path(path), source=source, line=locate(path))
        )
    first, *rest = problems
    return ScenarioError(
        first.detail, path=first.path, source=source, line=first.line, more=tuple(rest)
    )


def read_native(path: Path | str, *, name: str | None = None) -> Scenario:
    """Read a native YAML or JSON scenario file (parsed once)."""
    path = as_path(path, "path")
    check_name(name, "name")
    text = read_text(path)
    return parse_native(text, source=str(path), name=name or path.stem.removesuffix(".scenario"))


def parse_native(text: str, *, source: str = "<string>", name: str = "scenario") -> Scenario:
    """Parse native scenario text (YAML, or JSON when ``source`` ends in ``.json``) into a
    validated :class:`Scenario`.

    YAML is parsed once, with libyaml's C parser where PyYAML has it; the node tree that gives
    the data also gives the line of any error.
    """
    if not isinstance(text, str):
        raise ArgumentError(f"text: expected a str, got {type(text).__name__}")
    if not isinstance(source, str):
        raise ArgumentError(f"source: expected a str, got {type(source).__name__}")
    if source.endswith(".json"):
        return native_from_json(parse_json(text, source=source, exact=False), name=name)
    data, locate = _load_yaml(text, source)
    return _from_data(data, locate, source, name)


def native_from_json(doc: JsonDocument, *, name: str | None = None) -> Scenario:
    """The scenario in a parsed native JSON file (exact decimals are read as floats).

    Lets :func:`zopa.io.load_scenario` parse a ``.json`` file once to tell a native scenario from
    a GeniusWeb file and then read it without parsing it again.
    """
    default = name or doc.path.stem.removesuffix(".scenario")
    return _from_data(with_floats(doc.data), partial(_json_line, doc), doc.source, default)


def _from_data(data: Any, locate: Locator, source: str, name: str) -> Scenario:
    if not isinstance(data, dict):
        got = show_value(data) if data is not None else "an empty file"
        raise ScenarioError(
            f"expected a mapping with issues and parties, got {got}", source=source, line=1
        )
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_problems(exc, locate, source) from None
    try:
        return _build(spec, name)
    except ScenarioError as exc:
        raise exc.located(source=source, line=locate(_path_key(exc.path))) from None


def _path_key(path: str) -> PathKey:
    out: list[str | int] = []
    for chunk in path.replace("[", ".[").split("."):
        if not chunk:
            continue
        if chunk.startswith("[") and chunk.endswith("]") and chunk[1:-1].isdigit():
            out.append(int(chunk[1:-1]))
        else:
            out.append(chunk)
    return tuple(out)


# ---------------------------------------------------------------------------- building the model
def _build(spec: ScenarioSpec, default_name: str) -> Scenario:
    issues = tuple(_issue_at(s, i) for i, s in enumerate(spec.issues))
    check_unique([issue.name for issue in issues], "issues", "issue")
    parties = tuple(_build_party(p, issues, j) for j, p in enumerate(spec.parties))
    check_unique([p.name for p in parties], "parties", "party")
    stakeholders = tuple(_build_stakeholder(s, issues, j) for j, s in enumerate(spec.stakeholders))
    observed = None if spec.observed is None else _build_observed(spec.observed, issues)
    return Scenario(
        name=spec.name or default_name,
        issues=issues,
        parties=parties,
        stakeholders=stakeholders,
        observed=observed,
        spread=_build_spread(spec.robustness),
        strategy=_build_strategy(spec.strategy),
        title=spec.title,
        description=spec.description,
        date=spec.date,
        sources=tuple(Source(**s.model_dump()) for s in spec.sources),
    )


def _build_spread(spec: SpreadSpec | None) -> Spread:
    if spec is None:
        return Spread()
    try:
        return Spread(**{k: v for k, v in spec.model_dump().items() if v is not None})
    except ScenarioError as exc:
        raise exc.within("robustness") from None


def _build_strategy(spec: StrategySpec | None) -> Strategy | None:
    if spec is None:
        return None
    agenda = spec.agenda if isinstance(spec.agenda, str) else tuple(spec.agenda)
    try:
        return Strategy(spec.party, agenda, tuple(spec.chips), spec.text)
    except ScenarioError as exc:
        raise exc.within("strategy") from None


def _build_observed(spec: ObservedSpec, issues: tuple[Issue, ...]) -> ObservedOutcome:
    codes: list[int | None] = [None] * len(issues)
    points: list[float | None] = [None] * len(issues)
    for issue_name, value in spec.outcome.items():
        k = _issue_code(issues, issue_name, "observed.outcome")
        codes[k], points[k] = _observed_on(issues[k], value, f"observed.outcome.{issue_name}")
    return ObservedOutcome(
        outcome=tuple(codes),
        points=tuple(points),
        source=spec.source,
        date=spec.date,
        description=spec.description,
    )


def _observed_on(
    issue: Issue, value: str | float | ObservedIssueSpec, path: str
) -> tuple[int | None, float | None]:
    """The option code and scale point an observed outcome gives one issue.

    An option name gives the option and its scale number; a number is a point on the issue's
    numeric scale (and the option there, if one sits exactly on it) or, on an issue without a
    scale, the name of an option; ``{option, point}`` gives both.
    """
    if isinstance(value, ObservedIssueSpec):
        if value.option is None and value.point is None:
            raise ScenarioError("expected an option, a point or both, got neither", path=path)
        code = None if value.option is None else _option_code(issue, value.option, f"{path}.option")
        if value.point is None:
            return code, _point_of(issue, code)
        point = _on_scale(issue, value.point, f"{path}.point")
        return (issue.option_at(point) if code is None else code), point
    if isinstance(value, str) or issue.scale is None:
        name = value if isinstance(value, str) else format_number(value)
        if not isinstance(value, str) and name not in issue.options:
            raise ScenarioError(
                f'expected one of the options of issue "{issue.name}" {show_names(issue.options)} '
                f"(it has no numeric scale for a point), got {format_number(value)}",
                path=path,
            )
        code = _option_code(issue, name, path)
        return code, _point_of(issue, code)
    point = _on_scale(issue, value, path)
    return issue.option_at(point), point


def _point_of(issue: Issue, code: int | None) -> float | None:
    return None if code is None else float(issue.scale_points[code])


def _on_scale(issue: Issue, x: float, path: str) -> float:
    try:
        return issue.check_point(x, "a point")
    except ScenarioError as exc:
        raise exc.within(path) from None


def _issue_at(spec: IssueSpec, i: int) -> Issue:
    try:
        return _build_issue(spec)
    except ScenarioError as exc:
        raise exc.within(f"issues[{i}]") from None


def _build_issue(spec: IssueSpec) -> Issue:
    given = [k for k in ("options", "integer", "real") if getattr(spec, k) is not None]
    if len(given) != 1:
        raise ScenarioError(
            "expected exactly one of options, integer or real"
            + (f", got {' and '.join(given)}" if given else ", got none")
        )
    dis = spec.disagreement
    # an integer or real issue's disagreement is a number
    x = None if dis is None or spec.options is not None else _numeric(dis, "disagreement")
    if spec.integer is not None:
        return Issue.integer(
            spec.name,
            spec.integer.low,
            spec.integer.high,
            disagreement=None if x is None else _as_int(x),
            description=spec.description,
        )
    if spec.real is not None:
        return Issue.real(
            spec.name,
            spec.real.low,
            spec.real.high,
            steps=spec.real.steps,
            disagreement=x,
            description=spec.description,
        )
    assert spec.options is not None
    if not spec.options:
        raise ScenarioError("expected at least one option, got an empty list", path="options")
    scales = [o.scale for o in spec.options]
    if any(s is not None for s in scales) and any(s is None for s in scales):
        missing = next(i for i, s in enumerate(scales) if s is None)
        raise ScenarioError(
            "expected a scale on every option once one option has one", path=f"options[{missing}]"
        )
    names = [o.name for o in spec.options]
    dis_name = None if dis is None else (dis if isinstance(dis, str) else format_number(dis))
    return Issue.discrete(
        spec.name,
        names,
        scale=None if scales[0] is None else [float(s) for s in scales if s is not None],
        disagreement=dis_name,
        description=spec.description,
    )


def _numeric(value: str | float, path: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ScenarioError(f"expected a number, got {show_value(value)}", path=path) from None


def _as_int(value: float) -> int:
    if not float(value).is_integer():
        raise ScenarioError(f"expected an integer, got {value}", path="disagreement")
    return int(value)


def _issue_code(issues: tuple[Issue, ...], name: str, where: str) -> int:
    for k, issue in enumerate(issues):
        if issue.name == name:
            return k
    raise ScenarioError(
        f'expected one of the issues {", ".join(i.name for i in issues)}; got "{name}"',
        path=f"{where}.{name}",
    )


def _option_code(issue: Issue, option: str | float, where: str) -> int:
    try:
        return issue.code(option)
    except ScenarioError as exc:
        raise ScenarioError(exc.detail, path=where) from None


def _build_party(spec: PartySpec, issues: tuple[Issue, ...], j: int) -> Party:
    where = f"parties[{j}]"
    if spec.utility is not None:
        if spec.weights is not None or spec.values is not None:
            raise ScenarioError(
                "expected either utility or weights and values, got both", path=where
            )
        utility: AdditiveUtility | HyperRectangleUtility = _build_rectangles(
            spec.utility, issues, f"{where}.utility"
        )
    else:
        if spec.weights is None:
            raise ScenarioError('missing required field "weights"', path=where)
        if spec.values is None:
            raise ScenarioError('missing required field "values"', path=where)
        utility = _build_additive(spec, issues, where)
    try:
        return Party(
            name=spec.name,
            utility=utility,
            reservation=spec.reservation,
            discount=spec.discount,
            power=spec.power,
            description=spec.description,
        )
    except ScenarioError as exc:
        raise exc.within(where) from None


def _build_additive(spec: PartySpec, issues: tuple[Issue, ...], where: str) -> AdditiveUtility:
    assert spec.weights is not None and spec.values is not None
    for key in spec.weights:
        _issue_code(issues, key, f"{where}.weights")
    for key in spec.values:
        _issue_code(issues, key, f"{where}.values")
    missing = [i.name for i in issues if i.name not in spec.weights]
    if missing:
        raise ScenarioError(
            f"expected a weight for every issue, missing {', '.join(missing)}",
            path=f"{where}.weights",
        )
    raw = [spec.weights[i.name] for i in issues]
    if not any(w > 0 for w in raw):
        raise ScenarioError(
            "expected at least one weight > 0, got all zero", path=f"{where}.weights"
        )
    if spec.normalize:
        total = sum(raw)
        if not math.isfinite(total):
            # weights near the float limit overflow their sum (1e308 + 1e308 is infinite, and
            # every weight would become 0): divide by the largest first
            top = max(raw)
            raw = [w / top for w in raw]
            total = sum(raw)
        weights = tuple(w / total for w in raw)
    else:
        weights = tuple(raw)
    values: list[tuple[float, ...]] = []
    functions: list[ValueFunction | None] = []
    for issue in issues:
        path = f"{where}.values.{issue.name}"
        entry = spec.values.get(issue.name)
        if entry is None:
            raise ScenarioError(
                f'expected values for every issue, missing "{issue.name}"', path=f"{where}.values"
            )
        if "function" in entry:
            fn = _build_function(entry, issue, path)
            functions.append(fn)
            values.append(tuple(float(v) for v in fn.evaluate(issue.scale_points)))
        else:
            functions.append(None)
            values.append(_build_table(entry, issue, path))
    try:
        return AdditiveUtility(
            weights=weights,
            values=tuple(values),
            functions=tuple(functions) if any(f is not None for f in functions) else (),
        )
    except ScenarioError as exc:
        raise exc.within(where) from None


def _build_function(entry: Mapping[str, Any], issue: Issue, path: str) -> ValueFunction:
    try:
        fn = FunctionSpec.model_validate(entry)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        detail = (
            err["msg"]
            if err["type"] == "zopa"
            else f"{err['msg']}, got {show_value(err.get('input'))}"
        )
        if err["type"] == "extra_forbidden":
            detail = f'unknown field "{err["loc"][-1]}"'
        raise ScenarioError(detail, path=f"{path}.{loc}" if loc else path) from None
    if issue.scale is None:
        raise ScenarioError(
            f'expected a value table: issue "{issue.name}" has no numeric scale for a function',
            path=path,
        )
    try:
        return ValueFunction(fn.function, at=fn.at, width=fn.width)
    except ScenarioError as exc:
        raise exc.within(path) from None


def _build_table(entry: Mapping[str, Any], issue: Issue, path: str) -> tuple[float, ...]:
    table: dict[int, float] = {}
    for key, value in entry.items():
        code = _option_code(issue, key, f"{path}.{key}")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and 0 <= value <= 1)
        ):
            raise ScenarioError(
                f"expected a number in [0, 1], got {show_value(value)}", path=f"{path}.{key}"
            )
        table[code] = float(value)
    missing = [issue.options[c] for c in range(issue.size) if c not in table]
    if missing:
        shown = ", ".join(f'"{m}"' for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise ScenarioError(f"expected a value for every option, missing {shown}", path=path)
    return tuple(table[c] for c in range(issue.size))


def _build_rectangles(
    spec: HyperRectanglesSpec, issues: tuple[Issue, ...], where: str
) -> HyperRectangleUtility:
    rects = []
    for r, rect in enumerate(spec.rectangles):
        bounds = []
        for issue_name, (low, high) in rect.include.items():
            k = _issue_code(issues, issue_name, f"{where}.rectangles[{r}].include")
            if low > high:
                raise ScenarioError(
                    f"expected [low, high] with low <= high, got [{format_number(low)}, "
                    f"{format_number(high)}] (a box that contains nothing)",
                    path=f"{where}.rectangles[{r}].include.{issue_name}",
                )
            bounds.append((k, float(low), float(high)))
        rects.append(HyperRectangle(utility=rect.utility, bounds=tuple(bounds), weight=rect.weight))
    return HyperRectangleUtility(
        rectangles=tuple(rects), max_utility=spec.max_utility, ufun_weight=spec.ufun_weight
    )


def _build_stakeholder(spec: StakeholderSpec, issues: tuple[Issue, ...], j: int) -> Stakeholder:
    where = f"stakeholders[{j}]"
    positions: list[float | None] = [None] * len(issues)
    salience = [0.0] * len(issues)
    for name, pos in spec.positions.items():
        k = _issue_code(issues, name, f"{where}.positions")
        issue = issues[k]
        if isinstance(pos, str):
            code = _option_code(issue, pos, f"{where}.positions.{name}")
            positions[k] = float(issue.scale_points[code])
        else:
            positions[k] = float(pos)
    for name, s in spec.salience.items():
        k = _issue_code(issues, name, f"{where}.salience")
        if positions[k] is None:
            raise ScenarioError(
                f'expected a position on "{name}" to go with its salience, got none',
                path=f"{where}.salience.{name}",
            )
        salience[k] = float(s)
    capability = _build_capability(spec.capability, issues, positions, f"{where}.capability")
    try:
        return Stakeholder(
            name=spec.name,
            capability=capability,
            positions=tuple(positions),
            salience=tuple(salience),
            party=spec.party,
            description=spec.description,
        )
    except ScenarioError as exc:
        raise exc.within(where) from None


def _build_capability(
    spec: float | dict[str, float],
    issues: tuple[Issue, ...],
    positions: list[float | None],
    where: str,
) -> tuple[float, ...]:
    """One number stands for every issue; ``{issue: number}`` must cover every issue the
    stakeholder takes a position on (the others get 0)."""
    if not isinstance(spec, dict):
        return (float(spec),) * len(issues)
    capability = [0.0] * len(issues)
    for name, c in spec.items():
        capability[_issue_code(issues, name, where)] = float(c)
    missing = [
        i.name
        for i, x in zip(issues, positions, strict=True)
        if x is not None and i.name not in spec
    ]
    if missing:
        raise ScenarioError(
            "expected a capability on every issue the stakeholder takes a position on, missing "
            + ", ".join(missing),
            path=where,
        )
    return tuple(capability)


# ---------------------------------------------------------------------------- writing
def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The native-format structure of ``scenario`` (reads back to identical utilities)."""
    out: dict[str, Any] = {"name": scenario.name}
    for key in ("title", "description", "date"):
        if getattr(scenario, key):
            out[key] = getattr(scenario, key)
    if scenario.sources:
        out["sources"] = [{k: v for k, v in vars(s).items() if v} for s in scenario.sources]
    out["issues"] = [_issue_to_dict(issue) for issue in scenario.issues]
    out["parties"] = [_party_to_dict(p, scenario) for p in scenario.parties]
    if scenario.stakeholders:
        out["stakeholders"] = [
            {
                "name": s.name,
                **({"description": s.description} if s.description else {}),
                **({"party": s.party} if s.party else {}),
                "capability": _capability_to_native(s.capability, scenario.issues),
                "positions": {k: x for k, (x, _) in s.stances(scenario.issues).items()},
                "salience": {k: v for k, (_, v) in s.stances(scenario.issues).items()},
            }
            for s in scenario.stakeholders
        ]
    if scenario.spread != Spread():
        out["robustness"] = vars(scenario.spread).copy()
    if scenario.strategy is not None:
        st = scenario.strategy
        out["strategy"] = {
            "party": st.party,
            "agenda": st.agenda if isinstance(st.agenda, str) else list(st.agenda),
            **({"chips": list(st.chips)} if st.chips else {}),
            **({"text": st.text} if st.text else {}),
        }
    if scenario.observed is not None:
        obs = scenario.observed
        points = obs.points or (None,) * scenario.n_issues
        outcome = {
            i.name: _observed_to_native(i, c, x)
            for i, c, x in zip(scenario.issues, obs.outcome, points, strict=True)
        }
        out["observed"] = {
            "outcome": {name: v for name, v in outcome.items() if v is not None},
            **{k: getattr(obs, k) for k in ("source", "date", "description") if getattr(obs, k)},
        }
    return out


def _capability_to_native(capability: tuple[float, ...], issues: tuple[Issue, ...]) -> Any:
    """One number when it is the same on every issue (the shorthand), else ``{issue: number}``."""
    if len(set(capability)) == 1:
        return capability[0]
    return {i.name: c for i, c in zip(issues, capability, strict=True)}


def _observed_to_native(issue: Issue, code: int | None, point: float | None) -> Any:
    """The shortest form that reads back to the same option and point."""
    if code is None:
        if point is None:
            return None
        return point if issue.scale is not None else {"point": point}
    option = issue.options[code]
    if point is None or point == float(issue.scale_points[code]):
        return option
    return {"option": option, "point": point}


def _issue_to_dict(issue: Issue) -> dict[str, Any]:
    out: dict[str, Any] = {"name": issue.name}
    if issue.description:
        out["description"] = issue.description
    pos = issue.scale_points
    if issue.kind == "integer" and issue.bounds is not None:
        out["integer"] = {"low": int(issue.bounds[0]), "high": int(issue.bounds[1])}
        if issue.disagreement is not None:
            out["disagreement"] = int(pos[issue.disagreement])
        return out
    if issue.kind == "real" and issue.bounds is not None:
        probe = Issue.real("probe", issue.bounds[0], issue.bounds[1], steps=issue.size)
        if probe.options == issue.options and probe.scale == issue.scale:
            out["real"] = {"low": issue.bounds[0], "high": issue.bounds[1], "steps": issue.size}
            if issue.disagreement is not None:
                out["disagreement"] = float(pos[issue.disagreement])
            return out
    if issue.scale is None:
        out["options"] = list(issue.options)
    else:
        out["options"] = [
            {"name": o, "scale": s} for o, s in zip(issue.options, issue.scale, strict=True)
        ]
    if issue.disagreement is not None:
        out["disagreement"] = issue.options[issue.disagreement]
    return out


def _party_to_dict(party: Party, scenario: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"name": party.name}
    if party.description:
        out["description"] = party.description
    u = party.utility
    if isinstance(u, AdditiveUtility):
        if sum(u.weights) != 1.0:
            out["normalize"] = False
        out["weights"] = {i.name: w for i, w in zip(scenario.issues, u.weights, strict=True)}
        values: dict[str, Any] = {}
        for k, issue in enumerate(scenario.issues):
            fn = u.functions[k] if u.functions else None
            if fn is not None:
                values[issue.name] = {"function": fn.kind} | (
                    {"at": fn.at, "width": fn.width} if fn.kind == "peak" else {}
                )
            else:
                values[issue.name] = dict(zip(issue.options, u.values[k], strict=True))
        out["values"] = values
    else:
        out["utility"] = {
            "type": "hyperrectangles",
            "max_utility": u.max_utility,
            "ufun_weight": u.ufun_weight,
            "rectangles": [
                {
                    "utility": r.utility,
                    "weight": r.weight,
                    "include": {scenario.issues[k].name: [lo, hi] for k, lo, hi in r.bounds},
                }
                for r in u.rectangles
            ],
        }
    if party.reservation is not None:
        out["reservation"] = party.reservation
    if party.discount != 1.0:
        out["discount"] = party.discount
    if party.power is not None:
        out["power"] = party.power
    return out


def dump_native(scenario: Scenario, *, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The native YAML (or JSON) text of ``scenario``."""
    data = scenario_to_dict(scenario)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return text


#: libyaml's C emitter where PyYAML has it (the same text as the pure-Python one, faster).
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_native(scenario: Scenario, path: Path | str) -> Path:
    """Write ``scenario`` as native YAML (``.yaml``/``.yml``) or JSON (``.json``), atomically."""
    path = Path(path)
    fmt: Literal["yaml", "json"] = "json" if path.suffix.lower() == ".json" else "yaml"
    write_atomic(path, dump_native(scenario, fmt=fmt))
    return path

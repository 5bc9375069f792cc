"""GeniusWeb scenarios: JSON domains and ``LinearAdditiveUtilitySpace`` profiles.

GeniusWeb is the negotiation platform of Tim Baarslag, Wouter Pasman and colleagues at TU Delft
(Interactive Intelligence group, https://tracinsy.ewi.tudelft.nl/pubtrac/GeniusWeb), the successor
of GENIUS. The Automated Negotiating Agents Competition ran its ANL 2022 and ANL 2023 leagues on it
and published their domains in this format, together with a ``specials.json`` of reference results
(Pareto front, Nash, Kalai and maximum social welfare bids) that :func:`read_specials` reads.

The files, as GeniusWeb (and its Python port) reads them:

- A domain is ``{"name": ..., "issuesValues": {issue: value set}}``; a value set is either
  ``{"values": [strings]}`` (discrete values are always strings) or a number range
  ``{"range": {"low": l, "high": h, "step": s}}`` (older form ``{"range": [l, h, s]}``) whose values
  are ``l, l+s, l+2s, ... <= h``, computed in decimal arithmetic.
- A profile is ``{"LinearAdditiveUtilitySpace": {"name", "domain", "issueUtilities",
  "issueWeights", "reservationBid"}}`` with ``U(bid) = Σ weight × utility(value)``. Utilities are
  already in [0, 1]; weights are used as given (GeniusWeb requires them to sum to 1).
- Per-issue utilities come in two key generations: ``discreteutils`` / ``numberutils`` (older
  GeniusWeb releases) and ``DiscreteValueSetUtilities`` / ``NumberValueSetUtilities`` (newer
  releases and the ANL files). Both are read; the new names are written.
- ``NumberValueSetUtilities`` interpolates linearly between ``(lowValue, lowUtility)`` and
  ``(highValue, highUtility)``, quantised to 8 decimals (half up) like GeniusWeb; ``lowValue`` and
  ``highValue`` must be the range's ends.
- The reservation is a bid, not a number: a party's reservation value is the utility of its
  ``reservationBid`` (issues it leaves out count 0), or 0 without one (as in the ANL files).

zopa's reading conventions: issues follow the domain's ``issuesValues`` order; parties are seated in
the order the profiles are given, named by the profile's ``name`` when that is unique among the
profiles, else by the file stem. A discrete value that a profile gives no utility gets utility 0
(GeniusWeb's ``getUtility``), with a warning since GeniusWeb itself refuses such a profile; weights
that do not sum to 1 are also used as given with a warning.
"""

from __future__ import annotations

import json
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    InvalidOperation,
    localcontext,
)
from pathlib import Path, PurePath
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.io.jsonfile import JsonDocument, load_json
from zopa.io.safe import as_path, check_name
from zopa.model.errors import (
    ArgumentError,
    ConversionWarning,
    ScenarioError,
    SpaceTooLargeError,
    show_names,
    show_value,
)
from zopa.model.issue import MAX_OPTIONS, Issue, format_number
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.scenario import Scenario

__all__ = [
    "geniusweb_files",
    "is_geniusweb_domain",
    "is_geniusweb_profile",
    "read_geniusweb",
    "read_geniusweb_folder",
    "read_specials",
    "write_geniusweb",
]

PROFILE_KEY = "LinearAdditiveUtilitySpace"
DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")
#: File name of the ANL organisers' reference results, never a profile.
SPECIALS_FILE = "specials.json"

#: Weights whose sum is this close to 1 count as summing to 1.
WEIGHT_TOLERANCE = 1e-9

#: Outcomes whose utilities differ by less than this count as equally good for a reservation bid.
SAME_UTILITY = 1e-12

#: Largest outcome space :func:`write_geniusweb` searches for a bid to stand for a reservation value.
RESERVATION_SEARCH_LIMIT = 10_000_000

_QUANTUM = Decimal("1.00000000")
_DECIMAL = Context(prec=28, rounding=ROUND_HALF_EVEN)
_KINDS = (
    '"DiscreteValueSetUtilities" or "NumberValueSetUtilities" (or "discreteutils", "numberutils")'
)


# ---------------------------------------------------------------------------- detection
def is_geniusweb_profile(data: object) -> bool:
    """Whether parsed JSON ``data`` is a GeniusWeb linear additive profile."""
    return isinstance(data, dict) and isinstance(data.get(PROFILE_KEY), dict)


def is_geniusweb_domain(data: object) -> bool:
    """Whether parsed JSON ``data`` is a GeniusWeb domain (an object with ``issuesValues``)."""
    return isinstance(data, dict) and isinstance(data.get("issuesValues"), dict)


def _profile_type(data: object) -> str | None:
    """The type of a GeniusWeb profile of any kind (``{"SumOfGroupsUtilitySpace": {"domain"...``):
    the one key of an object whose value has a domain, issue utilities or issue weights."""
    if isinstance(data, dict) and len(data) == 1:
        ((key, value),) = data.items()
        if isinstance(value, dict) and {"domain", "issueUtilities", "issueWeights"} & set(value):
            return str(key)
    return None


# ---------------------------------------------------------------------------- JSON documents
def _show(value: Any) -> str:
    return show_value(value, dialect="json")


@dataclass(frozen=True)
class _Node:
    """A value inside a JSON document, with the path that error messages name."""

    doc: JsonDocument
    value: Any
    keys: tuple[str | int, ...] = ()

    @property
    def path(self) -> str:
        out = ""
        for key in self.keys:
            out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
        return out

    def error(self, detail: str) -> ScenarioError:
        return ScenarioError(
            detail, path=self.path, source=self.doc.source, line=self.doc.line(self.keys)
        )

    def child(self, key: str | int) -> _Node:
        return _Node(self.doc, self.value[key], (*self.keys, key))

    def members(self, what: str) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected {what}, got {_show(self.value)}")
        return self.value

    def member(self, key: str, what: str) -> _Node:
        if key not in self.members("an object"):
            raise self.error(f'expected a member "{key}" ({what}), got none')
        return self.child(key)

    def items(self, what: str) -> list[Any]:
        if not isinstance(self.value, list):
            raise self.error(f"expected {what}, got {_show(self.value)}")
        return self.value

    def string(self) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected a string, got {_show(self.value)}")
        return self.value

    def number(self) -> Decimal:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.error(f"expected a number, got {_show(value)}")
        return Decimal(value)

    def unit(self, what: str) -> Decimal:
        x = self.number()
        if not 0 <= x <= 1:
            raise self.error(f"expected {what} in [0, 1], got {x}")
        return x


# ---------------------------------------------------------------------------- domains
@dataclass(frozen=True)
class _ValueSet:
    """One issue of a GeniusWeb domain: discrete ``values`` or a number ``grid``."""

    issue: str
    values: tuple[str, ...] = ()
    bounds: tuple[Decimal, Decimal, Decimal] | None = None  # low, high, step of a range
    grid: tuple[Decimal, ...] = ()

    @property
    def is_number(self) -> bool:
        return self.bounds is not None

    def same_as(self, other: _ValueSet) -> bool:
        if self.bounds is not None or other.bounds is not None:
            return self.grid == other.grid
        return set(self.values) == set(other.values)

    def describe(self) -> str:
        if self.bounds is None:
            return f"values {show_names(self.values)}"
        low, high, step = self.bounds
        return f"the range {low}..{high} step {step}"

    def code(self, node: _Node) -> int:
        """Option code of a bid's value for this issue."""
        if self.bounds is None:
            value = node.value
            if isinstance(value, str) and value in self.values:
                return self.values.index(value)
            raise node.error(
                f'expected one of the values of issue "{self.issue}" {show_names(self.values)}, '
                f"got {_show(value)}"
            )
        x = node.number()
        if x in self.grid:
            return self.grid.index(x)
        raise node.error(f'expected a value of issue "{self.issue}" in {self.describe()}, got {x}')


@dataclass(frozen=True)
class _Domain:
    name: str
    sets: tuple[_ValueSet, ...]
    node: _Node

    @property
    def where(self) -> str:
        return self.node.doc.source + (f" ({self.node.path})" if self.node.keys else "")


def _parse_domain(node: _Node) -> _Domain:
    node.members("a GeniusWeb domain object")
    name = node.child("name").string() if "name" in node.value else ""
    issues = node.member("issuesValues", "an object mapping issue names to value sets")
    if not issues.members("an object mapping issue names to value sets"):
        raise issues.error("expected at least one issue, got none")
    sets = tuple(_parse_value_set(issues.child(issue), issue) for issue in issues.value)
    return _Domain(name, sets, node)


def _parse_value_set(node: _Node, issue: str) -> _ValueSet:
    spec = node.members('an object {"values": [...]} or {"range": {...}}')
    if "values" in spec:
        items = node.child("values")
        values = items.items("a list of strings")
        if not values:
            raise items.error("expected at least one value, got an empty list")
        seen: set[str] = set()
        for i in range(len(values)):
            text = items.child(i).string()
            if text in seen:
                raise items.child(i).error(f'expected distinct values, got "{text}" twice')
            seen.add(text)
        return _ValueSet(issue, values=tuple(values))
    if "range" in spec:
        return _parse_range(node.child("range"), issue)
    raise node.error(f'expected {{"values": [...]}} or {{"range": {{...}}}}, got keys {list(spec)}')


def _parse_range(node: _Node, issue: str) -> _ValueSet:
    if isinstance(node.value, list):
        if len(node.value) != 3:
            raise node.error(f"expected [low, high, step], got a list of {len(node.value)}")
        low, high, step = (node.child(i).number() for i in range(3))
        where = {"low": node.child(0), "high": node.child(1), "step": node.child(2)}
    else:
        where = {k: node.member(k, "a number") for k in ("low", "high", "step")}
        low, high, step = (where[k].number() for k in ("low", "high", "step"))
    if not step > 0:
        raise where["step"].error(f"expected a step > 0, got {step}")
    if high < low:
        raise where["high"].error(f"expected high >= low {low}, got {high}")
    with localcontext(_DECIMAL):
        try:
            # compared before dividing: a tiny step would make the count too long to hold
            if high - low >= step * MAX_OPTIONS:
                raise node.error(
                    f"expected at most {MAX_OPTIONS:,} values, got more: "
                    f"({high} - {low}) / {step} is at least {MAX_OPTIONS:,}"
                )
            count = int((high - low) // step) + 1
            grid = tuple(low + i * step for i in range(count))
        except DecimalException:
            raise node.error(
                f"expected low, high and step whose values {_DECIMAL.prec}-digit decimal "
                f"arithmetic can count, got low {low}, high {high}, step {step}"
            ) from None
    return _ValueSet(issue, bounds=(low, high, step), grid=grid)


def _model_issue(spec: _ValueSet, node: _Node) -> Issue:
    try:
        if spec.bounds is None:
            return Issue.discrete(spec.issue, spec.values)
        low, high, step = spec.bounds
        if step == 1 and low == low.to_integral_value() and high == high.to_integral_value():
            return Issue.integer(spec.issue, int(low), int(high))
        return Issue(
            name=spec.issue,
            options=tuple(format_number(float(x)) for x in spec.grid),
            scale=tuple(float(x) for x in spec.grid),
            kind="real",
            bounds=(float(low), float(high)),
        )
    except ScenarioError as exc:
        raise node.error(exc.detail) from None


def _check_same_domain(reference: _Domain, other: _Domain) -> None:
    """Raise unless ``other`` has the issues and values of ``reference``."""
    issues = other.node.child("issuesValues")
    theirs = {s.issue: s for s in other.sets}
    ours = {s.issue: s for s in reference.sets}
    for spec in other.sets:
        if spec.issue not in ours:
            raise issues.child(spec.issue).error(
                f"expected only the issues {show_names(ours)} of the domain in {reference.where}, "
                f'got the extra issue "{spec.issue}"'
            )
    for spec in reference.sets:
        if spec.issue not in theirs:
            raise issues.error(
                f'expected the issue "{spec.issue}" of the domain in {reference.where}, got none'
            )
        if not spec.same_as(theirs[spec.issue]):
            raise issues.child(spec.issue).error(
                f"expected {spec.describe()} as in the domain in {reference.where}, "
                f"got {theirs[spec.issue].describe()}"
            )


# ---------------------------------------------------------------------------- profiles
@dataclass(frozen=True)
class _Profile:
    space: _Node  # the LinearAdditiveUtilitySpace object
    domain: _Domain | None
    name: str | None

    @property
    def doc(self) -> JsonDocument:
        return self.space.doc


def _open_profile(doc: JsonDocument) -> _Profile:
    root = _Node(doc, doc.data)
    top = root.members(f'a GeniusWeb profile {{"{PROFILE_KEY}": {{...}}}}')
    if PROFILE_KEY not in top:
        if is_geniusweb_domain(top):
            raise root.error("expected a GeniusWeb profile, got a domain")
        kind = _profile_type(top)
        if kind is not None:
            raise root.error(
                f"expected a {PROFILE_KEY} profile, got a {show_value(kind)[1:-1]} "
                "(zopa reads only linear additive GeniusWeb profiles)"
            )
        raise root.error(
            f'expected a GeniusWeb profile {{"{PROFILE_KEY}": ...}}, got keys {list(top)}'
        )
    space = root.child(PROFILE_KEY)
    fields = space.members("an object")
    domain = _parse_domain(space.child("domain")) if "domain" in fields else None
    name = space.child("name").string() if fields.get("name") is not None else None
    return _Profile(space, domain, name or None)


def _number_utility(
    x: Decimal, low_value: Decimal, low_utility: Decimal, high_value: Decimal, high_utility: Decimal
) -> Decimal:
    """GeniusWeb's ``NumberValueSetUtilities.getUtility``: linear, 0 outside, 8 decimals half up."""
    if x < low_value or x > high_value:
        return Decimal(0)
    with localcontext(_DECIMAL):
        u = low_utility + (high_utility - low_utility) * (x - low_value) / (high_value - low_value)
        return u.quantize(_QUANTUM, rounding=ROUND_HALF_UP)


def _issue_values(node: _Node, spec: _ValueSet, notes: list[str]) -> tuple[float, ...]:
    wrapper = node.members(f"an object with one of {_KINDS}")
    if len(wrapper) != 1:
        raise node.error(f"expected exactly one of {_KINDS}, got keys {list(wrapper)}")
    (kind,) = wrapper
    inner = node.child(kind)
    if kind in DISCRETE_KEYS:
        if spec.bounds is not None:
            raise inner.error(
                f'expected NumberValueSetUtilities for the number issue "{spec.issue}", got {kind}'
            )
        table = inner.member("valueUtilities", "an object mapping values to utilities")
        given = table.members("an object mapping values to utilities")
        known = set(spec.values)
        for value in given:
            if value not in known:
                raise table.child(value).error(
                    f'expected one of the values of issue "{spec.issue}" {show_names(spec.values)}, '
                    f'got "{value}"'
                )
        missing = [v for v in spec.values if v not in given]
        if missing:
            notes.append(
                f"{node.doc.source}: {table.path}: no utility for {show_names(missing)}; they get "
                "utility 0 (GeniusWeb itself refuses such a profile)"
            )
        return tuple(
            float(table.child(v).unit("a utility")) if v in given else 0.0 for v in spec.values
        )
    if kind in NUMBER_KEYS:
        if spec.bounds is None:
            raise inner.error(
                f'expected DiscreteValueSetUtilities for the discrete issue "{spec.issue}", '
                f"got {kind}"
            )
        inner.members("an object")
        low_value = inner.member("lowValue", "a number").number()
        high_value = inner.member("highValue", "a number").number()
        low_utility = inner.member("lowUtility", "a utility").unit("a utility")
        high_utility = inner.member("highUtility", "a utility").unit("a utility")
        low, high, _ = spec.bounds
        if low_value != low:
            raise inner.child("lowValue").error(
                f"expected the low end {low} of the issue's range, got {low_value}"
            )
        if high_value != high:
            raise inner.child("highValue").error(
                f"expected the high end {high} of the issue's range, got {high_value}"
            )
        if not high_value > low_value:
            raise inner.child("highValue").error(
                f"expected highValue > lowValue {low_value}, got {high_value}"
            )
        return tuple(
            float(_number_utility(x, low_value, low_utility, high_value, high_utility))
            for x in spec.grid
        )
    raise node.error(f'expected {_KINDS}, got "{kind}"')


def _check_issue_keys(node: _Node, domain: _Domain, what: str) -> None:
    names = [s.issue for s in domain.sets]
    given = node.members(f"an object mapping issue names to {what}")
    for issue in given:
        if issue not in names:
            raise node.child(issue).error(
                f'expected one of the domain\'s issues {show_names(names)}, got "{issue}"'
            )
    for issue in names:
        if issue not in given:
            raise node.error(f'expected {what} for the issue "{issue}", got none')


def _build_party(profile: _Profile, domain: _Domain, name: str, notes: list[str]) -> Party:
    space = profile.space
    utilities = space.member("issueUtilities", "an object mapping issues to utilities")
    weights_node = space.member("issueWeights", "an object mapping issues to weights")
    _check_issue_keys(utilities, domain, "utilities")
    _check_issue_keys(weights_node, domain, "a weight")
    exact: list[Decimal] = []
    for spec in domain.sets:
        w = weights_node.child(spec.issue).number()
        if w < 0:
            raise weights_node.child(spec.issue).error(f"expected a weight >= 0, got {w}")
        exact.append(w)
    total = sum(exact, Decimal(0))
    if not total > 0:
        raise weights_node.error(
            "expected at least one weight > 0, got all zero (every outcome would be worth 0)"
        )
    if abs(total - 1) > WEIGHT_TOLERANCE:
        notes.append(
            f"{space.doc.source}: {weights_node.path}: the weights sum to {total}, not 1 "
            "(GeniusWeb requires 1); they are used as given"
        )
    weights = tuple(float(w) for w in exact)
    values = tuple(_issue_values(utilities.child(s.issue), s, notes) for s in domain.sets)
    try:
        utility = AdditiveUtility(weights, values)
    except ScenarioError as exc:
        raise weights_node.error(exc.detail) from None
    reservation = _reservation(space, domain, weights, values)
    try:
        return Party(name=name, utility=utility, reservation=reservation)
    except ScenarioError as exc:
        raise space.error(f"{exc.path}: {exc.detail}" if exc.path else exc.detail) from None


def _reservation(
    space: _Node,
    domain: _Domain,
    weights: Sequence[float],
    values: Sequence[Sequence[float]],
) -> float:
    """Utility of the profile's ``reservationBid`` (0 without one)."""
    if space.value.get("reservationBid") is None:
        return 0.0
    bid = space.child("reservationBid").member("issuevalues", "an object mapping issues to values")
    given = bid.members("an object mapping issues to values")
    index = {s.issue: k for k, s in enumerate(domain.sets)}
    codes: dict[int, int] = {}
    for issue in given:
        if issue not in index:
            raise bid.child(issue).error(
                f'expected one of the domain\'s issues {show_names(index)}, got "{issue}"'
            )
        codes[index[issue]] = domain.sets[index[issue]].code(bid.child(issue))
    total = 0.0  # summed in issue order, exactly as Scenario.utilities does
    for k in range(len(domain.sets)):
        if k in codes:
            total += weights[k] * values[k][codes[k]]
    if total > 1.0:
        if total > 1.0 + WEIGHT_TOLERANCE:
            raise bid.error(f"expected a bid with utility in [0, 1], got utility {total!r}")
        total = 1.0
    return total


# ---------------------------------------------------------------------------- reading
def read_geniusweb(
    domain: Path | JsonDocument | None,
    profiles: Sequence[Path | JsonDocument],
    *,
    name: str | None = None,
) -> Scenario:
    """Read a GeniusWeb domain and linear additive profiles as a :class:`~zopa.model.Scenario`.

    Args:
        domain: the domain file, or ``None`` to take the domain embedded in the profiles. A
            profile given here is taken as the first profile.
        profiles: the profile files; their parties are seated in this order.

    A file may also be given as the :class:`~zopa.io.jsonfile.JsonDocument` that
    :func:`~zopa.io.jsonfile.load_json` made of it, so that a caller who has parsed it already
    (to recognise it) does not parse it again.
        name: the scenario's name (default: the domain's ``name``, else the file stem).

    Raises:
        ScenarioError: a file is not valid JSON, not a GeniusWeb domain or linear additive profile,
            or the profiles' embedded domains disagree with each other or with the domain file.
    """
    if isinstance(profiles, str | bytes | PurePath) or not isinstance(profiles, Sequence):
        raise ArgumentError(
            f"profiles: expected a list of files, got {type(profiles).__name__} {profiles!r}"[:200]
        )
    check_name(name, "name")
    docs = [_document(p, f"profiles[{k}]") for k, p in enumerate(profiles)]
    domain_doc = None
    if domain is not None:
        domain_doc = _document(domain, "domain")
        if is_geniusweb_profile(domain_doc.data):
            docs.insert(0, domain_doc)
            domain_doc = None
    scenario, notes = _read(domain_doc, docs, name)
    for note in notes:
        warnings.warn(note, ConversionWarning, stacklevel=2)
    return scenario


def _document(file: Path | JsonDocument, argument: str) -> JsonDocument:
    return file if isinstance(file, JsonDocument) else load_json(as_path(file, argument))


def read_geniusweb_folder(folder: Path, *, name: str | None = None) -> Scenario:
    """Read a GeniusWeb scenario folder: one domain file and the profiles beside it.

    Files are recognised by content, in file-name order; ``specials.json`` (ANL organiser data) is
    skipped, and other JSON that is neither a domain nor a profile is ignored with a warning. The
    folder may lack a domain file, since every profile embeds its domain. ``name`` defaults to the folder's name.
    """
    folder = as_path(folder, "folder")
    check_name(name, "name")
    if not folder.is_dir():
        raise ScenarioError("expected a folder of GeniusWeb JSON files", source=str(folder))
    domains: list[JsonDocument] = []
    profiles: list[JsonDocument] = []
    ignored: list[str] = []
    for path in sorted(folder.glob("*.json"), key=lambda p: p.name):
        if path.name == SPECIALS_FILE or not path.is_file():
            continue
        doc = load_json(path)
        if is_geniusweb_profile(doc.data) or _profile_type(doc.data) is not None:
            profiles.append(doc)  # a profile of another kind is refused when it is opened
        elif is_geniusweb_domain(doc.data):
            domains.append(doc)
        else:
            ignored.append(path.name)
    if len(domains) > 1:
        files = ", ".join(d.path.name for d in domains)
        raise ScenarioError(
            f"expected one GeniusWeb domain file, got {len(domains)}: {files}", source=str(folder)
        )
    if not profiles:
        raise ScenarioError(
            f'expected GeniusWeb profiles (JSON files with "{PROFILE_KEY}"), got none',
            source=str(folder),
        )
    scenario, notes = _read(domains[0] if domains else None, profiles, name or folder.name)
    notes[:0] = [f"ignored {n}: neither a GeniusWeb domain nor a profile" for n in ignored]
    for note in notes:
        warnings.warn(note, ConversionWarning, stacklevel=2)
    return scenario


def _read(
    domain_doc: JsonDocument | None, docs: Sequence[JsonDocument], name: str | None
) -> tuple[Scenario, list[str]]:
    if not docs:
        source = domain_doc.source if domain_doc else None
        raise ScenarioError("expected at least one GeniusWeb profile, got none", source=source)
    profiles = [_open_profile(doc) for doc in docs]
    reference = _parse_domain(_Node(domain_doc, domain_doc.data)) if domain_doc else None
    for profile in profiles:
        if profile.domain is None:
            if domain_doc is None:
                raise profile.space.error(
                    'expected a member "domain" (the profile\'s domain), got none; '
                    "give the domain file too"
                )
            continue
        if reference is None:
            reference = profile.domain
        else:
            _check_same_domain(reference, profile.domain)
    assert reference is not None
    issues = tuple(
        _model_issue(s, reference.node.child("issuesValues").child(s.issue)) for s in reference.sets
    )
    notes: list[str] = []
    parties = tuple(
        _build_party(p, reference, party_name, notes)
        for p, party_name in zip(profiles, _partyshow_names(profiles), strict=True)
    )
    stem = (domain_doc or docs[0]).path.stem
    scenario_name = name or reference.name or stem
    try:
        return Scenario(scenario_name, issues, parties, title=reference.name), notes
    except ScenarioError as exc:
        raise exc.located(source=reference.where) from None


def _partyshow_names(profiles: Sequence[_Profile]) -> list[str]:
    declared = Counter(p.name for p in profiles if p.name)
    names = [p.name if p.name and declared[p.name] == 1 else p.doc.path.stem for p in profiles]
    seen: dict[str, _Profile] = {}
    for profile, party in zip(profiles, names, strict=True):
        if party in seen:
            raise ScenarioError(
                f'expected distinct party names, got "{party}" also for {seen[party].doc.source}',
                source=profile.doc.source,
            )
        seen[party] = profile
    return names


def read_specials(path: Path) -> dict[str, Any]:
    """The ANL 2023 organisers' ``specials.json``: reference results for a domain.

    Returns the parsed file, checked to hold ``size`` (the number of outcomes), ``pareto_front``
    (a list of points) and the ``nash``, ``kalai`` and ``social_welfare`` points, where a point is
    ``{"bid": {issue: value}, "utility": [one per profile, in profile order]}``. Other members
    (``opposition``, ``distribution``) are passed through.
    """
    doc = load_json(as_path(path, "path"), exact=False)
    root = _Node(doc, doc.data)
    data = root.members("an object of ANL reference results")
    size = root.member("size", "the number of outcomes")
    if isinstance(size.value, bool) or not isinstance(size.value, int) or size.value < 0:
        raise size.error(f"expected a whole number >= 0, got {_show(size.value)}")
    for key in ("nash", "kalai", "social_welfare"):
        _check_point(root.member(key, "a point with a bid and utilities"))
    front = root.member("pareto_front", "a list of points")
    for i in range(len(front.items("a list of points"))):
        _check_point(front.child(i))
    return data


def _check_point(node: _Node) -> None:
    node.members('an object {"bid": ..., "utility": [...]}')
    node.member("bid", "an object mapping issues to values").members("an object")
    utility = node.member("utility", "a list of utilities")
    for i, u in enumerate(utility.items("a list of utilities")):
        if isinstance(u, bool) or not isinstance(u, int | float):
            raise utility.child(i).error(f"expected a number, got {_show(u)}")


# ---------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class _Encoded:
    """How one issue is written: its value set, each party's utilities, and bid values."""

    value_set: dict[str, Any]
    utilities: tuple[dict[str, Any], ...]
    bid_values: tuple[str | Decimal, ...]


def write_geniusweb(
    scenario: Scenario,
    folder: Path,
    *,
    domain_file: str | None = None,
    strict: bool = False,
) -> list[Path]:
    """Write ``scenario`` as a GeniusWeb domain file and one profile per party in ``folder``.

    The new key names (``DiscreteValueSetUtilities``, ``NumberValueSetUtilities``) are written. A
    numeric issue becomes a number range when its options are evenly spaced and every party's
    values are linear on it, otherwise a discrete issue. Weights are written so that their decimal
    sum is exactly 1 (GeniusWeb checks it exactly). A reservation value becomes a
    ``reservationBid``: the all-disagreement outcome when the party's reservation derives from it,
    else the outcome with the lowest utility at or above the reservation value (so the same bids
    are acceptable). Each profile carries its party's name; when the names do not sort in party
    order, the profile files are numbered (``1-Name.json``, ...) so that the folder reads back with
    the parties in order. Files are written atomically.

    What GeniusWeb cannot hold (discount factors, stakeholders, the observed outcome, "if talks
    fail" options, ...: see :func:`zopa.io.losses.conversion_losses`) is warned, one
    :class:`~zopa.model.errors.ConversionWarning` per kind; with ``strict`` it is an error instead
    and nothing is written.

    Args:
        domain_file: the domain file's name (default: the scenario's name, ``.json``).
        strict: refuse (``ScenarioError``) to write anything that loses information.

    Returns:
        The paths written: the domain file first, then the profiles in party order.

    Raises:
        ScenarioError: a party's preferences are not additive or its weights do not sum to 1, no
            outcome reaches a party's reservation value, or ``strict`` and something would be lost.
        SpaceTooLargeError: a reservation bid must be searched in a space too large to enumerate.
    """
    from zopa.io.losses import write_converted

    files, notes = geniusweb_files(scenario, Path(folder), domain_file=domain_file)
    return write_converted(files, notes, target=folder, folder=Path(folder), strict=strict)


def geniusweb_files(
    scenario: Scenario, folder: Path, *, domain_file: str | None = None
) -> tuple[list[tuple[Path, str | bytes]], list[str]]:
    """The files :func:`write_geniusweb` writes (path and content, domain first) and one line
    per kind of information they lose; nothing is written."""
    from zopa.io.losses import conversion_losses

    notes = list(conversion_losses(scenario, "geniusweb"))
    utilities: list[AdditiveUtility] = []
    for j, party in enumerate(scenario.parties):
        u = party.utility
        if not isinstance(u, AdditiveUtility):
            raise ScenarioError(
                "GeniusWeb linear additive profiles need additive preferences, got "
                f'non-additive ones for party "{party.name}" (write native YAML or GENIUS XML '
                "instead)",
                path=f"parties[{j}].utility",
            )
        total = float(np.sum(u.weights))
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            raise ScenarioError(
                f"GeniusWeb requires weights summing to 1, got a sum of {total:.12g} for party "
                f'"{party.name}" (normalise them, or write native YAML or GENIUS XML, which '
                "keep them as they are)",
                path=f"parties[{j}].weights",
            )
        utilities.append(u)
    encoded = [
        _encode_issue(issue, [u.values[k] for u in utilities])
        for k, issue in enumerate(scenario.issues)
    ]
    as_discrete = [
        i.name
        for i, e in zip(scenario.issues, encoded, strict=True)
        if i.kind != "discrete" and "values" in e.value_set
    ]
    if as_discrete:
        notes.append(
            "GeniusWeb JSON cannot hold numeric issues that are unevenly spaced or valued other "
            f"than linearly ({', '.join(as_discrete)}); they are written as discrete values"
        )
    domain = {
        "name": scenario.name or "zopa",
        "issuesValues": {
            i.name: e.value_set for i, e in zip(scenario.issues, encoded, strict=True)
        },
    }
    used: set[str] = {SPECIALS_FILE.lower()}
    domain_name = domain_file or _file_name(scenario.name or "domain", used)
    used.add(domain_name.lower())
    names = [party.name for party in scenario.parties]
    numbered = len(names) > 1 and [_file_name(n, set()) for n in names] != sorted(
        _file_name(n, set()) for n in names
    )
    width = len(str(len(names)))
    documents: list[tuple[str, Any]] = [(domain_name, domain)]
    reservations = scenario.reservation_values() if scenario.parties else np.zeros(0)
    approximated: list[str] = []
    for j, (party, u) in enumerate(zip(scenario.parties, utilities, strict=True)):
        space: dict[str, Any] = {
            "name": party.name,
            "domain": domain,
            "issueUtilities": {
                i.name: e.utilities[j] for i, e in zip(scenario.issues, encoded, strict=True)
            },
            "issueWeights": dict(
                zip((i.name for i in scenario.issues), _exact_weights(u.weights), strict=True)
            ),
        }
        bid = _reservation_bid(scenario, j, float(reservations[j]), approximated)
        if bid is not None:
            space["reservationBid"] = {
                "issuevalues": {
                    i.name: e.bid_values[int(c)]
                    for i, e, c in zip(scenario.issues, encoded, bid, strict=True)
                }
            }
        stem = f"{j + 1:0{width}d}-{party.name}" if numbered else party.name
        documents.append((_file_name(stem, used), {PROFILE_KEY: space}))
    if approximated:
        notes.append(
            "GeniusWeb JSON cannot hold a reservation value, only a reservation bid; written as "
            f"the bid of lowest utility at or above it ({'; '.join(approximated)}), so the same "
            "bids are acceptable"
        )
    folder = Path(folder)
    files: list[tuple[Path, str | bytes]] = [
        (folder / file_name, _dumps(document) + "\n") for file_name, document in documents
    ]
    return files, notes


def _encode_issue(issue: Issue, values: Sequence[Sequence[float]]) -> _Encoded:
    grid = _even_grid(issue)
    if grid is not None and all(_is_linear(grid, vs) for vs in values):
        low, high = grid[0], grid[-1]
        return _Encoded(
            value_set={"range": {"low": low, "high": high, "step": grid[1] - grid[0]}},
            utilities=tuple(
                {
                    "NumberValueSetUtilities": {
                        "lowValue": low,
                        "lowUtility": float(vs[0]),
                        "highValue": high,
                        "highUtility": float(vs[-1]),
                    }
                }
                for vs in values
            ),
            bid_values=grid,
        )
    return _Encoded(
        value_set={"values": list(issue.options)},
        utilities=tuple(
            {
                "DiscreteValueSetUtilities": {
                    "valueUtilities": {o: float(v) for o, v in zip(issue.options, vs, strict=True)}
                }
            }
            for vs in values
        ),
        bid_values=issue.options,
    )


def _even_grid(issue: Issue) -> tuple[Decimal, ...] | None:
    """The options of a numeric issue as evenly spaced decimals, or ``None``."""
    if issue.kind == "discrete" or issue.size < 2:
        return None
    try:
        grid = tuple(Decimal(label) for label in issue.options)
    except InvalidOperation:
        return None
    if not all(x.is_finite() for x in grid):
        return None
    with localcontext(_DECIMAL):
        step = grid[1] - grid[0]
        if not step > 0 or any(x != grid[0] + i * step for i, x in enumerate(grid)):
            return None
    return grid


def _is_linear(grid: Sequence[Decimal], values: Sequence[float]) -> bool:
    """Whether GeniusWeb's number utilities between the grid's ends reproduce ``values`` exactly."""
    low_u, high_u = Decimal(repr(float(values[0]))), Decimal(repr(float(values[-1])))
    return all(
        float(_number_utility(x, grid[0], low_u, grid[-1], high_u)) == float(v)
        for x, v in zip(grid, values, strict=True)
    )


def _exact_weights(weights: Sequence[float]) -> list[Decimal]:
    """The weights as decimals summing exactly to 1 (the largest absorbs float round-off)."""
    exact = [Decimal(repr(float(w))) for w in weights]
    with localcontext(_DECIMAL):
        total = sum(exact, Decimal(0))
        if exact and total != 1:
            k = max(range(len(exact)), key=lambda i: exact[i])
            exact[k] = 1 - (total - exact[k])
    return exact


def _reservation_bid(
    scenario: Scenario, j: int, reservation: float, notes: list[str]
) -> npt.NDArray[np.int64] | None:
    """The bid that stands for party ``j``'s reservation value, or ``None`` for a value of 0."""
    party = scenario.parties[j]
    outcome = scenario.disagreement_outcome
    if party.reservation is None and outcome is not None:
        return outcome
    if reservation <= 0.0:
        return None
    if scenario.n_outcomes > RESERVATION_SEARCH_LIMIT:
        raise SpaceTooLargeError(
            f'party "{party.name}" has reservation value {reservation:g}, which GeniusWeb needs as '
            f"a bid; finding one means searching {scenario.n_outcomes:,} outcomes, more than the "
            f"limit of {RESERVATION_SEARCH_LIMIT:,}; write native YAML or GENIUS XML instead, "
            "which hold the value itself"
        )
    best: npt.NDArray[np.int64] | None = None
    best_gap = best_utility = np.inf
    for chunk in scenario.iter_outcomes():
        u = scenario.utilities(chunk)[:, j]
        gap = np.where(u >= reservation - SAME_UTILITY, np.abs(u - reservation), np.inf)
        i = int(np.argmin(gap))
        if gap[i] < best_gap:
            best_gap, best_utility, best = float(gap[i]), float(u[i]), chunk[i]
    if best is None:
        raise ScenarioError(
            f"GeniusWeb states a reservation as a bid, but no outcome reaches party "
            f'"{party.name}"\'s reservation value {reservation:g}',
            path=f"parties[{j}].reservation",
        )
    if best_gap > WEIGHT_TOLERANCE:
        notes.append(f"{party.name}: {reservation:g} as {best_utility:g}")
    return best


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_name(name: str, used: set[str]) -> str:
    stem = _UNSAFE.sub("_", name).strip("._") or "profile"
    candidate, n = stem, 2
    while f"{candidate}.json".lower() in used:
        candidate, n = f"{stem}-{n}", n + 1
    used.add(f"{candidate}.json".lower())
    return f"{candidate}.json"


def _dumps(value: Any, indent: str = "") -> str:
    """JSON text with two-space indentation; decimals are written exactly as they are."""
    if isinstance(value, dict | list) and value:
        inner = indent + "  "
        if isinstance(value, dict):
            parts = [
                f"{json.dumps(k, ensure_ascii=False)}: {_dumps(v, inner)}" for k, v in value.items()
            ]
            open_, close = "{", "}"
        else:
            parts = [_dumps(v, inner) for v in value]
            open_, close = "[", "]"
        return open_ + "\n" + ",\n".join(inner + p for p in parts) + "\n" + indent + close
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, allow_nan=False)

"""Read and write GENIUS XML negotiation scenarios.

GENIUS (Lin, Kraus, Baarslag, Tykhonov, Hindriks & Jonker 2014, "Genius: An integrated environment
for supporting the design of generic automated negotiators", *Computational Intelligence* 30(1):
48–70) stores a scenario as one *domain* file (the issues and their values) and one *profile*
("utility space") file per party. This module reads them into a :class:`~zopa.model.Scenario` whose
utilities equal the ones GENIUS 10.4 computes, and writes scenarios back in a form GENIUS loads.

Reading follows the GENIUS 10.4 loaders (``DomainImpl``, ``AdditiveUtilitySpace``,
``Evaluator{Discrete,Integer,Real}``, ``NonlinearUtilitySpace``), not the documentation:

- Issues are keyed by their ``index`` attribute (it may start at 2) and items by their ``value``
  string; the ``type`` attribute alone decides an issue's kind (absent: discrete; ``vtype`` and
  ``etype`` are ignored). Unknown types, such as ``type="price"``, are reported rather than
  silently treated as discrete the way GENIUS does.
- Discrete evaluations are divided by the largest evaluation of the issue (all 0 if that is below
  1e-5); integer issues use ``offset + slope × (x − lowerbound)`` and real issues
  ``parameter0 + parameter1 × x`` (both clamped to [0, 1]), ``constant`` or ``triangular``.
  Weights are used as written: GENIUS does not normalise them when it loads a profile.
- GENIUS does cap an additive profile's utility at 1 (``AdditiveUtilitySpace.getUtility``);
  zopa's additive model has no cap, so a profile whose weights can add up to more than 1 (as in
  ANAC 2011 Laptop or ANAC 2016 JapanTrip) is loaded with a warning: outcomes worth more than 1
  there keep their uncapped value.
- Real issues are continuous in GENIUS; they are discretised into ``real_steps`` evenly spaced
  values including both bounds (when ``real_steps`` is not given: into
  :data:`~zopa.model.issue.DEFAULT_REAL_STEPS` values, with a warning).
- ANAC 2014 non-linear profiles (``<utility_space type="nonlinear">``) become
  :class:`~zopa.model.HyperRectangleUtility`. An ``EXCLUDES`` rectangle (worth its utility
  wherever the outcome lies *outside* the box) is stored as an everywhere rectangle plus the box
  with the opposite utility; nested sum ``<ufun>`` elements are flattened by multiplying their
  weights into the rectangles (a ``<ufun>`` without an ``aggregation`` attribute sums, GENIUS's
  default); the top-level ``<ufun>`` weight is ignored, as GENIUS ignores it.
- Preference-uncertainty profiles (``<utility_space type="UNCERTAIN">``, ANAC 2019 onward) are an
  additive profile plus the number of bid comparisons an agent is shown instead of it. Read on
  their own they give that additive profile (GENIUS scores with it), with a warning that the
  elicitation is not modelled; in a folder that also has ordinary profiles they are variants of
  the scenario's parties, not more parties, and are left out with a warning naming the file.
- ``<reservation value>`` defaults to 0 and ``<discount_factor value>`` to 1; a discount factor
  outside (0, 1] becomes 1, as in GENIUS, and an unreadable value is ignored, as GENIUS ignores
  it, with a warning. A reservation value outside [0, 1] is an error.

Anything GENIUS cannot evaluate (a missing weight, an evaluation for a value the domain lacks,
min/max aggregation, ...) raises :class:`~zopa.model.errors.ScenarioError` naming the file and
the element. Files are parsed with :func:`zopa.io.safe.parse_xml` (no DTDs or entities, size
limit). Line numbers are reported for malformed XML only; other errors name the element path,
such as ``issue[index=6 "Price"]`` or ``weight[index=3]``.

Writing (:func:`write_genius`) produces ``<name>_domain.xml`` and one ``<party>.xml`` per party,
read back by :func:`read_genius` with the same utilities (up to ~1e-13). Discrete values are
written as evaluations divided by the issue's largest value, with the weight multiplied by it, so
that GENIUS's per-issue normalisation restores them. Integer and real issues are written as
GENIUS integer and real issues with a linear evaluator when every party's values are linear
(clamped to [0, 1]) in the number; otherwise they are written as discrete issues whose items are
named by the numbers (GENIUS cannot express anything else), and read back as discrete issues.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Literal
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import Element

import numpy as np
import numpy.typing as npt

from zopa.io.safe import as_path, check_name, parse_xml, read_text
from zopa.model.errors import (
    ArgumentError,
    ConversionWarning,
    DiscretisationWarning,
    ScenarioError,
    ZopaWarning,
    show_names,
    show_value,
)
from zopa.model.issue import DEFAULT_REAL_STEPS, MAX_OPTIONS, Issue, IssueKind
from zopa.model.preferences import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Party,
)
from zopa.model.scenario import Scenario

__all__ = [
    "genius_files",
    "is_genius_domain",
    "is_genius_profile",
    "read_genius",
    "read_genius_folder",
    "read_pareto_file",
    "write_genius",
]

#: GENIUS treats a discrete issue whose largest evaluation is below this as worth 0 everywhere.
_MIN_EVAL_MAX = 0.00001

#: How closely a written linear evaluator must reproduce the values it replaces.
_FIT_TOLERANCE = 1e-13

_KINDS: tuple[IssueKind, ...] = ("discrete", "integer", "real")

# Java's Double.valueOf after trimming (finite decimal numbers only; an optional d/f suffix).
_JAVA_DOUBLE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[dDfF]?")
# Java's Integer.valueOf (no surrounding blanks), and the largest int it reads.
_JAVA_INT = re.compile(r"[+-]?\d+")
_JAVA_INT_MAX = 2**31 - 1
# Characters that cannot appear in a file name on common systems.
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f<>:"/\\|?*]')


# ---------------------------------------------------------------------------------------------
# classification
# ---------------------------------------------------------------------------------------------
def is_genius_profile(root: Element) -> bool:
    """Whether a parsed XML root is a GENIUS profile (a party's utility space).

    A profile is a ``<utility_space>`` root that has ``<weight>`` elements (additive profiles) or
    ``type="nonlinear"`` / ``type="constraint"`` (ANAC 2014 and experimental profiles). File names
    say nothing reliable, so classification is by content.
    """
    if root.tag != "utility_space":
        return False
    kind = (root.get("type") or "").strip().lower()
    if kind in {"nonlinear", "constraint"}:
        return True
    return root.find(".//weight") is not None


def is_genius_domain(root: Element) -> bool:
    """Whether a parsed XML root is a GENIUS domain (the issues and their values).

    A domain is a ``<negotiation_template>`` holding a ``<utility_space>`` with an ``<objective>``,
    or a bare ``<utility_space>`` with an ``<objective>`` but no weights, evaluations or
    non-linear utility.
    """
    space = _domain_space(root)
    if space is None or space.find("objective") is None:
        return False
    if root.tag == "negotiation_template":
        return True
    if is_genius_profile(root) or root.find(".//utility") is not None:
        return False
    return not any("evaluation" in item.attrib for item in root.iter("item"))


def _domain_space(root: Element) -> Element | None:
    if root.tag == "negotiation_template":
        return root.find("utility_space")
    if root.tag == "utility_space":
        return root
    return None


# ---------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------
def read_genius(
    domain: Path,
    profiles: Sequence[Path],
    *,
    name: str | None = None,
    real_steps: int | None = None,
) -> Scenario:
    """Read a GENIUS domain file and profile files into a scenario.

    Args:
        domain: the domain file (``<negotiation_template>`` or a bare ``<utility_space>``).
        profiles: one profile file per party; parties are seated in this order and named by the
            file stem.
        name: the scenario's name (default: the domain file's stem).
        real_steps: number of evenly spaced values each real (continuous) issue is discretised
            into, bounds included. Left out, it is
            :data:`~zopa.model.issue.DEFAULT_REAL_STEPS` and a warning says so.

    Raises:
        ScenarioError: a file is unreadable, malformed, or describes something GENIUS cannot
            evaluate (the message names the file and element).
        UnsafeInputError: a file is too large or uses a DTD or entities.
    """
    domain = as_path(domain, "domain")
    if isinstance(profiles, str | bytes | PurePath) or not isinstance(profiles, Sequence):
        raise ArgumentError(
            f"profiles: expected a list of files, got {type(profiles).__name__} {profiles!r}"[:200]
        )
    paths = [as_path(p, f"profiles[{k}]") for k, p in enumerate(profiles)]
    check_name(name, "name")
    _check_steps(real_steps)
    notes: list[ZopaWarning] = []
    dom = _load_domain(domain, real_steps, notes)
    parties = [_load_party(p, dom, notes) for p in paths]
    scenario = _scenario(dom, parties, name if name is not None else domain.stem)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return scenario


def read_genius_folder(
    folder: Path, *, name: str | None = None, real_steps: int | None = None
) -> Scenario:
    """Read the GENIUS scenario in a folder: its one domain file and its profiles.

    Files are classified by content (:func:`is_genius_domain`, :func:`is_genius_profile`); any
    other ``<utility_space>`` file is read as a profile (so that its error is reported), other XML
    files are ignored with a warning, and ``pareto.xml`` is skipped (plain text, see
    :func:`read_pareto_file`). Profiles are seated in file-name order. A profile that cannot be
    evaluated (for instance ``genius-2nd_hand_car/car_dealer.xml``, whose price issue has the
    unknown type ``"price"``) is left out with a warning; loading it with :func:`read_genius` raises instead. Any other error in a profile
    (a malformed number, a negative weight, a value the domain lacks) fails the whole folder, as
    it fails the profile read alone. Preference-uncertainty profiles (``type="UNCERTAIN"``) are left out with a
    warning when the folder has ordinary profiles, and read (with a warning) when it has no
    others. The scenario is named ``name`` (default: the folder's name); ``real_steps`` is
    as in :func:`read_genius`.

    Raises:
        ScenarioError: no or several domain files, no usable profile, or an unreadable file.
    """
    folder = as_path(folder, "folder")
    check_name(name, "name")
    _check_steps(real_steps)
    if not folder.is_dir():
        raise ScenarioError("expected a folder of GENIUS XML files", source=str(folder))
    files = sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".xml"),
        key=lambda p: p.name,
    )
    domains: list[tuple[Path, Element]] = []
    profiles: list[tuple[Path, Element]] = []
    ignored: list[str] = []
    for path in files:
        if path.name.lower() == "pareto.xml":
            continue
        root = parse_xml(path)
        if is_genius_profile(root):
            profiles.append((path, root))
        elif is_genius_domain(root):
            domains.append((path, root))
        elif root.tag == "utility_space":
            # neither by its content (say, an unknown type="..."): read as the profile it tries
            # to be, so that its error is reported rather than the party silently missing
            profiles.append((path, root))
        else:
            ignored.append(path.name)
    if len(domains) != 1:
        found = ", ".join(p.name for p, _ in domains) or "none"
        raise ScenarioError(
            f"expected exactly one GENIUS domain file, found {len(domains)} ({found})",
            source=str(folder),
        )
    notes: list[ZopaWarning] = [
        ConversionWarning(f"ignored {name}: neither a GENIUS domain nor a profile")
        for name in ignored
    ]
    domain_path, domain_root = domains[0]
    dom = _read_domain(domain_root, str(domain_path), real_steps, notes)
    parties: list[Party] = []
    skipped: list[str] = []
    if any(_uncertainty(root) is None for _, root in profiles):
        for path, root in profiles:
            if (kind := _uncertainty(root)) is not None:
                notes.append(
                    ConversionWarning(
                        f"left out profile {path.name}: a preference-uncertainty profile ({kind}), "
                        "a variant of a party for GENIUS's uncertainty track, not another party; "
                        "give the domain file and this profile to read it"
                    )
                )
        profiles = [(path, root) for path, root in profiles if _uncertainty(root) is None]
    for path, root in profiles:
        try:
            parties.append(_read_party(root, path, dom, notes))
        except _Unevaluable as exc:  # a legacy file GENIUS loads but cannot evaluate
            skipped.append(str(exc))
            notes.append(
                ConversionWarning(
                    f"skipped profile {path.name}, which GENIUS cannot evaluate: {exc}"
                )
            )
    if not parties:
        reasons = "; ".join(skipped) if skipped else "no profile files"
        raise ScenarioError(
            f"expected at least one usable GENIUS profile, found none: {reasons}",
            source=str(folder),
        )
    scenario = _scenario(dom, parties, name if name is not None else folder.name)
    for note in notes:
        warnings.warn(note, stacklevel=2)
    return scenario


def read_pareto_file(path: Path) -> npt.NDArray[np.float64]:
    """The Pareto frontier GENIUS ships with ANAC 2014 scenarios, as an array ``(n, 2)``.

    Despite its name, ``pareto.xml`` is plain text: one ``u1, u2`` line per point (blank lines
    are skipped), sorted by ``u1``.
    """
    path = as_path(path, "path")
    source = str(path)
    rows: list[tuple[float, float]] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        text = line.strip()
        if not text:
            continue
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 2 or not all(_JAVA_DOUBLE.fullmatch(p) for p in parts):
            raise ScenarioError(
                f'expected a line "u1, u2" of two numbers, got {show_value(text)}',
                source=source,
                line=number,
            )
        u1, u2 = (float(p.rstrip("dDfF")) for p in parts)
        if not (math.isfinite(u1) and math.isfinite(u2)):
            raise ScenarioError(
                f"expected finite numbers, got {show_value(text)}", source=source, line=number
            )
        rows.append((u1, u2))
    return np.asarray(rows, dtype=float).reshape(len(rows), 2)


def _check_steps(real_steps: object) -> None:
    if real_steps is None:
        return
    if (
        isinstance(real_steps, bool)
        or not isinstance(real_steps, int)
        or not 2 <= real_steps <= MAX_OPTIONS
    ):
        raise ArgumentError(
            f"real_steps: expected an integer in 2..{MAX_OPTIONS:,} or None, got {real_steps!r}"[
                :200
            ]
        )


@dataclass(frozen=True)
class _DomainIssue:
    index: int  # GENIUS issue number
    issue: Issue

    @property
    def kind(self) -> IssueKind:
        return self.issue.kind

    @property
    def label(self) -> str:
        return _issue_label(self.index, self.issue.name)


@dataclass(frozen=True)
class _Domain:
    source: str
    title: str
    issues: tuple[_DomainIssue, ...]
    codes: dict[int, int]  # GENIUS issue number -> position in ``issues``
    objectives: frozenset[int]  # numbers of (sub)objectives, which may carry weights


def _load_domain(path: Path, real_steps: int | None, notes: list[ZopaWarning]) -> _Domain:
    root = parse_xml(path)
    if is_genius_profile(root):
        raise ScenarioError(
            "expected a GENIUS domain, got a profile (one party's preferences), which needs its "
            "domain: give the domain file first, then the profile files",
            source=str(path),
        )
    return _read_domain(root, str(path), real_steps, notes)


def _read_domain(
    root: Element, source: str, real_steps: int | None, notes: list[ZopaWarning]
) -> _Domain:
    steps = DEFAULT_REAL_STEPS if real_steps is None else real_steps
    space = _domain_space(root)
    if space is None:
        raise ScenarioError(
            "expected a GENIUS domain: a <negotiation_template> with a <utility_space>, "
            f"or a bare <utility_space>; got <{root.tag}>",
            source=source,
        )
    top = space.find("objective")
    if top is None:
        raise ScenarioError(
            "expected an <objective> element in <utility_space>, found none",
            path="utility_space",
            source=source,
        )
    objectives = {_int_attr(top, "index", "objective", source)}
    issue_elements: list[Element] = []
    # GENIUS (DomainImpl.buildTreeRecursive) adds sub-objectives before the issues of a level.
    stack: list[tuple[bool, Element]] = [(False, top)]
    while stack:
        issues_only, element = stack.pop()
        if issues_only:
            issue_elements.extend(element.findall("issue"))
            continue
        stack.append((True, element))
        for child in reversed(element.findall("objective")):
            objectives.add(_int_attr(child, "index", "objective", source))
            stack.append((False, child))
    if not issue_elements:
        raise ScenarioError(
            "expected at least one <issue>, found none", path="objective", source=source
        )

    issues: list[_DomainIssue] = []
    codes: dict[int, int] = {}
    names: set[str] = set()
    continuous: list[str] = []
    for position, element in enumerate(issue_elements):
        index = _int_attr(element, "index", f"issue[{position}]", source)
        if index in codes or index in objectives:
            raise ScenarioError(
                f"expected a unique index, got {index} twice",
                path=_issue_label(index, element.get("name") or ""),
                source=source,
            )
        genius_name = element.get("name") or ""
        name = genius_name if genius_name.strip() else f"issue {index}"
        description = element.get("description") or ""
        if name in names:
            description = f'GENIUS issue "{genius_name}" (index {index})'
            name = f"{name} [index={index}]"
        names.add(name)
        issue = _read_domain_issue(element, index, name, description, source, steps)
        if issue.kind == "real":
            continuous.append(f'"{issue.name}"')
        codes[index] = len(issues)
        issues.append(_DomainIssue(index, issue))
    if continuous and real_steps is None:
        notes.append(
            DiscretisationWarning(
                f"{source}: real (continuous) issue{'s' if len(continuous) > 1 else ''} "
                f"{', '.join(continuous)} discretised into {steps} evenly spaced values "
                "(bounds included; pass real_steps to choose the number)"
            )
        )
    title = top.get("name") or ""
    return _Domain(
        source=source,
        title="" if title == "root" else title,
        issues=tuple(issues),
        codes=codes,
        objectives=frozenset(objectives),
    )


def _read_domain_issue(
    element: Element, index: int, name: str, description: str, source: str, steps: int
) -> Issue:
    label = _issue_label(index, name)
    kind = _issue_type(element, label, source)
    try:
        if kind == "discrete":
            values: list[str] = []
            for k, item in enumerate(element.findall("item")):
                value = item.get("value")
                if value is None:
                    raise ScenarioError("expected a value attribute, found none", path=f"item[{k}]")
                values.append(value)
            return Issue.discrete(name, values, description=description)
        if kind == "integer":
            low = _int_attr(element, "lowerbound", "", None)
            high = _int_attr(element, "upperbound", "", None)
            return Issue.integer(name, low, high, description=description)
        bounds = element.find("range")
        if bounds is None:
            raise ScenarioError("expected a <range lowerbound upperbound> child, found none")
        low_r = _float_attr(bounds, "lowerbound", "range", None)
        high_r = _float_attr(bounds, "upperbound", "range", None)
        return Issue.real(name, low_r, high_r, steps=steps, description=description)
    except ScenarioError as exc:
        raise _relocated(exc, label, source) from None


def _load_party(path: Path, domain: _Domain, notes: list[ZopaWarning]) -> Party:
    return _read_party(parse_xml(path), path, domain, notes)


def _read_party(root: Element, path: Path, domain: _Domain, notes: list[ZopaWarning]) -> Party:
    source = str(path)
    if root.tag != "utility_space":
        raise ScenarioError(
            f"expected a GENIUS profile with a <utility_space> root, got <{root.tag}>",
            source=source,
        )
    declared = root.get("type")
    kind = "LINEAR" if declared is None else declared.upper()
    utility: AdditiveUtility | HyperRectangleUtility
    if kind in {"LINEAR", "UNCERTAIN"}:
        utility = _read_additive(root, domain, source, notes)
        reservation, discount = _reservation_and_discount(list(root.iter()), source, notes)
        if (uncertain := _uncertainty(root)) is not None:
            notes.append(
                ConversionWarning(
                    f"{source}: a preference-uncertainty profile ({uncertain}), read as the "
                    "additive profile GENIUS scores with; the elicitation (an agent is shown only "
                    "a ranking of bids) is not modelled"
                )
            )
    elif kind == "NONLINEAR":
        utility = _read_nonlinear(root, domain, source)
        reservation, discount = _reservation_and_discount([root], source, notes)
    elif kind == "CONSTRAINT":
        raise ScenarioError(
            'expected an additive or non-linear profile; constraint utility spaces (type="constraint") '
            "are not supported",
            path="utility_space",
            source=source,
        )
    else:
        raise ScenarioError(
            f'expected utility_space type "linear", "nonlinear" or "uncertain", got "{declared}"',
            path="utility_space",
            source=source,
        )
    try:
        return Party(name=path.stem, utility=utility, reservation=reservation, discount=discount)
    except ScenarioError as exc:
        raise _relocated(exc, "", source) from None


def _uncertainty(root: Element) -> str | None:
    """How a profile says it is a preference-uncertainty profile (``type="UNCERTAIN"`` and the
    number of comparisons), or None for any other profile."""
    declared = root.get("type")
    if declared is None or declared.upper() != "UNCERTAIN":
        return None
    found = [f'utility_space type="{declared}"']
    count = (root.findtext("comparisons") or "").strip()
    if re.fullmatch(r"\d{1,9}", count):
        found.append(f"{int(count):,} comparisons")
    return ", ".join(found)


def _read_additive(
    root: Element, domain: _Domain, source: str, notes: list[ZopaWarning]
) -> AdditiveUtility:
    """Weights and evaluators, found level by level as ``AdditiveUtilitySpace.loadTreeRecursive``
    does: an issue gets an evaluator only from a ``<weight>`` beside it."""
    chosen: dict[int, tuple[Element, float]] = {}
    issues_seen: set[int] = set()
    weights_seen: set[int] = set()
    known = sorted(domain.codes)
    for level in root.iter():
        weights: dict[int, float] = {}
        for element in level.findall("weight"):
            index = _int_attr(element, "index", "weight", source)
            where = f"weight[index={index}]"
            value = _float_attr(element, "value", where, source)
            if index not in domain.codes and index not in domain.objectives:
                raise ScenarioError(
                    f"expected the index of an issue of the domain {show_names(known)}, got {index}",
                    path=where,
                    source=source,
                )
            if value < 0:
                raise ScenarioError(
                    f"expected a weight >= 0, got {value!r}", path=where, source=source
                )
            weights[index] = value
            weights_seen.add(index)
        for element in level.findall("issue"):
            index = _int_attr(element, "index", "issue", source)
            if index not in domain.codes:
                raise ScenarioError(
                    f"expected the index of an issue of the domain {show_names(known)}, got {index}",
                    path=_issue_label(index, element.get("name") or ""),
                    source=source,
                )
            issues_seen.add(index)
            if index in weights:
                chosen[index] = (element, weights[index])

    weight_list: list[float] = []
    value_list: list[tuple[float, ...]] = []
    for entry in domain.issues:
        label = entry.label
        if entry.index not in chosen:
            if entry.index in issues_seen:
                detail = f"expected a <weight index={entry.index}> beside the issue, found none"
            elif entry.index in weights_seen:
                detail = f"expected an <issue index={entry.index}> with its evaluation, found only a weight"
            else:
                detail = "expected an evaluation and a weight for this issue, found neither"
            raise ScenarioError(detail, path=label, source=source)
        element, weight = chosen[entry.index]
        kind = _issue_type(element, label, source)
        if kind != entry.kind:
            raise ScenarioError(
                f'expected type "{entry.kind}" as declared in the domain, got "{kind}"',
                path=label,
                source=source,
            )
        if kind == "discrete":
            values = _discrete_values(element, entry, source)
        elif kind == "integer":
            values = _integer_values(element, entry, source)
        else:
            values = _real_values(element, entry, source)
        weight_list.append(weight)
        value_list.append(tuple(float(v) for v in values))

    if not any(w > 0 for w in weight_list):
        raise ScenarioError(
            "expected at least one weight > 0, got all zero (every outcome would be worth 0)",
            path="weight",
            source=source,
        )
    try:
        utility = AdditiveUtility(weights=tuple(weight_list), values=tuple(value_list))
    except ScenarioError as exc:
        raise _relocated(exc, "", source) from None
    best = math.fsum(w * max(vs) for w, vs in zip(weight_list, value_list, strict=True))
    if best > 1 + 1e-9:
        notes.append(
            ConversionWarning(
                f"{source}: the best outcome is worth {best:.12g} (the weights sum to "
                f"{math.fsum(weight_list):.12g}); GENIUS caps additive utilities at 1 but zopa "
                "does not, so outcomes worth more than 1 keep their uncapped utility"
            )
        )
    return utility


def _discrete_values(element: Element, entry: _DomainIssue, source: str) -> npt.NDArray[np.float64]:
    options = entry.issue.options
    option_set = set(options)
    evaluations: dict[str, float] = {}
    for k, item in enumerate(element.findall("item")):
        value = item.get("value")
        if value is None:
            raise ScenarioError(
                "expected a value attribute, found none",
                path=f"{entry.label}.item[{k}]",
                source=source,
            )
        where = f'{entry.label}.item["{value}"]'
        if value not in option_set:
            raise ScenarioError(
                f'expected one of the values of the domain {show_names(options)}, got "{value}"',
                path=where,
                source=source,
            )
        text = item.get("evaluation")
        if text is None or text == "null":  # GENIUS skips such items
            continue
        evaluation = _number(text, f"{where}.evaluation", source)
        if evaluation < 0:
            raise ScenarioError(
                f"expected an evaluation >= 0, got {evaluation!r}",
                path=f"{where}.evaluation",
                source=source,
            )
        evaluations[value] = evaluation  # a repeated item overrides, as in GENIUS's map
    missing = [o for o in options if o not in evaluations]
    if missing:
        raise ScenarioError(
            f"expected an evaluation for every value of the domain, missing {show_names(missing)}",
            path=entry.label,
            source=source,
        )
    top = max(evaluations.values())
    if top < _MIN_EVAL_MAX:
        return np.zeros(len(options))
    return np.asarray([evaluations[o] / top for o in options], dtype=float)


def _integer_values(element: Element, entry: _DomainIssue, source: str) -> npt.NDArray[np.float64]:
    label = entry.label
    low = _int_attr(element, "lowerbound", label, source)
    _int_attr(element, "upperbound", label, source)  # required by GENIUS, unused in evaluation
    slope = offset = 0.0
    evaluator = element.find("evaluator")
    if evaluator is not None:
        slope = _float_attr(evaluator, "slope", f"{label}.evaluator", source)
        offset = _float_attr(evaluator, "offset", f"{label}.evaluator", source)
    x = entry.issue.scale_points.astype(np.int64) - low
    return np.clip(slope * x.astype(float) + offset, 0.0, 1.0)


def _real_values(element: Element, entry: _DomainIssue, source: str) -> npt.NDArray[np.float64]:
    label = entry.label
    bounds = element.find("range")
    if bounds is None:
        raise ScenarioError(
            "expected a <range lowerbound upperbound> child (GENIUS needs it for a real evaluator), "
            "found none",
            path=label,
            source=source,
        )
    _float_attr(bounds, "lowerbound", f"{label}.range", source)
    _float_attr(bounds, "upperbound", f"{label}.range", source)
    evaluator = element.find("evaluator")
    where = f"{label}.evaluator"
    if evaluator is None:
        raise ScenarioError(
            "expected an <evaluator ftype=...> child, found none", path=label, source=source
        )
    ftype = evaluator.get("ftype")
    if ftype is None:
        raise ScenarioError("expected an ftype attribute, found none", path=where, source=source)
    x = entry.issue.scale_points
    kind = ftype.lower()
    if kind == "linear":
        p0 = _float_attr(evaluator, "parameter0", where, source)
        p1 = _float_attr(evaluator, "parameter1", where, source)
        with np.errstate(over="ignore", invalid="ignore"):
            raw = p1 * x + p0
        if not np.all(np.isfinite(raw)):
            raise ScenarioError(
                "expected parameters that give finite values", path=where, source=source
            )
        return np.clip(raw, 0.0, 1.0)
    if kind == "constant":
        p0 = _float_attr(evaluator, "parameter0", where, source)
        if not 0.0 <= p0 <= 1.0:
            raise ScenarioError(
                f"expected parameter0 in [0, 1], got {p0!r}", path=where, source=source
            )
        return np.full(x.shape, p0)
    if kind == "triangular":
        lower = _float_attr(evaluator, "parameter0", where, source)
        upper = _float_attr(evaluator, "parameter1", where, source)
        peak = _float_attr(evaluator, "parameter2", where, source)
        values = np.asarray([_triangular(float(v), lower, upper, peak) for v in x], dtype=float)
        if not np.all((values >= 0.0) & (values <= 1.0)):
            raise ScenarioError(
                "expected parameters with lower <= top <= upper (values in [0, 1])",
                path=where,
                source=source,
            )
        return values
    if kind == "faratin":
        raise ScenarioError(
            'expected ftype "linear", "constant" or "triangular", got "faratin" '
            "(GENIUS does not read its parameters and evaluates it as -1)",
            path=where,
            source=source,
        )
    raise ScenarioError(
        f'expected ftype "linear", "constant" or "triangular", got "{ftype}"',
        path=where,
        source=source,
    )


def _triangular(x: float, lower: float, upper: float, top: float) -> float:
    """``EVALFUNCTYPE.evalTriangular`` of GENIUS."""
    if x < lower:
        return 0.0
    if x < top:
        return (x - lower) / (top - lower)
    if x < upper:
        return 1 - (x - top) / (upper - top)
    return 0.0


def _read_nonlinear(root: Element, domain: _Domain, source: str) -> HyperRectangleUtility:
    """``NonlinearUtilitySpace``: ``min(1, Σ utility × weight / maxutility)`` over the
    hyper-rectangles that contain the outcome."""
    objective = root.find("objective")
    if objective is None:
        raise ScenarioError(
            "expected an <objective> element, found none", path="utility_space", source=source
        )
    utility = objective.find("utility")
    if utility is None:
        raise ScenarioError(
            "expected a <utility maxutility=...> element in the objective of a non-linear profile, "
            "found none",
            path="objective",
            source=source,
        )
    max_utility = _float_attr(utility, "maxutility", "utility", source)
    if not max_utility > 0:
        raise ScenarioError(
            f"expected maxutility > 0, got {max_utility!r}", path="utility", source=source
        )
    top = utility.find("ufun")
    if top is None:
        raise ScenarioError("expected a <ufun> element, found none", path="utility", source=source)
    _check_aggregation(top, "utility.ufun", source)
    start, start_path, ufun_weight = top, "utility.ufun", 1.0  # GENIUS ignores the top weight
    inner = top.findall("ufun")
    if not top.findall("hyperRectangle") and len(inner) == 1:
        # a single nested function scales the whole sum: keep it as the ufun weight
        start, start_path = inner[0], "utility.ufun.ufun[0]"
        _check_aggregation(start, start_path, source)
        ufun_weight = _optional_float(start, "weight", start_path, source, default=1.0)

    rectangles: list[HyperRectangle] = []
    stack: list[tuple[Element, float, str]] = [(start, 1.0, start_path)]
    while stack:
        ufun, scale, where = stack.pop()
        for r, element in enumerate(ufun.findall("hyperRectangle")):
            rectangles.extend(
                _rectangles(element, scale, f"{where}.hyperRectangle[{r}]", domain, source)
            )
        nested = ufun.findall("ufun")
        for k in reversed(range(len(nested))):
            child_path = f"{where}.ufun[{k}]"
            _check_aggregation(nested[k], child_path, source)
            weight = _optional_float(nested[k], "weight", child_path, source, default=1.0)
            stack.append((nested[k], scale * weight, child_path))
    try:
        return HyperRectangleUtility(
            rectangles=tuple(rectangles), max_utility=max_utility, ufun_weight=ufun_weight
        )
    except ScenarioError as exc:
        raise _relocated(exc, "utility", source) from None


def _check_aggregation(ufun: Element, where: str, source: str) -> None:
    aggregation = ufun.get("aggregation")
    if aggregation is None:  # GENIUS's default is the sum
        return
    if aggregation.lower() in {"min", "max"}:
        raise ScenarioError(
            f'expected aggregation "sum", got "{aggregation}" (min/max are not supported)',
            path=where,
            source=source,
        )


def _rectangles(
    element: Element, scale: float, where: str, domain: _Domain, source: str
) -> list[HyperRectangle]:
    includes = element.findall("INCLUDES")
    excludes = element.findall("EXCLUDES")
    if includes and excludes:
        raise ScenarioError(
            "expected INCLUDES or EXCLUDES bounds, got both (GENIUS would silently ignore the INCLUDES)",
            path=where,
            source=source,
        )
    value = _float_attr(element, "utility", where, source)
    weight = _optional_float(element, "weight", where, source, default=1.0) * scale
    tag = "EXCLUDES" if excludes else "INCLUDES"
    bounds = tuple(
        _bound(b, f"{where}.{tag}[{k}]", domain, source) for k, b in enumerate(excludes or includes)
    )
    if excludes:
        # worth `value` outside the box: everywhere, minus the box
        return [HyperRectangle(value, (), weight), HyperRectangle(-value, bounds, weight)]
    return [HyperRectangle(value, bounds, weight)]


def _bound(element: Element, where: str, domain: _Domain, source: str) -> tuple[int, float, float]:
    index = _int_attr(element, "index", where, source)
    if index not in domain.codes:
        raise ScenarioError(
            f"expected the index of an issue of the domain {show_names(sorted(domain.codes))}, got {index}",
            path=where,
            source=source,
        )
    code = domain.codes[index]
    entry = domain.issues[code]
    if entry.kind != "integer":
        raise ScenarioError(
            f"expected an integer issue (GENIUS bounds only integer values), got {entry.kind} issue "
            f'"{entry.issue.name}"',
            path=where,
            source=source,
        )
    low = _int_attr(element, "min", where, source)
    high = _int_attr(element, "max", where, source)
    if low > high:
        raise ScenarioError(
            f"expected min <= max, got min={low}, max={high} (a box that contains nothing)",
            path=where,
            source=source,
        )
    return (code, float(low), float(high))


def _reservation_and_discount(
    levels: Sequence[Element], source: str, notes: list[ZopaWarning]
) -> tuple[float, float]:
    """The last readable ``<reservation>`` and ``<discount_factor>`` found directly under the
    given elements (GENIUS reads them at every level of an additive profile, only under the root
    of a non-linear one)."""
    reservation = 0.0
    discount = 1.0
    for level in levels:
        parsed = _readable(level, "reservation", "reservation value", source, notes)
        if parsed is not None:
            if not 0.0 <= parsed <= 1.0:
                raise ScenarioError(
                    f"expected a reservation value in [0, 1], got {parsed!r}",
                    path="reservation",
                    source=source,
                )
            reservation = parsed
        parsed = _readable(level, "discount_factor", "discount factor", source, notes)
        if parsed is not None:  # AbstractUtilitySpace.validateDiscount
            discount = parsed if 0.0 < parsed <= 1.0 else 1.0
    return reservation, discount


def _readable(
    level: Element, tag: str, what: str, source: str, notes: list[ZopaWarning]
) -> float | None:
    """The number in ``<tag value=...>`` directly under ``level``; ``None`` when there is no such
    element, or (with a warning) when its value is not a number, which GENIUS ignores."""
    element = level.find(tag)
    if element is None:
        return None
    text = element.get("value")
    parsed = _try_number(text)
    if parsed is None:
        notes.append(
            ConversionWarning(f'{source}: {what} "{text}" is not a number; ignored, as GENIUS does')
        )
    return parsed


def _scenario(domain: _Domain, parties: Sequence[Party], name: str) -> Scenario:
    try:
        return Scenario(
            name=name,
            issues=tuple(entry.issue for entry in domain.issues),
            parties=tuple(parties),
            title=domain.title,
        )
    except ScenarioError as exc:
        raise _relocated(exc, "", domain.source) from None


# ---------------------------------------------------------------------------------------------
# small parsing helpers
# ---------------------------------------------------------------------------------------------
class _Unevaluable(ScenarioError):
    """A profile GENIUS loads but cannot evaluate (an issue type it does not know, which it
    treats as discrete): a legacy file that a folder leaves out with a warning. Any other error in a profile
    (a malformed number, a negative weight, an unknown value) fails the folder, as it fails the
    profile read alone."""


def _issue_label(index: int, name: str) -> str:
    return f'issue[index={index} "{name}"]' if name else f"issue[index={index}]"


def _issue_type(element: Element, label: str, source: str) -> IssueKind:
    declared = element.get("type")
    if declared is None:
        return "discrete"  # GENIUS ignores vtype and etype
    kind = declared.lower()
    for known in _KINDS:
        if kind == known:
            return known
    raise _Unevaluable(
        f'expected type "discrete", "integer" or "real", got {show_value(declared)} (GENIUS would treat the issue '
        "as discrete, which cannot evaluate it unless it really is)",
        path=label,
        source=source,
    )


def _try_number(text: str | None) -> float | None:
    if text is None:
        return None
    stripped = text.strip()
    if not _JAVA_DOUBLE.fullmatch(stripped):
        return None
    value = float(stripped.rstrip("dDfF"))
    return value if math.isfinite(value) else None


def _number(text: str, where: str, source: str | None) -> float:
    value = _try_number(text)
    if value is None:
        raise ScenarioError(
            f"expected a finite number, got {show_value(text)}", path=where, source=source
        )
    return value


def _float_attr(element: Element, attribute: str, where: str, source: str | None) -> float:
    text = element.get(attribute)
    path = f"{where}.{attribute}" if where else attribute
    if text is None:
        raise ScenarioError(
            f'expected a "{attribute}" attribute, found none', path=where, source=source
        )
    return _number(text, path, source)


def _optional_float(
    element: Element, attribute: str, where: str, source: str, *, default: float
) -> float:
    return (
        default
        if element.get(attribute) is None
        else _float_attr(element, attribute, where, source)
    )


def _int_attr(element: Element, attribute: str, where: str, source: str | None) -> int:
    text = element.get(attribute)
    if text is None:
        raise ScenarioError(
            f'expected a "{attribute}" attribute, found none', path=where, source=source
        )
    path = f"{where}.{attribute}" if where else attribute
    if not _JAVA_INT.fullmatch(text):
        raise ScenarioError(
            f"expected an integer, got {show_value(text)}", path=path, source=source
        )
    value = int(text) if len(text) <= 12 else _JAVA_INT_MAX + 1
    if not -_JAVA_INT_MAX - 1 <= value <= _JAVA_INT_MAX:
        raise ScenarioError(
            f"expected an integer in Java's int range, as GENIUS reads it "
            f"({-_JAVA_INT_MAX - 1}..{_JAVA_INT_MAX}), got {show_value(text)}",
            path=path,
            source=source,
        )
    return value


def _relocated(exc: ScenarioError, prefix: str, source: str) -> ScenarioError:
    return exc.within(prefix).located(source=source)


# ---------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------
_WrittenKind = Literal["discrete", "integer", "real"]


@dataclass(frozen=True)
class _IssuePlan:
    """How one issue is written: its GENIUS type, and for integer/real issues each additive
    party's linear evaluator ``(intercept, slope)``."""

    kind: _WrittenKind
    linear: tuple[tuple[float, float] | None, ...]


def write_genius(
    scenario: Scenario,
    folder: Path,
    *,
    domain_file: str | None = None,
    strict: bool = False,
) -> list[Path]:
    """Write a scenario as GENIUS XML files: ``<name>_domain.xml`` and ``<party>.xml`` per party.

    The files follow the layout of the GENIUS 10.4 templates (``negotiation_template`` /
    ``utility_space`` / ``objective index="0"`` / issues numbered from 1) and :func:`read_genius`
    reads them back with the same utilities. Additive parties are written with weights and
    evaluations (see the module docstring for how values that GENIUS normalises are encoded),
    hyper-rectangle parties as ``<utility_space type="nonlinear">``. Each party's reservation value
    (:meth:`~zopa.model.Scenario.reservation_values`) and discount factor are written. Characters
    that file names cannot hold are replaced by ``_``. GENIUS's own XML parser does not decode
    character references, so a name containing ``&``, ``<``, ``>`` or ``"`` reaches GENIUS
    escaped (the same way in every file, so bids still match).

    What GENIUS cannot hold (stakeholders, the observed outcome, "if talks fail" options, ...:
    see :func:`zopa.io.losses.conversion_losses`, plus a party order that the profiles' file
    names do not sort in) is warned, one :class:`~zopa.model.errors.ConversionWarning` per kind;
    with ``strict`` it is an error instead and nothing is written.

    All files are first written to temporary files in ``folder`` and then renamed, so an error
    leaves no partly written file behind. Returns the paths written, domain first, then the
    profiles in party order.

    Args:
        domain_file: the domain file's name (default ``<name>_domain.xml``).
        strict: refuse (``ScenarioError``) to write anything that loses information.

    Raises:
        ScenarioError: the scenario cannot be expressed in GENIUS (a hyper-rectangle bounding a
            non-integer issue, file names that collide), or ``strict`` and something would be lost.
        OutputError: the folder or a file cannot be written.
    """
    from zopa.io.losses import write_converted

    files, notes = genius_files(scenario, Path(folder), domain_file=domain_file)
    return write_converted(files, notes, target=folder, folder=Path(folder), strict=strict)


def genius_files(
    scenario: Scenario, folder: Path, *, domain_file: str | None = None
) -> tuple[list[tuple[Path, bytes]], list[str]]:
    """The files :func:`write_genius` writes (path and content, domain first) and one line per
    kind of information they lose; nothing is written."""
    from zopa.io.losses import conversion_losses

    folder = Path(folder)
    plans = _plan(scenario)
    stem = _file_stem(scenario.name, "scenario name")
    domain_path = folder / (domain_file or f"{stem}_domain.xml")
    paths = [domain_path]
    seen = {domain_path.name.casefold(): "the domain file"}
    renamed: list[str] = []
    for party in scenario.parties:
        path = folder / f"{_file_stem(party.name, 'party name')}.xml"
        if path.stem != party.name:
            renamed.append(f'"{party.name}" as "{path.stem}"')
        key = path.name.casefold()
        if key in seen:
            raise ScenarioError(
                f'party "{party.name}" would be written to {path.name}, the same file as {seen[key]}',
                path="parties",
            )
        seen[key] = f'party "{party.name}"'
        paths.append(path)
    contents = [_domain_document(scenario, plans)]
    contents.extend(
        _profile_document(scenario, j, plans, _reservation(scenario, party))
        for j, party in enumerate(scenario.parties)
    )
    notes = list(conversion_losses(scenario, "genius"))
    as_discrete = [
        i.name
        for i, plan in zip(scenario.issues, plans, strict=True)
        if i.kind != "discrete" and plan.kind == "discrete"
    ]
    if as_discrete:
        notes.append(
            f"GENIUS XML cannot hold numeric issues valued other than linearly "
            f"({', '.join(as_discrete)}); they are written as discrete options named by their numbers"
        )
    steps = [
        f"{i.name} ({i.size} values)"
        for i, plan in zip(scenario.issues, plans, strict=True)
        if plan.kind == "real" and i.size != DEFAULT_REAL_STEPS
    ]
    if steps:
        notes.append(
            f"GENIUS XML cannot hold how finely a real issue is discretised ({', '.join(steps)}); "
            f"reading the files back gives {DEFAULT_REAL_STEPS} values unless real_steps= is given"
        )
    if renamed:
        notes.append(
            "GENIUS XML names a party by its file name, which cannot hold some characters; "
            f"read back, {', '.join(renamed)}"
        )
    profiles = paths[1:]
    in_folder = sorted(profiles, key=lambda p: p.name)  # the order read_genius_folder reads
    if in_folder != profiles:
        notes.append(
            "GENIUS XML cannot hold the party order: read as a folder, the profiles are taken in "
            f"file-name order ({', '.join(p.stem for p in in_folder)}); give the domain file then "
            f"the profiles to seat them as {', '.join(p.stem for p in profiles)}"
        )
    return list(zip(paths, contents, strict=True)), notes


def _reservation(scenario: Scenario, party: Party) -> float:
    """The party's reservation value as :meth:`Scenario.reservation_values` defines it."""
    if party.reservation is not None:
        return party.reservation
    outcome = scenario.disagreement_outcome
    if outcome is None:
        return 0.0
    return float(party.utility.evaluate(outcome.reshape(1, -1), scenario.issues)[0])


def _plan(scenario: Scenario) -> list[_IssuePlan]:
    bounded: dict[int, str] = {}  # issue code -> a party whose rectangles bound it
    for party in scenario.parties:
        if isinstance(party.utility, HyperRectangleUtility):
            for rect in party.utility.rectangles:
                for code, _, _ in rect.bounds:
                    bounded.setdefault(code, party.name)
    plans: list[_IssuePlan] = []
    for k, issue in enumerate(scenario.issues):
        kind: _WrittenKind = "discrete"
        linear: list[tuple[float, float] | None] = []
        if issue.kind in ("integer", "real") and _regular_grid(issue):
            x = issue.scale_points - (issue.scale_points[0] if issue.kind == "integer" else 0.0)
            for party in scenario.parties:
                utility = party.utility
                if not isinstance(utility, AdditiveUtility):
                    linear.append(None)
                elif utility.weights[k] == 0:
                    linear.append((0.0, 0.0))
                else:
                    linear.append(_linear_fit(x, np.asarray(utility.values[k], dtype=float)))
            if all(
                fit is not None or not p.is_additive
                for fit, p in zip(linear, scenario.parties, strict=True)
            ):
                kind = issue.kind
        if k in bounded and kind != "integer":
            why = (
                "an additive party values it non-linearly"
                if issue.kind == "integer"
                else f"it is a {issue.kind} issue"
            )
            raise ScenarioError(
                f'cannot write party "{bounded[k]}": GENIUS hyper-rectangles bound integer issues only, '
                f'and issue "{issue.name}" cannot be written as one ({why})',
                path=f"issues[{k}]",
            )
        plans.append(_IssuePlan(kind, tuple(linear) if kind != "discrete" else ()))
    return plans


def _regular_grid(issue: Issue) -> bool:
    """Whether reading the issue back from its bounds gives the same scale points."""
    if issue.bounds is None:
        return False
    low, high = issue.bounds
    x = issue.scale_points
    if issue.kind == "integer":
        expected = np.arange(int(low), int(high) + 1, dtype=float)
    else:
        expected = np.linspace(low, high, issue.size)
    return x.shape == expected.shape and bool(np.array_equal(x, expected))


def _linear_fit(
    x: npt.NDArray[np.float64], v: npt.NDArray[np.float64]
) -> tuple[float, float] | None:
    """``(intercept, slope)`` with ``clip(slope × x + intercept, 0, 1)`` equal to ``v``, or None."""
    n = v.size
    if n == 1 or bool(np.all(v == v[0])):
        return (float(v[0]), 0.0)
    pairs: list[tuple[int, int]] = []
    inner = np.flatnonzero((v > 0) & (v < 1))
    if inner.size >= 2:
        pairs.append((int(inner[0]), int(inner[-1])))
    pairs.append((0, n - 1))
    if inner.size == 1:
        i = int(inner[0])
        pairs.extend(p for p in ((i - 1, i), (i, i + 1)) if p[0] >= 0 and p[1] < n)
    steps = np.flatnonzero(v[1:] != v[:-1])
    if steps.size:
        pairs.extend([(int(steps[0]), int(steps[0]) + 1), (int(steps[-1]), int(steps[-1]) + 1)])
    for i, j in pairs:
        if x[j] == x[i]:
            continue
        slope = float((v[j] - v[i]) / (x[j] - x[i]))
        intercept = float(v[i] - slope * x[i])
        fitted = np.clip(slope * x + intercept, 0.0, 1.0)
        if float(np.max(np.abs(fitted - v))) <= _FIT_TOLERANCE:
            return (intercept, slope)
    return None


def _issue_element(parent: Element, k: int, issue: Issue, kind: _WrittenKind) -> Element:
    element = ET.SubElement(
        parent,
        "issue",
        {"index": str(k + 1), "name": issue.name, "type": kind, "etype": kind, "vtype": kind},
    )
    if kind == "integer":
        assert issue.bounds is not None
        element.set("lowerbound", str(int(issue.bounds[0])))
        element.set("upperbound", str(int(issue.bounds[1])))
    elif kind == "real":
        assert issue.bounds is not None
        ET.SubElement(
            element,
            "range",
            {"lowerbound": _num(issue.bounds[0]), "upperbound": _num(issue.bounds[1])},
        )
    return element


def _objective(parent: Element, scenario: Scenario) -> Element:
    return ET.SubElement(
        parent,
        "objective",
        {
            "index": "0",
            "name": scenario.title or scenario.name,
            "type": "objective",
            "etype": "objective",
            "description": "",
        },
    )


def _domain_document(scenario: Scenario, plans: Sequence[_IssuePlan]) -> bytes:
    root = ET.Element("negotiation_template")
    space = ET.SubElement(root, "utility_space", {"number_of_issues": str(scenario.n_issues)})
    objective = _objective(space, scenario)
    for k, (issue, plan) in enumerate(zip(scenario.issues, plans, strict=True)):
        element = _issue_element(objective, k, issue, plan.kind)
        if plan.kind == "discrete":
            for i, option in enumerate(issue.options):
                ET.SubElement(element, "item", {"index": str(i + 1), "value": option})
    return _serialise(root)


def _profile_document(
    scenario: Scenario, j: int, plans: Sequence[_IssuePlan], reservation: float
) -> bytes:
    party = scenario.parties[j]
    utility = party.utility
    root = ET.Element("utility_space")
    objective = _objective(root, scenario)
    if isinstance(utility, HyperRectangleUtility):
        root.set("type", "nonlinear")
        for k, (issue, plan) in enumerate(zip(scenario.issues, plans, strict=True)):
            element = _issue_element(objective, k, issue, plan.kind)
            if plan.kind == "discrete":
                for i, option in enumerate(issue.options):
                    ET.SubElement(element, "item", {"index": str(i + 1), "value": option})
        _hyper_rectangles(objective, utility, scenario, j)
    else:
        weights: list[float] = []
        for k, (issue, plan) in enumerate(zip(scenario.issues, plans, strict=True)):
            element = _issue_element(objective, k, issue, plan.kind)
            weight = utility.weights[k]
            values = utility.values[k]
            if plan.kind == "discrete":
                top = max(values)
                scale = top if 0 < top < 1 else 1.0
                for i, (option, value) in enumerate(zip(issue.options, values, strict=True)):
                    ET.SubElement(
                        element,
                        "item",
                        {"index": str(i + 1), "value": option, "evaluation": _num(value / scale)},
                    )
                weights.append(weight * scale)
            else:
                fit = plan.linear[j]
                assert fit is not None
                intercept, slope = fit
                if plan.kind == "integer":
                    attributes = {
                        "ftype": "linear",
                        "slope": _num(slope),
                        "offset": _num(intercept),
                    }
                else:
                    attributes = {
                        "ftype": "linear",
                        "parameter0": _num(intercept),
                        "parameter1": _num(slope),
                    }
                ET.SubElement(element, "evaluator", attributes)
                weights.append(weight)
        for k, weight in enumerate(weights):
            ET.SubElement(objective, "weight", {"index": str(k + 1), "value": _num(weight)})
    ET.SubElement(root, "discount_factor", {"value": _num(party.discount)})
    ET.SubElement(root, "reservation", {"value": _num(reservation)})
    return _serialise(root)


def _hyper_rectangles(
    objective: Element, utility: HyperRectangleUtility, scenario: Scenario, j: int
) -> None:
    holder = ET.SubElement(objective, "utility", {"maxutility": _num(utility.max_utility)})
    ufun = ET.SubElement(holder, "ufun", {"type": "PlainUfun", "weight": "1", "aggregation": "sum"})
    if utility.ufun_weight != 1.0:
        # GENIUS ignores the top-level weight but applies a nested function's weight
        ufun = ET.SubElement(
            ufun,
            "ufun",
            {"type": "PlainUfun", "weight": _num(utility.ufun_weight), "aggregation": "sum"},
        )
    for r, rect in enumerate(utility.rectangles):
        attributes = {"utility": _num(rect.utility)}
        if rect.weight != 1.0:
            attributes["weight"] = _num(rect.weight)
        element = ET.SubElement(ufun, "hyperRectangle", attributes)
        for code, low, high in rect.bounds:
            issue = scenario.issues[code]
            assert issue.bounds is not None
            first, last = int(issue.bounds[0]), int(issue.bounds[1])
            if math.isnan(low) or math.isnan(high):
                raise ScenarioError(
                    f'expected numeric bounds on issue "{issue.name}", got NaN',
                    path=f"parties[{j}].utility.rectangles[{r}]",
                )
            lo = first if low < first else math.ceil(low)
            hi = last if high > last else math.floor(high)
            ET.SubElement(
                element, "INCLUDES", {"index": str(code + 1), "min": str(lo), "max": str(hi)}
            )


def _serialise(root: Element) -> bytes:
    ET.indent(root, space="  ")
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def _num(x: float) -> str:
    return repr(float(x))


def _file_stem(name: str, what: str) -> str:
    stem = _UNSAFE_FILE_CHARS.sub("_", name).strip().rstrip(".")
    if not stem:
        raise ScenarioError(f'expected a {what} usable as a file name, got "{name}"')
    return stem

"""Tests of the GENIUS XML reader and writer against the real scenario files in tests/data/domains.

Expected numbers are computed independently of the reader: outcome counts from a separate
ElementTree parse of the domain files, utilities by hand from the numbers in the XML files.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest

from conftest import DOMAINS
from zopa.io.genius import (
    is_genius_domain,
    is_genius_profile,
    read_genius,
    read_genius_folder,
    read_pareto_file,
    write_genius,
)
from zopa.io.safe import parse_xml
from zopa.model import (
    AdditiveUtility,
    ConversionWarning,
    DiscretisationWarning,
    HyperRectangle,
    HyperRectangleUtility,
    Issue,
    OutputError,
    Party,
    Scenario,
    ScenarioError,
    UnsafeInputError,
    ZopaWarning,
)

GENIUS_FOLDERS = sorted(p.name for p in DOMAINS.iterdir() if p.is_dir() and any(p.glob("*.xml")))

#: Profiles GENIUS cannot evaluate, which a folder load leaves out (with a warning).
UNUSABLE = {"genius-2nd_hand_car": {"car_dealer"}}

CAPPED = "GENIUS caps additive utilities at 1"
DISCRETISED = "discretised into 11 evenly spaced values"
#: Warnings each folder load gives: profiles whose weights sum to more than 1 (GENIUS caps their
#: utility at 1, zopa's additive model does not), real issues discretised, profiles skipped.
FOLDER_WARNINGS: dict[str, tuple[str, ...]] = {
    "anac2011-Laptop": (CAPPED, CAPPED),
    "anac2016-JapanTrip-SYAgent": (CAPPED,),
    "genius-2nd_hand_car": (DISCRETISED, "skipped profile car_dealer.xml"),
    "genius-SON": (DISCRETISED,),
}

T = TypeVar("T")


def load_warning(fn: Callable[[], T], fragments: Sequence[str]) -> T:
    """Call ``fn`` expecting exactly one warning per fragment (none if there are no fragments)."""
    if not fragments:
        return fn()
    with pytest.warns(UserWarning) as record:
        result = fn()
    messages = [str(w.message) for w in record]
    assert len(messages) == len(fragments), messages
    for fragment in fragments:
        assert any(fragment in m for m in messages), (fragment, messages)
    return result


def load_folder(name: str) -> Scenario:
    return load_warning(lambda: read_genius_folder(DOMAINS / name), FOLDER_WARNINGS.get(name, ()))


# ------------------------------------------------------------------ independent raw-XML helpers
def raw_domain(folder: Path) -> tuple[Path, ET.Element]:
    """The domain file of a test-data folder (all of them are <negotiation_template> files)."""
    found = []
    for path in sorted(folder.glob("*.xml")):
        if path.name == "pareto.xml":
            continue
        root = ET.parse(path).getroot()
        if root.tag == "negotiation_template":
            found.append((path, root))
    assert len(found) == 1
    return found[0]


def raw_sizes(domain: ET.Element) -> list[int]:
    sizes = []
    for issue in domain.iter("issue"):
        kind = (issue.get("type") or "discrete").lower()
        if kind == "discrete":
            sizes.append(len(issue.findall("item")))
        elif kind == "integer":
            sizes.append(int(issue.get("upperbound", "")) - int(issue.get("lowerbound", "")) + 1)
        else:
            assert kind == "real"
            sizes.append(11)
    return sizes


def random_outcomes(scenario: Scenario, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack([rng.integers(0, size, n) for size in scenario.sizes], axis=1)


# ---------------------------------------------------------------- every test-data folder loads
def test_genius_folders_found() -> None:
    assert len(GENIUS_FOLDERS) >= 29


@pytest.mark.parametrize("folder", GENIUS_FOLDERS)
def test_folder_loads_with_independent_counts(folder: str) -> None:
    scenario = load_folder(folder)
    domain_path, domain = raw_domain(DOMAINS / folder)
    sizes = raw_sizes(domain)
    assert scenario.n_issues == len(sizes)
    assert list(scenario.sizes) == sizes
    expected_outcomes = 1
    for size in sizes:
        expected_outcomes *= size
    assert scenario.n_outcomes == expected_outcomes
    assert scenario.name == folder
    stems = sorted(
        p.stem
        for p in (DOMAINS / folder).glob("*.xml")
        if p != domain_path and p.name != "pareto.xml"
    )
    usable = [s for s in stems if s not in UNUSABLE.get(folder, set())]
    assert [p.name for p in scenario.parties] == usable
    for party in scenario.parties:
        assert party.reservation is not None
        assert 0.0 <= party.reservation <= 1.0
        assert 0.0 < party.discount <= 1.0
    sample = scenario.utilities(random_outcomes(scenario, 500, seed=1))
    assert np.all(np.isfinite(sample))
    assert np.all(sample >= 0.0)


def test_explicit_read_keeps_profile_order() -> None:
    folder = DOMAINS / "anac2011-Car"
    scenario = read_genius(folder / "adg.xml", [folder / "adg_deal2.xml", folder / "adg_deal.xml"])
    assert [p.name for p in scenario.parties] == ["adg_deal2", "adg_deal"]
    assert scenario.name == "adg"


def test_classification_by_content() -> None:
    car = DOMAINS / "anac2011-Car"
    assert is_genius_domain(parse_xml(car / "adg.xml"))
    assert not is_genius_profile(parse_xml(car / "adg.xml"))
    for name in ("adg_deal.xml", "adg_deal2.xml"):
        assert is_genius_profile(parse_xml(car / name))
        assert not is_genius_domain(parse_xml(car / name))
    nonlinear = parse_xml(DOMAINS / "anac2014-10issues" / "profile-1.xml")
    assert is_genius_profile(nonlinear)
    assert not is_genius_domain(nonlinear)


# ------------------------------------------------------------------ hand-checked utilities
def test_laptop_by_hand() -> None:
    s = load_folder("anac2011-Laptop")
    buyer, seller = s.party_index("laptop_buyer_utility"), s.party_index("laptop_seller_utility")
    # buyer: weights 0.4452125771655631, 0.37808251708013424, 0.1767567099260568; every issue's
    # largest evaluation is 30. seller: weights 0.378..., 0.176..., 0.445...; monitor max is 3.
    wb = (0.4452125771655631, 0.37808251708013424, 0.1767567099260568)
    ws = (0.37808251708013424, 0.1767567099260568, 0.4452125771655631)
    a = s.outcome({"Laptop": "Dell", "Harddisk": "60 Gb", "External Monitor": "19'' LCD"})
    b = s.outcome({"Laptop": "HP", "Harddisk": "120 Gb", "External Monitor": "20'' LCD"})
    got = s.utilities(np.stack([a, b]))
    expected_buyer = [
        wb[0] * 12 / 30 + wb[1] * 30 / 30 + wb[2] * 30 / 30,
        wb[0] * 30 / 30 + wb[1] * 9 / 30 + wb[2] * 10 / 30,
    ]
    expected_seller = [
        ws[0] * 12 / 30 + ws[1] * 20 / 30 + ws[2] * 3 / 3,
        ws[0] * 20 / 30 + ws[1] * 9 / 30 + ws[2] * 2 / 3,
    ]
    np.testing.assert_allclose(got[:, buyer], expected_buyer, rtol=0, atol=1e-12)
    np.testing.assert_allclose(got[:, seller], expected_seller, rtol=0, atol=1e-12)
    assert s.parties[buyer].discount == 0.42441038
    assert s.parties[buyer].reservation == 0.0


def test_son_real_issues_indexed_from_two_by_hand() -> None:
    s = load_folder("genius-SON")
    assert [i.name for i in s.issues] == ["Price", "Quality", "Time", "Penalty"]
    assert all(i.kind == "real" and i.size == 11 for i in s.issues)
    codes = s.outcome({"Price": 0.3, "Quality": 1.0, "Time": 0.0, "Penalty": 0.5})
    buyer, seller = s.utilities(codes)
    # buyer: e = 1 - x, weights (index 2..5) 0.5, 0.1, 0.05, 0.35
    assert buyer == pytest.approx(0.5 * 0.7 + 0.1 * 0.0 + 0.05 * 1.0 + 0.35 * 0.5, abs=1e-12)
    # seller: e = x, weights 0.1, 0.5, 0.25, 0.15
    assert seller == pytest.approx(0.1 * 0.3 + 0.5 * 1.0 + 0.25 * 0.0 + 0.15 * 0.5, abs=1e-12)


def test_second_hand_car_buyer_by_hand() -> None:
    s = load_folder("genius-2nd_hand_car")
    assert [i.name for i in s.issues][:2] == ["CD player", "Extra speakers"]
    price = s.issue("Price")
    assert price.bounds == (13000.0, 22666.0)
    bid = {"CD player": "fairly good", "Extra speakers": "meager", "Airconditioning": "standard"}
    bid["Tow hedge"] = "none"
    # car_buyer.xml: weights 0.31, 0.31, 0.08, 0.12, 0.18; evaluations out of 100;
    # price: 3.4 - 0.00015 x clamped to [0, 1]
    discrete_part = 0.31 * 80 / 100 + 0.31 * 20 / 100 + 0.08 * 99 / 100 + 0.12 * 0 / 100
    for x, e in (
        (17833.0, 3.4 - 0.00015 * 17833.0),
        (13000.0, 1.0),
        (22666.0, 3.4 - 0.00015 * 22666),
    ):
        (u,) = s.utilities(s.outcome({**bid, "Price": x}))
        assert u == pytest.approx(discrete_part + 0.18 * e, abs=1e-12)


def test_integer_domain_by_hand() -> None:
    s = load_folder("genius-IntegerDomain")
    assert [i.kind for i in s.issues] == ["integer", "integer"]
    assert s.issues[0].options[0] == "-5"
    # prof1: price 0.3 + 0.08 (x + 5), otherprice 0.1 (x + 5); weights 0.75, 0.25
    # prof2: both 0.1 (x + 5); weights 0.25, 0.75; discount "0.0" means none
    u = s.utilities(s.outcome({"price": 0, "otherprice": 5}))
    assert u[0] == pytest.approx(0.75 * (0.3 + 0.4) + 0.25 * 1.0, abs=1e-12)
    assert u[1] == pytest.approx(0.25 * 0.5 + 0.75 * 1.0, abs=1e-12)
    u = s.utilities(s.outcome({"price": 5, "otherprice": -5}))
    assert u[0] == pytest.approx(0.75 * 1.0 + 0.25 * 0.0, abs=1e-12)  # 1.1 clamped to 1
    assert all(p.discount == 1.0 for p in s.parties)


def test_vacation_mixed_discrete_and_integer_by_hand() -> None:
    s = load_folder("anac2015-vacation")
    bid = {"Location": "Rome", "Travel": "Train", "Duration (weeks)": 4, "Activities": "Beach"}
    (u, *_) = s.utilities(s.outcome({**bid, "Sleeping": "Camping"}))
    # Vacation_util2.xml: duration 1 - (x - 1)/6
    expected = (
        0.20066840706761038 * 5 / 5
        + 0.22759659561403653 * 4 / 4
        + 0.22742759974114368 * (1.0 - 3 / 6)
        + 0.22225123167474164 * 4 / 4
        + 0.1220561659024678 * 5 / 5
    )
    assert u == pytest.approx(expected, abs=1e-12)
    assert s.parties[0].reservation == 0.3


def test_discount_and_reservation_of_anac2014() -> None:
    s = load_folder("anac2014-10issuesDiscountedwithRV")
    assert [(p.reservation, p.discount) for p in s.parties] == [(0.75, 0.5), (0.75, 0.5)]


# ------------------------------------------------------------------ ANAC 2014 non-linear
def nonlinear_reference(profile: Path, domain: ET.Element) -> Callable[[Sequence[int]], float]:
    """GENIUS NonlinearUtilitySpace, bid by bid: min(1, Σ utility × weight / maxutility)."""
    issues = list(domain.iter("issue"))
    utility = ET.parse(profile).getroot().find("objective/utility")
    assert utility is not None
    max_utility = float(utility.get("maxutility", ""))
    rectangles = [
        (
            float(rect.get("utility", "")) * float(rect.get("weight", "1")),
            [
                (int(b.get("index", "")), int(b.get("min", "")), int(b.get("max", "")))
                for b in rect.findall("INCLUDES")
            ],
        )
        for rect in utility.iter("hyperRectangle")
    ]

    def evaluate(outcome: Sequence[int]) -> float:
        value = {
            int(i.get("index", "")): int(i.get("lowerbound", "")) + int(code)
            for i, code in zip(issues, outcome, strict=True)
        }
        total = 0.0
        for worth, bounds in rectangles:
            if all(low <= value[index] <= high for index, low, high in bounds):
                total += worth
        return min(1.0, total / max_utility)

    return evaluate


@pytest.mark.parametrize("folder", ["anac2014-10issues", "anac2014-10issuesDiscountedwithRV"])
def test_nonlinear_matches_straightforward_implementation(folder: str) -> None:
    s = load_folder(folder)
    assert all(isinstance(p.utility, HyperRectangleUtility) for p in s.parties)
    _, domain = raw_domain(DOMAINS / folder)
    outcomes = random_outcomes(s, 1500, seed=7)
    got = s.utilities(outcomes)
    for j, party in enumerate(s.parties):
        reference = nonlinear_reference(DOMAINS / folder / f"{party.name}.xml", domain)
        expected = [reference(row) for row in outcomes]
        np.testing.assert_allclose(got[:, j], expected, rtol=0, atol=1e-12)
    assert got.min() < got.max()


@pytest.mark.parametrize("folder", ["anac2014-10issues", "anac2014-10issuesDiscountedwithRV"])
def test_pareto_file(folder: str) -> None:
    front = read_pareto_file(DOMAINS / folder / "pareto.xml")
    assert front.ndim == 2 and front.shape[1] == 2 and front.shape[0] >= 5
    raw = [
        [float(x) for x in line.split(",")]
        for line in (DOMAINS / folder / "pareto.xml").read_text().splitlines()
        if line.strip()
    ]
    np.testing.assert_array_equal(front, np.asarray(raw))
    assert np.all(np.diff(front[:, 0]) > 0)
    assert np.all(np.diff(front[:, 1]) < 0)
    assert np.all((front >= 0) & (front <= 1))


def test_pareto_file_rejects_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "pareto.xml"
    path.write_text("0.5, 1.0\n0.7; 0.9\n")
    with pytest.raises(ScenarioError, match="two numbers") as info:
        read_pareto_file(path)
    assert info.value.line == 2


def test_nonlinear_excludes(tmp_path: Path) -> None:
    domain = tmp_path / "d.xml"
    domain.write_text(
        '<negotiation_template><utility_space><objective index="0" name="n">'
        '<issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>'
        '<issue index="2" name="b" type="integer" lowerbound="10" upperbound="12"/>'
        "</objective></utility_space></negotiation_template>"
    )
    profile = tmp_path / "p.xml"
    profile.write_text(
        '<utility_space type="nonlinear"><objective index="0" name="n">'
        '<utility maxutility="10"><ufun type="PlainUfun" weight="1" aggregation="sum">'
        '<hyperRectangle utility="4"><INCLUDES index="1" min="1" max="2"/></hyperRectangle>'
        '<hyperRectangle utility="3" weight="2"><EXCLUDES index="2" min="11" max="12"/>'
        '<EXCLUDES index="1" min="0" max="1"/></hyperRectangle>'
        '<hyperRectangle utility="1"/>'
        "</ufun></utility></objective></utility_space>"
    )
    s = read_genius(domain, [profile])
    for a in range(4):
        for b in range(10, 13):
            total = 1.0
            total += 4.0 if 1 <= a <= 2 else 0.0
            total += 6.0 if not (11 <= b <= 12 and 0 <= a <= 1) else 0.0
            (u,) = s.utilities(s.outcome({"a": a, "b": b}))
            assert u == pytest.approx(min(1.0, total / 10), abs=1e-12)


def test_nonlinear_aggregation_defaults_to_the_sum(tmp_path: Path) -> None:
    domain = tmp_path / "d.xml"
    domain.write_text(
        '<negotiation_template><utility_space><objective index="0" name="n">'
        '<issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>'
        "</objective></utility_space></negotiation_template>"
    )
    profile = tmp_path / "p.xml"
    profile.write_text(
        '<utility_space type="nonlinear"><objective index="0" name="n">'
        '<utility maxutility="10"><ufun type="PlainUfun">'
        '<hyperRectangle utility="4"><INCLUDES index="1" min="1" max="2"/></hyperRectangle>'
        '<hyperRectangle utility="1"/>'
        "</ufun></utility></objective></utility_space>"
    )
    s = read_genius(domain, [profile])
    assert [float(s.utilities(s.outcome({"a": a}))[0]) for a in range(4)] == [0.1, 0.5, 0.5, 0.1]


# ------------------------------------------------------------------ round trips
@pytest.mark.parametrize("folder", GENIUS_FOLDERS)
def test_round_trip(folder: str, tmp_path: Path) -> None:
    scenario = load_folder(folder)
    paths = write_genius(scenario, tmp_path)
    assert paths[0] == tmp_path / f"{folder}_domain.xml"
    assert [p.stem for p in paths[1:]] == [p.name for p in scenario.parties]
    again_warnings = tuple(w for w in FOLDER_WARNINGS.get(folder, ()) if "skipped" not in w)
    back = load_warning(
        lambda: read_genius(paths[0], paths[1:], name=scenario.name), again_warnings
    )
    assert [i.name for i in back.issues] == [i.name for i in scenario.issues]
    assert [i.kind for i in back.issues] == [i.kind for i in scenario.issues]
    assert back.sizes == scenario.sizes
    assert [p.name for p in back.parties] == [p.name for p in scenario.parties]
    assert [(p.reservation, p.discount) for p in back.parties] == [
        (p.reservation, p.discount) for p in scenario.parties
    ]
    if scenario.n_outcomes <= 200_000:
        outcomes = scenario.enumerate()
    else:
        outcomes = random_outcomes(scenario, 20_000, seed=11)
    np.testing.assert_allclose(
        back.utilities(outcomes), scenario.utilities(outcomes), rtol=0, atol=1e-12
    )


def test_written_files_have_genius_layout(tmp_path: Path) -> None:
    scenario = load_folder("genius-2nd_hand_car")
    domain_path, profile_path = write_genius(scenario, tmp_path)
    domain = ET.parse(domain_path).getroot()
    assert domain.tag == "negotiation_template"
    objective = domain.find("utility_space/objective")
    assert objective is not None and objective.get("index") == "0"
    issues = objective.findall("issue")
    assert [i.get("index") for i in issues] == ["1", "2", "3", "4", "5"]
    assert [i.get("type") for i in issues] == ["discrete"] * 4 + ["real"]
    price_range = issues[4].find("range")
    assert price_range is not None and price_range.attrib == {
        "lowerbound": "13000.0",
        "upperbound": "22666.0",
    }
    profile = ET.parse(profile_path).getroot()
    assert profile.tag == "utility_space"
    weights = profile.findall("objective/weight")
    assert [w.get("index") for w in weights] == ["1", "2", "3", "4", "5"]
    assert profile.find("reservation") is not None and profile.find("discount_factor") is not None
    # found again by content, in a folder of their own
    again = load_warning(lambda: read_genius_folder(tmp_path), (DISCRETISED,))
    assert [p.name for p in again.parties] == ["car_buyer"]
    assert not list(tmp_path.glob(".*"))


def make_scenario(
    issues: Sequence[Issue], parties: Sequence[Party], name: str = "deal"
) -> Scenario:
    return Scenario(name=name, issues=tuple(issues), parties=tuple(parties))


def test_discrete_values_below_one_are_encoded_through_the_weight(tmp_path: Path) -> None:
    issue = Issue.discrete("colour", ["red", "blue", "green"])
    utility = AdditiveUtility(weights=(0.8,), values=((0.2, 0.5, 0.0),))
    scenario = make_scenario([issue], [Party("p", utility, reservation=0.1, discount=0.9)])
    _, profile = write_genius(scenario, tmp_path)
    root = ET.parse(profile).getroot()
    items = root.findall("objective/issue/item")
    assert [i.get("evaluation") for i in items] == ["0.4", "1.0", "0.0"]
    weight = root.find("objective/weight")
    assert weight is not None and weight.get("value") == repr(0.8 * 0.5)
    back = read_genius(tmp_path / "deal_domain.xml", [profile])
    np.testing.assert_allclose(
        back.utilities(back.enumerate()), [[0.16], [0.4], [0.0]], rtol=0, atol=1e-15
    )
    assert (back.parties[0].reservation, back.parties[0].discount) == (0.1, 0.9)


def test_integer_issue_written_as_integer_when_linear(tmp_path: Path) -> None:
    issue = Issue.integer("weeks", 2, 6)
    linear = AdditiveUtility(weights=(1.0,), values=((1.0, 0.75, 0.5, 0.25, 0.0),))
    clamped = AdditiveUtility(weights=(0.5,), values=((0.0, 0.0, 0.3, 0.6, 0.9),))
    scenario = make_scenario([issue], [Party("a", linear), Party("b", clamped)])
    paths = write_genius(scenario, tmp_path)
    issue_element = ET.parse(paths[1]).getroot().find("objective/issue")
    assert issue_element is not None and issue_element.get("type") == "integer"
    back = read_genius(paths[0], paths[1:])
    assert back.issues[0].kind == "integer" and back.issues[0].options == issue.options
    np.testing.assert_allclose(
        back.utilities(back.enumerate()),
        scenario.utilities(scenario.enumerate()),
        rtol=0,
        atol=1e-13,
    )


def test_integer_issue_with_nonlinear_values_written_as_discrete(tmp_path: Path) -> None:
    issue = Issue.integer("weeks", 1, 4)
    peaked = AdditiveUtility(weights=(0.7,), values=((0.2, 1.0, 0.6, 0.0),))
    scenario = make_scenario([issue], [Party("a", peaked)])
    with pytest.warns(ConversionWarning, match=r"valued other than linearly \(weeks\)"):
        paths = write_genius(scenario, tmp_path)
    back = read_genius(paths[0], paths[1:])
    assert back.issues[0].kind == "discrete"
    assert back.issues[0].options == ("1", "2", "3", "4")
    np.testing.assert_allclose(
        back.utilities(back.enumerate()),
        scenario.utilities(scenario.enumerate()),
        rtol=0,
        atol=1e-15,
    )


def test_awkward_names_round_trip(tmp_path: Path) -> None:
    issue = Issue.discrete('size "XL" & <more>', ["19'' LCD", "Custom, Handmade", "a>b"])
    utility = AdditiveUtility(weights=(1.0,), values=((0.0, 0.5, 1.0),))
    scenario = make_scenario([issue], [Party("US/Mexico", utility)], name="trade: 2017")
    with pytest.warns(ConversionWarning, match='read back, "US/Mexico" as "US_Mexico"'):
        paths = write_genius(scenario, tmp_path)
    assert [p.name for p in paths] == ["trade_ 2017_domain.xml", "US_Mexico.xml"]
    raw = paths[0].read_text(encoding="utf-8")
    assert 'value="a&gt;b"' in raw  # GENIUS's parser ends a tag at the first raw ">"
    back = read_genius(paths[0], paths[1:])
    assert back.issues[0].name == issue.name and back.issues[0].options == issue.options
    np.testing.assert_array_equal(
        back.utilities(back.enumerate()), scenario.utilities(scenario.enumerate())
    )


def test_hyper_rectangles_round_trip_with_ufun_weight(tmp_path: Path) -> None:
    issues = [
        Issue.integer("a", 0, 4, disagreement=0),
        Issue.integer("b", 1, 3, disagreement=1),
        Issue.discrete("c", ["x", "y"], disagreement="x"),
    ]
    utility = HyperRectangleUtility(
        rectangles=(
            HyperRectangle(30.0, ((0, 1.0, 3.0), (1, 2.0, 3.0))),
            HyperRectangle(20.0, ((1, 0.5, 2.5),), weight=0.5),
            HyperRectangle(5.0, ()),
        ),
        max_utility=40.0,
        ufun_weight=1.25,
    )
    additive = AdditiveUtility(
        weights=(0.2, 0.3, 0.5), values=((0.0, 0.25, 0.5, 0.75, 1.0), (1.0, 0.5, 0.0), (0.3, 1.0))
    )
    scenario = make_scenario(issues, [Party("n", utility, reservation=0.2), Party("l", additive)])
    with pytest.warns(ConversionWarning) as record:
        paths = write_genius(scenario, tmp_path)
    assert [str(w.message).split(";")[0] for w in record] == [
        'GENIUS XML cannot hold the "if talks fail" options (a: 0, b: 1, c: x)',
        "GENIUS XML cannot hold the party order: read as a folder, the profiles are taken in "
        "file-name order (l, n)",
    ]
    assert ET.parse(paths[1]).getroot().get("type") == "nonlinear"
    back = read_genius(paths[0], paths[1:])
    # the additive party's reservation is its utility of the disagreement outcome (0, 1, "x")
    assert back.parties[0].reservation == 0.2
    assert back.parties[1].reservation == pytest.approx(
        0.2 * 0.0 + 0.3 * 1.0 + 0.5 * 0.3, abs=1e-15
    )
    written = back.parties[0].utility
    assert isinstance(written, HyperRectangleUtility) and written.ufun_weight == 1.25
    assert written.rectangles[1].bounds == ((1, 1.0, 2.0),)  # [0.5, 2.5] holds the integers 1, 2
    outcomes = scenario.enumerate()
    for before, after in zip(scenario.parties, back.parties, strict=True):
        np.testing.assert_allclose(
            after.utility.evaluate(outcomes, back.issues),
            before.utility.evaluate(outcomes, scenario.issues),
            rtol=0,
            atol=1e-13,
        )


def test_rectangle_on_discrete_issue_cannot_be_written_and_leaves_nothing(tmp_path: Path) -> None:
    issues = [Issue.discrete("c", ["x", "y"])]
    utility = HyperRectangleUtility(
        rectangles=(HyperRectangle(1.0, ((0, 0.0, 0.0),)),), max_utility=1.0
    )
    scenario = make_scenario(issues, [Party("n", utility)])
    with pytest.raises(ScenarioError, match="integer issues only"):
        write_genius(scenario, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_failed_write_leaves_no_partial_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = load_folder("anac2013-Coffee")
    existing = tmp_path / "Coffee_util1.xml"
    existing.write_text("keep me")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OutputError, match="cannot write file: No space left on device") as info:
        write_genius(scenario, tmp_path)
    assert info.value.errno == 28 and isinstance(info.value, OSError)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Coffee_util1.xml"]
    assert existing.read_text() == "keep me"


def test_colliding_file_names_are_refused(tmp_path: Path) -> None:
    utility = AdditiveUtility(weights=(1.0,), values=((0.0, 1.0),))
    issue = Issue.discrete("c", ["x", "y"])
    scenario = make_scenario([issue], [Party("a/b", utility), Party("a_b", utility)])
    with pytest.raises(ScenarioError, match="same file"):
        write_genius(scenario, tmp_path)
    assert not list(tmp_path.iterdir())


# ------------------------------------------------------------------ error cases
DOMAIN = (
    '<negotiation_template><utility_space number_of_issues="2">'
    '<objective index="0" name="t" type="objective">'
    '<issue index="1" name="Colour" type="discrete"><item index="1" value="red"/>'
    '<item index="2" value="blue"/></issue>'
    '<issue index="2" name="Size" type="integer" lowerbound="1" upperbound="3"/>'
    "</objective></utility_space></negotiation_template>"
)
COLOUR = (
    '<issue index="1" name="Colour" type="discrete"><item value="red" evaluation="{red}"/>'
    '<item value="blue" evaluation="2"/></issue>'
)
SIZE = (
    '<issue index="2" name="Size" type="{size_type}" lowerbound="1" upperbound="3">'
    '<evaluator ftype="linear" slope="0.5" offset="0"/></issue>'
)


def profile_xml(
    *,
    red: str = "1",
    size_type: str = "integer",
    weights: Sequence[tuple[str, str]] = (("1", "0.6"), ("2", "0.4")),
    extra: str = "",
    tail: str = "",
) -> str:
    weight_xml = "".join(f'<weight index="{i}" value="{v}"/>' for i, v in weights)
    return (
        '<utility_space><objective index="0" name="t">'
        + COLOUR.format(red=red)
        + SIZE.format(size_type=size_type)
        + extra
        + weight_xml
        + "</objective>"
        + tail
        + "</utility_space>"
    )


def write_pair(tmp_path: Path, profile: str, domain: str = DOMAIN) -> tuple[Path, Path]:
    d = tmp_path / "dom.xml"
    d.write_text(domain)
    p = tmp_path / "party.xml"
    p.write_text(profile)
    return d, p


def test_small_profile_reads(tmp_path: Path) -> None:
    d, p = write_pair(
        tmp_path, profile_xml(tail='<reservation value="0.25"/><discount_factor value="0.9"/>')
    )
    s = read_genius(d, [p])
    # colour: red 1/2, blue 2/2; size: 0.5 (x - 1)
    u = s.utilities(s.enumerate())[:, 0]
    expected = [0.6 * c + 0.4 * z for c in (0.5, 1.0) for z in (0.0, 0.5, 1.0)]
    np.testing.assert_allclose(u, expected, rtol=0, atol=1e-15)
    assert (s.parties[0].reservation, s.parties[0].discount) == (0.25, 0.9)


def test_unknown_issue_index_in_profile(tmp_path: Path) -> None:
    extra = '<issue index="9" name="Ghost" type="discrete"><item value="x" evaluation="1"/></issue>'
    d, p = write_pair(tmp_path, profile_xml(extra=extra))
    with pytest.raises(
        ScenarioError, match=r'issue\[index=9 "Ghost"\]: expected the index of an issue'
    ) as info:
        read_genius(d, [p])
    assert info.value.source == str(p)


def test_unknown_item_value_in_profile(tmp_path: Path) -> None:
    profile = profile_xml().replace('value="blue"', 'value="green"')
    d, p = write_pair(tmp_path, profile)
    with pytest.raises(
        ScenarioError, match=r'item\["green"\]: expected one of the values of the domain'
    ):
        read_genius(d, [p])


def test_missing_evaluation_for_a_domain_value(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(red="null"))
    with pytest.raises(
        ScenarioError, match=r'Colour"\]: expected an evaluation for every value.*"red"'
    ):
        read_genius(d, [p])


def test_missing_weight(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(weights=(("1", "1.0"),)))
    with pytest.raises(
        ScenarioError, match=r'issue\[index=2 "Size"\]: expected a <weight index=2>'
    ):
        read_genius(d, [p])


def test_non_numeric_weight(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(weights=(("1", "heavy"), ("2", "0.4"))))
    with pytest.raises(
        ScenarioError, match=r'weight\[index=1\]\.value: expected a finite number, got "heavy"'
    ):
        read_genius(d, [p])


def test_negative_evaluation(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(red="-1"))
    with pytest.raises(ScenarioError, match="expected an evaluation >= 0"):
        read_genius(d, [p])


def test_profile_type_must_match_domain(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(size_type="real"))
    with pytest.raises(
        ScenarioError, match=r'Size"\]: expected type "integer" as declared in the domain'
    ):
        read_genius(d, [p])


def test_unknown_type_in_domain(tmp_path: Path) -> None:
    d, p = write_pair(
        tmp_path, profile_xml(), domain=DOMAIN.replace('type="integer"', 'type="money"')
    )
    with pytest.raises(
        ScenarioError, match=r'dom\.xml: issue\[index=2 "Size"\]: expected type .* got "money"'
    ):
        read_genius(d, [p])


def test_price_type_profile_read_explicitly() -> None:
    folder = DOMAINS / "genius-2nd_hand_car"
    with pytest.raises(ScenarioError) as info:
        read_genius(folder / "car_domain.xml", [folder / "car_dealer.xml"])
    message = str(info.value)
    assert "car_dealer.xml" in message
    assert 'issue[index=6 "Price"]' in message
    assert 'got "price"' in message


def test_reservation_out_of_range(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(tail='<reservation value="1.5"/>'))
    with pytest.raises(ScenarioError, match="reservation: expected a reservation value in"):
        read_genius(d, [p])


def test_discount_factor_as_genius_reads_it(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, profile_xml(tail='<discount_factor value="1.5"/>'))
    assert read_genius(d, [p]).parties[0].discount == 1.0
    d, p = write_pair(tmp_path, profile_xml(tail='<discount_factor value="s"/>'))
    with pytest.warns(UserWarning, match='discount factor "s" is not a number'):
        assert read_genius(d, [p]).parties[0].discount == 1.0


def test_real_evaluator_kinds(tmp_path: Path) -> None:
    domain = (
        '<negotiation_template><utility_space><objective index="0">'
        '<issue index="1" name="t" type="real"><range lowerbound="0" upperbound="10"/></issue>'
        '<issue index="2" name="c" type="real"><range lowerbound="0" upperbound="1"/></issue>'
        "</objective></utility_space></negotiation_template>"
    )
    profile = (
        '<utility_space><objective index="0">'
        '<issue index="1" type="real"><range lowerbound="0" upperbound="10"/>'
        '<evaluator ftype="triangular" parameter0="2" parameter1="8" parameter2="4"/></issue>'
        '<issue index="2" type="real"><range lowerbound="0" upperbound="1"/>'
        '<evaluator ftype="constant" parameter0="0.3"/></issue>'
        '<weight index="1" value="0.5"/><weight index="2" value="0.5"/>'
        "</objective></utility_space>"
    )
    d, p = write_pair(tmp_path, profile, domain=domain)
    s = read_genius(d, [p], real_steps=6)
    t = s.issue("t")
    assert t.scale_points.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    u = s.utilities(np.asarray([[k, 0] for k in range(6)]))[:, 0]
    np.testing.assert_allclose(u, [0.15, 0.15, 0.65, 0.4, 0.15, 0.15], rtol=0, atol=1e-15)
    d, p = write_pair(tmp_path, profile.replace('"triangular"', '"faratin"'), domain=domain)
    with pytest.raises(
        ScenarioError, match=r'issue\[index=1 "t"\]\.evaluator: expected ftype .* got "faratin"'
    ):
        read_genius(d, [p], real_steps=6)


def test_mixed_includes_and_excludes_is_refused(tmp_path: Path) -> None:
    domain = (
        '<negotiation_template><utility_space><objective index="0">'
        '<issue index="1" name="a" type="integer" lowerbound="0" upperbound="3"/>'
        "</objective></utility_space></negotiation_template>"
    )
    profile = (
        '<utility_space type="nonlinear"><objective index="0"><utility maxutility="1">'
        '<ufun aggregation="sum"><hyperRectangle utility="1"><INCLUDES index="1" min="0" max="1"/>'
        '<EXCLUDES index="1" min="2" max="3"/></hyperRectangle></ufun></utility></objective></utility_space>'
    )
    d, p = write_pair(tmp_path, profile, domain=domain)
    with pytest.raises(ScenarioError, match=r"hyperRectangle\[0\]: expected INCLUDES or EXCLUDES"):
        read_genius(d, [p])
    d, p = write_pair(tmp_path, profile.replace('"sum"', '"max"'), domain=domain)
    with pytest.raises(ScenarioError, match='expected aggregation "sum", got "max"'):
        read_genius(d, [p])


def test_bare_utility_space_domain(tmp_path: Path) -> None:
    bare = DOMAIN.removeprefix("<negotiation_template>").removesuffix("</negotiation_template>")
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "a_domain.xml").write_text(bare)
    (folder / "b.xml").write_text(profile_xml())
    assert is_genius_domain(parse_xml(folder / "a_domain.xml"))
    s = read_genius_folder(folder)
    assert s.name == "bare" and [p.name for p in s.parties] == ["b"]
    assert read_genius_folder(folder, name="renamed").name == "renamed"


def test_folder_without_domain(tmp_path: Path) -> None:
    (tmp_path / "b.xml").write_text(profile_xml())
    with pytest.raises(
        ScenarioError, match=r"expected exactly one GENIUS domain file, found 0 \(none\)"
    ):
        read_genius_folder(tmp_path)


def test_folder_with_two_domains(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(DOMAIN)
    (tmp_path / "b.xml").write_text(DOMAIN)
    with pytest.raises(ScenarioError, match=r"found 2 \(a\.xml, b\.xml\)"):
        read_genius_folder(tmp_path)


def test_folder_with_a_profile_missing_a_weight_fails_with_its_error(tmp_path: Path) -> None:
    # a broken profile fails the folder as it fails alone (it was left out, leaving no party)
    (tmp_path / "a.xml").write_text(DOMAIN)
    (tmp_path / "b.xml").write_text(profile_xml(weights=(("1", "1.0"),)))
    with pytest.raises(ScenarioError) as info:
        read_genius_folder(tmp_path)
    assert 'b.xml: issue[index=2 "Size"]: expected a <weight index=2>' in str(info.value)


def test_folder_with_an_unknown_root_ignores_it_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text(DOMAIN)
    (tmp_path / "b.xml").write_text(profile_xml())
    (tmp_path / "c.xml").write_text("<notes>not a scenario</notes>")
    with pytest.warns(ConversionWarning, match="ignored c.xml: neither a GENIUS domain"):
        assert read_genius_folder(tmp_path).n_parties == 1


def test_folder_with_an_unrecognisable_utility_space_reports_it(tmp_path: Path) -> None:
    # a profile whose type was mangled is neither profile nor domain by its content
    (tmp_path / "a.xml").write_text(DOMAIN)
    (tmp_path / "b.xml").write_text(profile_xml())
    (tmp_path / "c.xml").write_text(
        '<utility_space type="..nan"><objective index="0"><utility maxutility="1"/></objective></utility_space>'
    )
    with pytest.raises(
        ScenarioError, match=r'c\.xml: utility_space: expected utility_space type "linear"'
    ):
        read_genius_folder(tmp_path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<negotiation_template><utility_space><objective index="0">
<issue index="1" name="&lol9;"><item value="a"/></issue>
</objective></utility_space></negotiation_template>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<negotiation_template><utility_space><objective index="0">
<issue index="1" name="&xxe;"><item value="a"/></issue>
</objective></utility_space></negotiation_template>
"""


@pytest.mark.parametrize(
    "text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"]
)
def test_unsafe_xml_is_refused(tmp_path: Path, text: str) -> None:
    d, p = write_pair(tmp_path, profile_xml(), domain=text)
    with pytest.raises(UnsafeInputError, match="DTD or entit") as info:
        read_genius(d, [p])
    assert info.value.source == str(d)


def test_malformed_xml_names_the_line(tmp_path: Path) -> None:
    profile = profile_xml().replace("</objective>", "\n\n</objectiv>")
    d, p = write_pair(tmp_path, profile)
    with pytest.raises(ScenarioError, match="expected well-formed XML") as info:
        read_genius(d, [p])
    assert info.value.line == 3
    assert info.value.source == str(p)


def test_empty_file(tmp_path: Path) -> None:
    d, p = write_pair(tmp_path, "")
    with pytest.raises(ScenarioError, match="expected well-formed XML") as info:
        read_genius(d, [p])
    assert info.value.source == str(p)


def test_file_over_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d, p = write_pair(tmp_path, profile_xml())
    monkeypatch.setenv("ZOPA_MAX_FILE_BYTES", "100")
    with pytest.raises(UnsafeInputError, match="more than the limit of 100"):
        read_genius(d, [p])


def test_warnings_say_what_kind_of_loss_they_report(tmp_path: Path) -> None:
    domain = (
        '<negotiation_template><utility_space><objective index="0">'
        '<issue index="1" name="t" type="real"><range lowerbound="0" upperbound="10"/></issue>'
        "</objective></utility_space></negotiation_template>"
    )
    profile = (
        '<utility_space><objective index="0">'
        '<issue index="1" type="real"><range lowerbound="0" upperbound="10"/>'
        '<evaluator ftype="linear" parameter0="0" parameter1="0.1"/></issue>'
        '<weight index="1" value="1"/></objective><discount_factor value="s"/></utility_space>'
    )
    d, p = write_pair(tmp_path, profile, domain=domain)
    with pytest.warns(ZopaWarning) as record:
        read_genius(d, [p])
    kinds = {type(w.message): str(w.message) for w in record}
    assert set(kinds) == {DiscretisationWarning, ConversionWarning}
    assert "discretised into 11 evenly spaced values" in kinds[DiscretisationWarning]
    assert 'discount factor "s" is not a number' in kinds[ConversionWarning]


# ------------------------------------------------------------- preference-uncertainty profiles
#: A GENIUS preference-uncertainty profile on the ANAC 2013 Ultimatum domain, written for the tests
#: from the format (``<utility_space type="UNCERTAIN">``: an additive profile plus the number of
#: bid comparisons an agent is shown); see ``tests/data/SOURCES.md``.
UNCERTAIN = DOMAINS.parent / "genius-uncertainty" / "Ultimatum_util1_uncertain.xml"


def ultimatum_with_uncertain(tmp_path: Path) -> Path:
    folder = tmp_path / "Ultimatum"
    folder.mkdir()
    for path in [*(DOMAINS / "anac2013-Ultimatum").iterdir(), UNCERTAIN]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_uncertainty_profile_in_a_folder_is_left_out_with_a_note(tmp_path: Path) -> None:
    folder = ultimatum_with_uncertain(tmp_path)
    with pytest.warns(ConversionWarning) as record:
        s = read_genius_folder(folder)
    assert [p.name for p in s.parties] == ["Ultimatum_util1", "Ultimatum_util2"]
    [message] = [str(w.message) for w in record]
    assert message.startswith("left out profile Ultimatum_util1_uncertain.xml: ")
    assert (
        'preference-uncertainty profile (utility_space type="UNCERTAIN", 10 comparisons)' in message
    )
    assert "\n" not in message


def test_uncertainty_profile_in_a_folder_through_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from zopa.cli.app import app

    result = CliRunner().invoke(app, ["validate", str(ultimatum_with_uncertain(tmp_path))])
    assert result.exit_code == 0, result.output
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert "left out profile Ultimatum_util1_uncertain.xml" in warning
    assert "2 issues, 2 parties" in result.stdout


def test_uncertainty_profile_read_explicitly_is_its_additive_profile() -> None:
    domain = DOMAINS / "anac2013-Ultimatum" / "Ultimatum.xml"
    with pytest.warns(ConversionWarning) as record:
        s = read_genius(domain, [UNCERTAIN])
    [message] = [str(w.message) for w in record]
    assert "Ultimatum_util1_uncertain.xml" in message
    assert "10 comparisons" in message and "not modelled" in message
    [party] = s.parties
    assert party.reservation == 0.5
    # 0.75 * e1 + 0.25 * e2 with evaluations divided by each issue's largest (4): A=1, Z=1, C=1/4.
    codes = np.array([[0, 2], [2, 0], [1, 1]])
    np.testing.assert_allclose(s.utilities(codes)[:, 0], [1.0, 0.25, 0.5], rtol=0, atol=1e-15)


def test_folder_of_uncertainty_profiles_only_reads_them(tmp_path: Path) -> None:
    folder = tmp_path / "only"
    folder.mkdir()
    (folder / "Ultimatum.xml").write_bytes(
        (DOMAINS / "anac2013-Ultimatum" / "Ultimatum.xml").read_bytes()
    )
    (folder / UNCERTAIN.name).write_bytes(UNCERTAIN.read_bytes())
    with pytest.warns(ConversionWarning, match="not modelled"):
        s = read_genius_folder(folder)
    assert [p.name for p in s.parties] == ["Ultimatum_util1_uncertain"]

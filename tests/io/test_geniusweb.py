"""GeniusWeb JSON scenarios: the real files, the ANL organisers' numbers, round trips, errors."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from zopa.io.geniusweb import (
    is_geniusweb_domain,
    is_geniusweb_profile,
    read_geniusweb,
    read_geniusweb_folder,
    read_specials,
    write_geniusweb,
)
from zopa.model import (
    AdditiveUtility,
    ConversionWarning,
    HyperRectangle,
    HyperRectangleUtility,
    Issue,
    Party,
    Scenario,
    ScenarioError,
)

GENIUSWEB = [
    "geniusweb-fitness",
    "geniusweb-flightbooking",
    "geniusweb-japantrip",
    "geniusweb-party",
]
ANL = ["anl2023-domain00", "anl2023-domain01", "anl2023-domain02", "anl2023-domain03"]


# ---------------------------------------------------------------------------- raw JSON, not the reader
def raw_folder(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The domain and the profiles of a folder, by a plain json parse."""
    files = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]
    domain = next(d for d in files if "issuesValues" in d)
    profiles = [d["LinearAdditiveUtilitySpace"] for d in files if "LinearAdditiveUtilitySpace" in d]
    return domain, profiles


def raw_sizes(domain: dict[str, Any]) -> list[int]:
    sizes = []
    for spec in domain["issuesValues"].values():
        if "values" in spec:
            sizes.append(len(spec["values"]))
        else:
            r = spec["range"]
            low, high, step = (Decimal(str(r[k])) for k in ("low", "high", "step"))
            sizes.append(int((high - low) / step) + 1)
    return sizes


# ---------------------------------------------------------------------------- synthetic files
LEASE = {
    "name": "lease",
    "issuesValues": {
        "rent": {"values": ["low", "mid", "high"]},
        "term": {"range": {"low": 1, "high": 5, "step": 1}},
    },
}


def profile(
    name: str | None = "lessee",
    *,
    domain: dict[str, Any] | None = None,
    rent: dict[str, Any] | None = None,
    term: dict[str, Any] | None = None,
    weights: dict[str, Any] | None = None,
    reservation: dict[str, Any] | None = None,
    old_keys: bool = False,
) -> dict[str, Any]:
    discrete, number = (
        ("discreteutils", "numberutils")
        if old_keys
        else ("DiscreteValueSetUtilities", "NumberValueSetUtilities")
    )
    space: dict[str, Any] = {
        "domain": LEASE if domain is None else domain,
        "issueUtilities": {
            "rent": {discrete: {"valueUtilities": rent or {"low": 1.0, "mid": 0.6, "high": 0.0}}},
            "term": {
                number: term
                or {"lowValue": 1, "lowUtility": 0.2, "highValue": 5, "highUtility": 1.0}
            },
        },
        "issueWeights": weights or {"rent": 0.7, "term": 0.3},
    }
    if name is not None:
        space["name"] = name
    if reservation is not None:
        space["reservationBid"] = {"issuevalues": reservation}
    return {"LinearAdditiveUtilitySpace": space}


def put(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- the real files
def test_every_geniusweb_folder_is_covered(domains: Path) -> None:
    found = sorted(
        p.name for p in domains.iterdir() if p.name.startswith(("geniusweb-", "anl2023-"))
    )
    assert found == sorted(GENIUSWEB + ANL)


@pytest.mark.parametrize("folder", GENIUSWEB + ANL)
def test_folder_loads_with_counts_from_the_raw_json(domains: Path, folder: str) -> None:
    domain, profiles = raw_folder(domains / folder)
    scenario = read_geniusweb_folder(domains / folder)
    assert [i.name for i in scenario.issues] == list(domain["issuesValues"])
    assert list(scenario.sizes) == raw_sizes(domain)
    assert scenario.n_outcomes == math.prod(raw_sizes(domain))
    assert isinstance(scenario.n_outcomes, int)
    assert [p.name for p in scenario.parties] == [p["name"] for p in profiles]
    assert scenario.title == domain["name"]
    assert scenario.name == folder


@pytest.mark.parametrize("folder", GENIUSWEB + ANL)
def test_domain_file_and_embedded_domain_give_the_same_scenario(domains: Path, folder: str) -> None:
    files = sorted((domains / folder).glob("*.json"))
    domain = next(p for p in files if "issuesValues" in json.loads(p.read_text(encoding="utf-8")))
    profiles = [p for p in files if p != domain and p.name != "specials.json"]
    with_file = read_geniusweb(domain, profiles)
    embedded = read_geniusweb(None, profiles)
    outcomes = with_file.enumerate()
    assert with_file.issues == embedded.issues
    assert np.array_equal(with_file.utilities(outcomes), embedded.utilities(outcomes))
    assert np.array_equal(with_file.reservation_values(), embedded.reservation_values())


@pytest.mark.parametrize("folder", ANL)
def test_anl_specials_size_is_the_outcome_count(domains: Path, folder: str) -> None:
    specials = read_specials(domains / folder / "specials.json")
    assert specials["size"] == read_geniusweb_folder(domains / folder).n_outcomes
    assert set(specials) >= {"size", "pareto_front", "nash", "kalai", "social_welfare"}


@pytest.mark.parametrize("folder", ANL)
def test_anl_special_bids_have_the_organisers_utilities(domains: Path, folder: str) -> None:
    scenario = read_geniusweb_folder(domains / folder)
    specials = read_specials(domains / folder / "specials.json")
    points = [*specials["pareto_front"], specials["nash"], specials["kalai"]]
    points.append(specials["social_welfare"])
    assert len(points) > 3
    for point in points:
        got = scenario.utilities(scenario.outcome(point["bid"]))
        np.testing.assert_allclose(got, point["utility"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(scenario.reservation_values(), [0.0, 0.0])


def test_flightbooking_reservation_bids_give_the_documented_values(domains: Path) -> None:
    scenario = read_geniusweb_folder(domains / "geniusweb-flightbooking")
    np.testing.assert_allclose(scenario.reservation_values(), [0.7085, 0.6], atol=1e-4)
    # 0.35 × 0.5 + 0.35 × 0.667 + 0.3 × 1.0 and 0.7 × 0.5 + 0.15 × 1.0 + 0.15 × 0.667
    np.testing.assert_allclose(scenario.reservation_values(), [0.70845, 0.60005], atol=1e-12)


def test_party_domain_bid_by_hand(domains: Path) -> None:
    scenario = read_geniusweb_folder(domains / "geniusweb-party")
    bid = {
        "Food": "Catering",
        "Drinks": "Beer Only",
        "Location": "Party Room",
        "Invitations": "Photo",
        "Music": "DJ",
        "Cleanup": "Hired Help",
    }
    party1 = 0.19 * 0.25 + 0.28 * 0.98 + 0.19 * 0.99 + 0.05 * 0.74 + 0.19 * 0.99 + 0.10 * 0.31
    party2 = 0.095 * 0.97 + 0.228 * 0.22 + 0.109 * 0.99 + 0.214 * 0.24 + 0.108 * 0.32 + 0.246 * 0.21
    assert (party1, party2) == pytest.approx((0.7661, 0.3878), abs=1e-12)
    np.testing.assert_allclose(
        scenario.utilities(scenario.outcome(bid)), [party1, party2], rtol=0, atol=1e-12
    )


@pytest.mark.filterwarnings("ignore:GeniusWeb JSON cannot hold the title")
@pytest.mark.parametrize("folder", GENIUSWEB + ANL)
def test_write_then_read_gives_identical_utilities(
    domains: Path, folder: str, tmp_path: Path
) -> None:
    scenario = read_geniusweb_folder(domains / folder)
    paths = write_geniusweb(scenario, tmp_path / "out")
    assert len(paths) == 1 + scenario.n_parties
    back = read_geniusweb(paths[0], paths[1:])
    outcomes = scenario.enumerate()
    assert back.issues == scenario.issues
    assert [p.name for p in back.parties] == [p.name for p in scenario.parties]
    assert np.array_equal(back.utilities(outcomes), scenario.utilities(outcomes))
    assert np.array_equal(back.reservation_values(), scenario.reservation_values())
    for path in paths[1:]:
        space = json.loads(path.read_text(encoding="utf-8"))["LinearAdditiveUtilitySpace"]
        kinds = {next(iter(u)) for u in space["issueUtilities"].values()}
        assert kinds == {"DiscreteValueSetUtilities"}
        assert sum(Decimal(str(w)) for w in space["issueWeights"].values()) == 1


# ---------------------------------------------------------------------------- format details
def test_both_key_generations_read_the_same(tmp_path: Path) -> None:
    new = put(tmp_path, "new.json", profile())
    old = put(tmp_path, "old.json", profile(old_keys=True))
    a, b = read_geniusweb(None, [new]), read_geniusweb(None, [old])
    assert a.parties[0].utility == b.parties[0].utility


def test_number_range_is_an_integer_issue_with_linear_utilities(tmp_path: Path) -> None:
    scenario = read_geniusweb(None, [put(tmp_path, "p.json", profile())])
    term = scenario.issue("term")
    assert (term.kind, term.options) == ("integer", ("1", "2", "3", "4", "5"))
    utility = scenario.parties[0].utility
    assert isinstance(utility, AdditiveUtility)
    assert utility.values[1] == (0.2, 0.4, 0.6, 0.8, 1.0)
    assert utility.values[0] == (1.0, 0.6, 0.0)


def test_number_utilities_are_quantised_to_eight_decimals_half_up(tmp_path: Path) -> None:
    domain = {"name": "d", "issuesValues": {"x": {"range": {"low": 0, "high": 3, "step": 1}}}}
    data = {
        "LinearAdditiveUtilitySpace": {
            "name": "p",
            "domain": domain,
            "issueUtilities": {
                "x": {
                    "NumberValueSetUtilities": {
                        "lowValue": 0,
                        "lowUtility": 0,
                        "highValue": 3,
                        "highUtility": 1,
                    }
                }
            },
            "issueWeights": {"x": 1},
        }
    }
    scenario = read_geniusweb(None, [put(tmp_path, "p.json", data)])
    utility = scenario.parties[0].utility
    assert isinstance(utility, AdditiveUtility)
    assert utility.values[0] == (0.0, 0.33333333, 0.66666667, 1.0)


def test_older_range_list_gives_a_decimal_grid(tmp_path: Path) -> None:
    domain = {"name": "d", "issuesValues": {"x": {"range": [12.2, 12.6, 0.3]}}}
    term = {"lowValue": 12.2, "lowUtility": 0.0, "highValue": 12.6, "highUtility": 1.0}
    data = {
        "LinearAdditiveUtilitySpace": {
            "domain": domain,
            "issueUtilities": {"x": {"numberutils": term}},
            "issueWeights": {"x": 1.0},
            "reservationBid": {"issuevalues": {"x": 12.5}},
        }
    }
    scenario = read_geniusweb(None, [put(tmp_path, "p.json", data)])
    x = scenario.issue("x")
    assert (x.kind, x.options, x.bounds) == ("real", ("12.2", "12.5"), (12.2, 12.6))
    assert scenario.parties[0].name == "p"  # no name in the profile: the file stem
    # (12.5 - 12.2) / (12.6 - 12.2) = 0.75, computed in decimals
    assert scenario.reservation_values()[0] == 0.75


def test_reservation_bid_may_name_a_number_value(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(reservation={"rent": "mid", "term": 3}))
    scenario = read_geniusweb(None, [path])
    assert scenario.parties[0].reservation == pytest.approx(0.7 * 0.6 + 0.3 * 0.6, abs=1e-15)


def test_discrete_value_without_utility_counts_zero_with_a_warning(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(rent={"low": 1.0, "mid": 0.5}))
    with pytest.warns(UserWarning, match=r'no utility for \("high"\)'):
        scenario = read_geniusweb(None, [path])
    utility = scenario.parties[0].utility
    assert isinstance(utility, AdditiveUtility)
    assert utility.values[0] == (1.0, 0.5, 0.0)


def test_weights_not_summing_to_one_are_used_as_given_with_a_warning(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(weights={"rent": 0.5, "term": 0.3}))
    with pytest.warns(UserWarning, match=r"sum to 0\.8, not 1"):
        scenario = read_geniusweb(None, [path])
    assert scenario.weights().tolist() == [[0.5, 0.3]]


def test_party_names_fall_back_to_file_stems_when_not_unique(tmp_path: Path) -> None:
    a = put(tmp_path, "alpha.json", profile("same"))
    b = put(tmp_path, "beta.json", profile("same"))
    c = put(tmp_path, "gamma.json", profile("unique"))
    scenario = read_geniusweb(None, [b, a, c])
    assert [p.name for p in scenario.parties] == ["beta", "alpha", "unique"]


def test_domain_argument_may_be_a_profile(tmp_path: Path) -> None:
    a = put(tmp_path, "a.json", profile("A"))
    b = put(tmp_path, "b.json", profile("B"))
    assert [p.name for p in read_geniusweb(a, [b]).parties] == ["A", "B"]


def test_folder_ignores_specials_and_other_json(tmp_path: Path) -> None:
    put(tmp_path, "lease.json", LEASE)
    put(tmp_path, "b.json", profile("B"))
    put(tmp_path, "a.json", profile("A"))
    put(tmp_path, "specials.json", "not even JSON")
    put(tmp_path, "notes.json", {"comment": "organiser notes"})
    with pytest.warns(ConversionWarning, match="ignored notes.json: neither a GeniusWeb domain"):
        scenario = read_geniusweb_folder(tmp_path)
    assert [p.name for p in scenario.parties] == ["A", "B"]  # by file name
    assert (scenario.name, scenario.title) == (tmp_path.name, "lease")


def test_folder_refuses_other_geniusweb_profile_kinds(tmp_path: Path) -> None:
    put(tmp_path, "a.json", profile("A"))
    put(tmp_path, "b.json", {"SumOfGroupsUtilitySpace": {"domain": LEASE, "name": "B"}})
    with pytest.raises(ScenarioError, match="got a SumOfGroupsUtilitySpace"):
        read_geniusweb_folder(tmp_path)


def test_folder_without_profiles_is_an_error(tmp_path: Path) -> None:
    put(tmp_path, "lease.json", LEASE)
    with pytest.raises(ScenarioError, match="expected GeniusWeb profiles"):
        read_geniusweb_folder(tmp_path)


def test_detection_by_content() -> None:
    assert is_geniusweb_domain(LEASE) and not is_geniusweb_profile(LEASE)
    assert is_geniusweb_profile(profile()) and not is_geniusweb_domain(profile())
    assert not is_geniusweb_domain({"size": 3}) and not is_geniusweb_profile([1, 2])


# ---------------------------------------------------------------------------- errors
def test_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = put(
        tmp_path, "p.json", '{\n  "LinearAdditiveUtilitySpace": {\n    "name": "x",,\n  }\n}\n'
    )
    with pytest.raises(ScenarioError, match="expected valid JSON") as info:
        read_geniusweb(None, [path])
    assert info.value.line == 3
    assert f"{path}:3:" in str(info.value)


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", "  \n")
    with pytest.raises(ScenarioError, match="expected a JSON object, got an empty file"):
        read_geniusweb(None, [path])


def test_profile_value_not_in_domain(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(rent={"low": 1.0, "mid": 0.6, "high": 0.0, "free": 1.0}))
    with pytest.raises(ScenarioError) as info:
        read_geniusweb(None, [path])
    error = info.value
    assert error.path == (
        "LinearAdditiveUtilitySpace.issueUtilities.rent.DiscreteValueSetUtilities.valueUtilities.free"
    )
    assert 'expected one of the values of issue "rent" ("low", "mid", "high"), got "free"' in str(
        error
    )
    line = path.read_text(encoding="utf-8").splitlines()[(error.line or 0) - 1]
    assert '"free": 1.0' in line


def test_weight_that_is_a_string(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(weights={"rent": "0.7", "term": 0.3}))
    with pytest.raises(ScenarioError, match=r'expected a number, got the string "0\.7"') as info:
        read_geniusweb(None, [path])
    assert info.value.path == "LinearAdditiveUtilitySpace.issueWeights.rent"
    line = path.read_text(encoding="utf-8").splitlines()[(info.value.line or 0) - 1]
    assert '"rent": "0.7"' in line


def test_profiles_whose_embedded_domains_disagree(tmp_path: Path) -> None:
    other = json.loads(json.dumps(LEASE))
    other["issuesValues"]["rent"]["values"] = ["low", "high"]
    a = put(tmp_path, "a.json", profile("A"))
    b = put(tmp_path, "b.json", profile("B", domain=other, rent={"low": 1.0, "high": 0.0}))
    with pytest.raises(ScenarioError, match=r'expected values \("low", "mid", "high"\)') as info:
        read_geniusweb(None, [a, b])
    assert info.value.source == str(b)
    assert info.value.path == "LinearAdditiveUtilitySpace.domain.issuesValues.rent"


def test_profile_domain_disagreeing_with_the_domain_file(tmp_path: Path) -> None:
    domain = put(tmp_path, "lease.json", LEASE)
    other = json.loads(json.dumps(LEASE))
    other["issuesValues"]["term"]["range"]["high"] = 6
    term = {"lowValue": 1, "lowUtility": 0.2, "highValue": 6, "highUtility": 1.0}
    path = put(tmp_path, "a.json", profile("A", domain=other, term=term))
    with pytest.raises(
        ScenarioError, match=r"expected the range 1\.\.5 step 1 as in the domain in"
    ):
        read_geniusweb(domain, [path])


def test_missing_issue_weights(tmp_path: Path) -> None:
    data = profile()
    del data["LinearAdditiveUtilitySpace"]["issueWeights"]
    path = put(tmp_path, "p.json", data)
    with pytest.raises(ScenarioError, match='expected a member "issueWeights"') as info:
        read_geniusweb(None, [path])
    assert info.value.path == "LinearAdditiveUtilitySpace"
    assert info.value.line == 2


def test_number_utilities_must_span_the_range(tmp_path: Path) -> None:
    term = {"lowValue": 2, "lowUtility": 0.2, "highValue": 5, "highUtility": 1.0}
    path = put(tmp_path, "p.json", profile(term=term))
    with pytest.raises(ScenarioError, match="expected the low end 1 of the issue's range, got 2"):
        read_geniusweb(None, [path])


def test_reservation_bid_value_not_in_domain(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(reservation={"rent": "mid", "term": 7}))
    with pytest.raises(ScenarioError, match=r"in the range 1\.\.5 step 1, got 7") as info:
        read_geniusweb(None, [path])
    assert info.value.path == "LinearAdditiveUtilitySpace.reservationBid.issuevalues.term"


def test_utility_outside_zero_one(tmp_path: Path) -> None:
    path = put(tmp_path, "p.json", profile(rent={"low": 1.5, "mid": 0.6, "high": 0.0}))
    with pytest.raises(ScenarioError, match=r"expected a utility in \[0, 1\], got 1\.5"):
        read_geniusweb(None, [path])


def test_specials_without_pareto_front(tmp_path: Path) -> None:
    point = {"bid": {"rent": "low"}, "utility": [1.0, 0.0]}
    data = {"size": 3, "nash": point, "kalai": point, "social_welfare": point}
    with pytest.raises(ScenarioError, match='expected a member "pareto_front"'):
        read_specials(put(tmp_path, "specials.json", data))


# ---------------------------------------------------------------------------- writing
#: two_issue_scenario states an "if talks fail" option, which GeniusWeb cannot hold
IF_TALKS_FAIL = pytest.mark.filterwarnings(
    'ignore:GeniusWeb JSON cannot hold the "if talks fail" options'
)


def two_issue_scenario(
    *,
    weights: tuple[float, ...] = (1 / 3, 2 / 3),
    term: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0),
    reservation: float | None = None,
    disagreement: int | None = None,
) -> Scenario:
    issues = (
        Issue.integer("term", 1, 5, disagreement=disagreement),
        Issue.discrete("rent", ["low", "high"], disagreement="high"),
    )
    party = Party("A", AdditiveUtility(weights, (term, (1.0, 0.0))), reservation)
    return Scenario("lease", issues, (party,))


def test_write_refuses_weights_not_summing_to_one(tmp_path: Path) -> None:
    with pytest.raises(
        ScenarioError, match=r"GeniusWeb requires weights summing to 1, got a sum of 1\.5"
    ):
        write_geniusweb(two_issue_scenario(weights=(0.5, 1.0)), tmp_path)
    assert not any(tmp_path.iterdir())


def test_write_refuses_non_additive_preferences(tmp_path: Path) -> None:
    utility = HyperRectangleUtility((HyperRectangle(1.0, ((0, 1.0, 2.0),)),), max_utility=1.0)
    scenario = Scenario("s", (Issue.integer("term", 1, 5),), (Party("A", utility),))
    with pytest.raises(ScenarioError, match="need additive preferences"):
        write_geniusweb(scenario, tmp_path)


@IF_TALKS_FAIL
def test_write_makes_weights_sum_exactly_to_one_and_ranges_linear(tmp_path: Path) -> None:
    scenario = two_issue_scenario()
    paths = write_geniusweb(scenario, tmp_path)
    assert [p.name for p in paths] == ["lease.json", "A.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.json", "lease.json"]  # no temp files
    space = json.loads(paths[1].read_text(encoding="utf-8"), parse_float=Decimal)[
        "LinearAdditiveUtilitySpace"
    ]
    assert sum(space["issueWeights"].values()) == 1
    assert "NumberValueSetUtilities" in space["issueUtilities"]["term"]
    assert json.loads(paths[0].read_text(encoding="utf-8"))["issuesValues"]["term"] == {
        "range": {"low": 1, "high": 5, "step": 1}
    }
    # the disagreement outcome (term has none) is incomplete: no reservation value, no bid
    assert "reservationBid" not in space
    back = read_geniusweb(paths[0], paths[1:])
    outcomes = scenario.enumerate()
    np.testing.assert_allclose(back.utilities(outcomes), scenario.utilities(outcomes), atol=1e-15)


@IF_TALKS_FAIL
def test_write_states_a_reservation_value_as_the_lowest_bid_reaching_it(tmp_path: Path) -> None:
    scenario = two_issue_scenario(weights=(0.5, 0.5), reservation=0.6)
    with pytest.warns(
        ConversionWarning, match=r"bid of lowest utility at or above it \(\w+: 0\.6 as 0\.625\)"
    ):
        paths = write_geniusweb(scenario, tmp_path)
    bid = json.loads(paths[1].read_text(encoding="utf-8"))["LinearAdditiveUtilitySpace"][
        "reservationBid"
    ]
    assert bid == {"issuevalues": {"term": 2, "rent": "low"}}
    assert read_geniusweb(paths[0], paths[1:]).reservation_values().tolist() == [0.625]


@IF_TALKS_FAIL
def test_write_uses_the_disagreement_outcome_as_reservation_bid(tmp_path: Path) -> None:
    scenario = two_issue_scenario(weights=(0.5, 0.5), disagreement=4)
    paths = write_geniusweb(scenario, tmp_path)
    space = json.loads(paths[1].read_text(encoding="utf-8"))["LinearAdditiveUtilitySpace"]
    assert space["reservationBid"] == {"issuevalues": {"term": 4, "rent": "high"}}
    back = read_geniusweb(paths[0], paths[1:])
    assert back.reservation_values().tolist() == scenario.reservation_values().tolist() == [0.375]


def test_write_refuses_a_reservation_no_outcome_reaches(tmp_path: Path) -> None:
    scenario = two_issue_scenario(weights=(0.5, 0.5), term=(0, 0.1, 0.2, 0.3, 0.4), reservation=0.9)
    with pytest.raises(ScenarioError, match="no outcome reaches") as info:
        write_geniusweb(scenario, tmp_path)
    assert info.value.path == "parties[0].reservation"


@IF_TALKS_FAIL
def test_write_keeps_uneven_numeric_values_discrete(tmp_path: Path) -> None:
    scenario = two_issue_scenario(term=(0.0, 1 / 3, 0.5, 0.75, 1.0))
    with pytest.warns(ConversionWarning, match=r"other than linearly \(term\); they are written"):
        paths = write_geniusweb(scenario, tmp_path)
    domain = json.loads(paths[0].read_text(encoding="utf-8"))
    assert domain["issuesValues"]["term"] == {"values": ["1", "2", "3", "4", "5"]}
    back = read_geniusweb(paths[0], paths[1:])
    assert back.issue("term").kind == "discrete"
    outcomes = scenario.enumerate()
    np.testing.assert_allclose(back.utilities(outcomes), scenario.utilities(outcomes), atol=1e-15)


@IF_TALKS_FAIL
def test_lossy_writes_and_reads_warn_with_conversion_warnings(tmp_path: Path) -> None:
    scenario = two_issue_scenario(weights=(0.5, 0.5), reservation=0.6)
    with pytest.warns(ConversionWarning, match="cannot hold a reservation value, only a"):
        write_geniusweb(scenario, tmp_path / "out")
    path = put(tmp_path, "p.json", profile(weights={"rent": 0.5, "term": 0.3}))
    with pytest.warns(ConversionWarning, match=r"sum to 0\.8, not 1"):
        read_geniusweb(None, [path])


def test_a_profile_parsed_already_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zopa.io.geniusweb as geniusweb
    from zopa.io.jsonfile import load_json

    path = put(tmp_path, "p.json", profile())
    doc = load_json(path)
    monkeypatch.setattr(geniusweb, "load_json", None)  # any further parse would fail
    scenario = read_geniusweb(None, [doc])
    assert [p.name for p in scenario.parties] == ["lessee"]
    assert scenario.n_issues == 2

"""Conversions that say what they lose: save_scenario's formats, targets, strictness, overwriting."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from zopa.io import load_scenario, save_scenario, scenario_groups
from zopa.io.losses import conversion_losses
from zopa.model.errors import ArgumentError, ConversionWarning, OutputError, ScenarioError

FLAGSHIP = "mexico-us-2017"


def saved(scenario: object, target: str | Path, **options: object) -> tuple[list[Path], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = save_scenario(scenario, target, **options)  # type: ignore[arg-type]
    assert all(issubclass(w.category, ConversionWarning) for w in caught)
    return paths, [str(w.message) for w in caught]


def test_native_formats_lose_nothing(tmp_path: Path) -> None:
    s = load_scenario(FLAGSHIP)
    assert conversion_losses(s, "yaml") == conversion_losses(s, "json") == ()
    for name in ("m.yaml", "m.json"):
        paths, notes = saved(s, tmp_path / name, strict=True)
        assert notes == []
        assert load_scenario(paths[0]).to_dict() == s.to_dict()


@pytest.mark.parametrize(
    ("fmt", "label"), [("genius", "GENIUS XML"), ("geniusweb", "GeniusWeb JSON")]
)
def test_each_kind_of_loss_is_one_warning(tmp_path: Path, fmt: str, label: str) -> None:
    s = load_scenario(FLAGSHIP)
    _, notes = saved(s, tmp_path / "out", to=fmt)
    assert all(n.startswith(f"{label} cannot hold ") for n in notes)
    kinds = [n.split(";")[0] for n in notes]
    assert len(set(kinds)) == len(kinds)
    text = "\n".join(notes)
    for what in (
        "the description",
        "the stakeholders (7 of them)",
        "the observed outcome",
        'the "if talks fail" options',
        "the date and sources",
    ):
        assert f"cannot hold {what}" in text
    assert ("party order" in text) == (fmt == "genius")


def test_strict_raises_every_loss_and_writes_nothing(tmp_path: Path) -> None:
    s = load_scenario(FLAGSHIP)
    with pytest.raises(ScenarioError) as info:
        save_scenario(s, tmp_path / "out", strict=True)
    problems = info.value.problems
    assert len(problems) == len(conversion_losses(s, "genius")) + 1  # + the party order
    assert all(
        p.detail.startswith("--strict (strict=True): GENIUS XML cannot hold") for p in problems
    )
    assert list(tmp_path.iterdir()) == []


def test_geniusweb_numbers_the_profiles_to_keep_the_party_order(tmp_path: Path) -> None:
    s = load_scenario(FLAGSHIP)
    paths, _ = saved(s, tmp_path / "web", to="geniusweb")
    assert [p.name for p in paths] == [
        "mexico-us-2017.json",
        "1-United_States.json",
        "2-Mexico.json",
    ]
    back = load_scenario(tmp_path / "web")
    assert [p.name for p in back.parties] == ["United States", "Mexico"]
    assert (back.utilities(s.enumerate()) == s.utilities(s.enumerate())).all()


def test_genius_folder_keeps_an_order_its_file_names_sort_in(tmp_path: Path) -> None:
    s = two_parties()
    paths, notes = saved(s, tmp_path / "g", strict=True)
    assert notes == []
    assert [p.name for p in load_scenario(tmp_path / "g").parties] == ["p", "q"]
    s = type(s)(s.name, s.issues, tuple(reversed(s.parties)))
    paths, notes = saved(s, tmp_path / "h")
    assert notes == [
        "GENIUS XML cannot hold the party order: read as a folder, the profiles are taken in "
        "file-name order (p, q); give the domain file then the profiles to seat them as q, p"
    ]
    assert [p.name for p in load_scenario(*paths).parties] == ["q", "p"]


@pytest.mark.parametrize(
    ("target", "to", "written"),
    [
        ("a.yaml", None, ["a.yaml"]),
        ("a.yml", None, ["a.yml"]),
        ("a.json", None, ["a.json"]),
        ("a.txt", "json", ["a.txt"]),
        ("dir/", "yaml", ["dir/s.yaml"]),
        ("dir", None, ["dir/s_domain.xml", "dir/p.xml", "dir/q.xml"]),
        ("dir/", None, ["dir/s_domain.xml", "dir/p.xml", "dir/q.xml"]),
        ("dir.v2/", "genius", ["dir.v2/s_domain.xml", "dir.v2/p.xml", "dir.v2/q.xml"]),
        ("sub/x.xml", None, ["sub/x.xml", "sub/p.xml", "sub/q.xml"]),
        ("web", "geniusweb", ["web/s.json", "web/p.json", "web/q.json"]),
        ("web/d.json", "geniusweb", ["web/d.json", "web/p.json", "web/q.json"]),
    ],
)
def test_the_format_comes_from_to_or_the_target(
    tmp_path: Path, target: str, to: str | None, written: list[str]
) -> None:
    s = two_parties()
    paths, _ = saved(s, f"{tmp_path}/{target}", to=to)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == written
    if paths[0].suffix != ".txt":
        back = load_scenario(*paths)
        assert [p.name for p in back.parties] == ["p", "q"]


@pytest.mark.parametrize(
    ("target", "to", "message"),
    [
        ("out.txt", None, "--to (to= in Python): cannot tell the format of"),
        (
            "out",
            "xml",
            '--to (to= in Python): expected one of yaml, json, genius, geniusweb, got "xml"',
        ),
        ("out.xml", "yaml", "--to (to= in Python): yaml was asked for, but"),
    ],
)
def test_an_unknown_format_names_the_flag(
    tmp_path: Path, target: str, to: str | None, message: str
) -> None:
    with pytest.raises(ArgumentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        save_scenario(two_parties(), tmp_path / target, to=to)
    assert list(tmp_path.iterdir()) == []


def test_existing_files_are_kept_unless_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("keep me")
    with pytest.raises(OutputError, match=r"a\.yaml: already exists; pass --force"):
        save_scenario(two_parties(), target, overwrite=False)
    assert target.read_text() == "keep me"
    save_scenario(two_parties(), target)
    assert load_scenario(target).n_parties == 2


def test_a_genius_profile_alone_needs_its_domain(tmp_path: Path) -> None:
    paths, _ = saved(two_parties(), tmp_path / "g")
    with pytest.raises(ScenarioError, match="expected a GENIUS domain, got a profile"):
        load_scenario(paths[1])


def test_scenario_groups(tmp_path: Path) -> None:
    g, _ = saved(two_parties(), tmp_path / "g")
    w, _ = saved(two_parties(), tmp_path / "w", to="geniusweb")
    n, _ = saved(two_parties(), tmp_path / "n.json")
    y, _ = saved(two_parties(), tmp_path / "y.yaml")
    specs = [str(p) for p in (*y, *g, *n, *w, *y)] + [FLAGSHIP, str(tmp_path / "g")]
    assert scenario_groups(specs) == [
        (str(y[0]),),
        tuple(str(p) for p in g),
        (str(n[0]),),
        tuple(str(p) for p in w),
        (str(y[0]),),
        (FLAGSHIP,),
        (str(tmp_path / "g"),),
    ]


def two_parties():  # type: ignore[no-untyped-def]
    from zopa.model import AdditiveUtility, Issue, Party, Scenario

    issues = (Issue.discrete("price", ["low", "high"]), Issue.discrete("term", ["short", "long"]))
    p = Party("p", AdditiveUtility((0.5, 0.5), ((1.0, 0.0), (0.0, 1.0))))
    q = Party("q", AdditiveUtility((0.5, 0.5), ((0.0, 1.0), (1.0, 0.0))))
    return Scenario("s", issues, (p, q))


def test_genius_keeps_the_title(tmp_path: Path) -> None:
    s = load_scenario(FLAGSHIP)
    saved(s, tmp_path / "g")
    assert load_scenario(tmp_path / "g").title == s.title

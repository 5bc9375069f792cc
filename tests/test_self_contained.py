"""A clone tests itself: no test or page reads a file outside the repository.

Every data file the suite uses is under ``tests/data/`` and listed, with its source and licence, in
``tests/data/SOURCES.md``. The checks below read the text of every file under ``tests/`` and
``docs/`` (and the README) and fail on any reference that leaves the repository: the shared folder
that sits beside the main checkout, a relative ``..`` path that climbs above the root, a
``Path(__file__)`` chain that does, or an absolute path into a home or work folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, DOMAINS

ROOT = Path(__file__).resolve().parents[1]
TEXT = {".py", ".md", ".txt", ".yaml", ".yml", ".json", ".toml", ".cfg", ".ini", ".html", ".css"}
#: Data copied byte for byte from elsewhere: checked by the SOURCES.md test, not for paths.
COPIED = DATA / "domains"

FILES = [
    path
    for base in (ROOT / "tests", ROOT / "docs")
    for path in sorted(base.rglob("*"))
    if path.is_file()
    and path.suffix in TEXT
    and COPIED not in path.parents
    and "__pycache__" not in path.parts
    and path != Path(__file__).resolve()  # the examples of what the checks catch
] + [ROOT / "README.md"]

SHARED = re.compile(r"(?:\.\./)+shared\b|\bshared/(?:domains|reference)\b")
#: A relative path that starts by going up: ``../x``, ``../../x`` (a markdown link or a string).
UP = re.compile(r"(?<![\w.])((?:\.\./)+)[\w.-]*")
#: ``Path(__file__)`` followed by ``.resolve()`` and a chain of ``.parent`` / ``.parents[n]``.
CHAIN = re.compile(r"Path\(__file__\)(?:\.resolve\(\))?((?:\.parent\b|\.parents\[\d+\])+)")
ABSOLUTE = re.compile(r"(?<![\w.~])/(?:work|home|Users|root|mnt|srv|data)/")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def levels(chain: str) -> int:
    """How many folders ``Path(__file__)`` + ``chain`` climbs (``parents[n]`` is ``n + 1``)."""
    up = 0
    for match in re.finditer(r"\.parent\b|\.parents\[(\d+)\]", chain):
        up += int(match.group(1)) + 1 if match.group(1) is not None else 1
    return up


def problems(path: Path, root: Path = ROOT) -> list[str]:
    text = path.read_text(encoding="utf-8")
    found = [f"{m.group(0)!r} (the shared folder)" for m in SHARED.finditer(text)]
    found += [f"{m.group(0)!r} (absolute path)" for m in ABSOLUTE.finditer(text)]
    links = {m.start(1) for m in LINK.finditer(text)}
    for m in UP.finditer(text):
        # A markdown link is relative to its page; anything else (a command, a string in a test) to
        # the root of a clone, where the docs' sessions and the test run start.
        base = path.parent if m.start() in links else root
        if m.group(1).count("../") > len(base.relative_to(root).parts):
            found.append(f"{m.group(0)!r} (above the repository root)")
    if path.suffix == ".py":
        height = len(path.relative_to(root).parts)  # Path(__file__) climbs this far to the root
        for m in CHAIN.finditer(text):
            if levels(m.group(1)) > height:
                found.append(f"{m.group(0)!r} (above the repository root)")
    return found


def test_the_checks_see_the_files() -> None:
    names = {rel(p) for p in FILES}
    assert {"tests/conftest.py", "docs/index.md", "tests/data/SOURCES.md"} <= names


@pytest.mark.parametrize(
    ("text", "where", "bad"),
    [
        ('DOMAINS = Path(__file__).resolve().parents[1].parent / "x"', "tests/conftest.py", True),
        ('DOMAINS = Path(__file__).resolve().parents[1] / "data"', "tests/conftest.py", False),
        ('D = Path(__file__).parent.parent.parent.parent / "x"', "tests/io/t.py", True),
        ('D = Path(__file__).resolve().parents[2] / "docs"', "tests/io/t.py", False),
        ("$ zopa validate " + "../" + "shared/domains/x", "docs/howto.md", True),
        ("$ zopa validate ../x", "docs/howto.md", True),
        ("$ zopa validate tests/data/domains/x", "docs/howto.md", False),
        ("Back to [the index](../index.md).", "docs/theory/x.md", False),
        ("Back to [the index](../../index.md).", "docs/theory/x.md", False),
        ("Back to [the index](../../../index.md).", "docs/theory/x.md", True),
        ("open('/" + "work/shared/x')", "tests/t.py", True),
        ('CHROMIUM = "/usr/bin/chromium"', "tests/t.py", False),
    ],
)
def test_the_checks_catch_what_they_should(
    text: str, where: str, bad: bool, tmp_path: Path
) -> None:
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    assert bool(problems(path, root=tmp_path)) is bad, problems(path, root=tmp_path)


@pytest.mark.parametrize("path", FILES, ids=rel)
def test_no_reference_outside_the_repository(path: Path) -> None:
    assert not problems(path), f"{rel(path)} refers outside the repository: {problems(path)}"


def test_sources_lists_every_data_file() -> None:
    """``tests/data/SOURCES.md`` names every folder and file under ``tests/data/domains``, and
    nothing that is not there."""
    table = {}
    for line in (DATA / "SOURCES.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`") and cells[0].endswith("/`"):
            table[cells[0].strip("`/")] = set(re.findall(r"`([^`]+)`", cells[3]))
    on_disk = {
        folder.name: {p.name for p in folder.iterdir() if p.is_file()}
        for folder in DOMAINS.iterdir()
        if folder.is_dir()
    }
    assert table == on_disk


def test_sources_names_every_other_data_file() -> None:
    """Files under ``tests/data`` outside ``domains/`` (made for the tests) are in SOURCES.md too."""
    sources = (DATA / "SOURCES.md").read_text()
    others = [
        p.relative_to(DATA).as_posix()
        for p in sorted(DATA.rglob("*"))
        if p.is_file() and DOMAINS not in p.parents and p.name != "SOURCES.md"
    ]
    assert others
    assert [name for name in others if f"`{name}`" not in sources] == []

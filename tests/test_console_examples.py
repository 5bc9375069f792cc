"""Every console session in the README and the docs is real.

Each ``$ zopa ...`` (or ``$ python ...``) line in a ```console block runs in a fresh folder that has
the repository's ``tests/data`` in it, as the root of a clone has; every line shown after a command
must appear in what it prints (whitespace aside; ``...`` stands for lines left out). A ```yaml block whose first line is
``# file: NAME`` is written to NAME first, so the commands can use it.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)
FILES = re.compile(r"```yaml\n# file: (\S+)\n(.*?)```", re.S)


def squash(text: str) -> str:
    return " ".join(text.split())


def run(command: str, cwd: Path) -> str:
    target = None
    if " > " in command:
        command, target = (part.strip() for part in command.split(" > ", 1))
    args = shlex.split(command)
    if args[0] == "zopa":
        result = CliRunner().invoke(app, args[1:])
        assert result.exit_code == 0, f"{command}: {result.output}"
        output = result.stdout + result.stderr
    else:
        assert args[0] == "python", command
        proc = subprocess.run(
            [sys.executable, *args[1:]], cwd=cwd, capture_output=True, text=True, check=True
        )
        output = proc.stdout + proc.stderr
    if target is not None:
        (cwd / target).write_text(output)
        return ""
    return output


PAGES_WITH_SESSIONS = [p for p in PAGES if CONSOLE.search(p.read_text())]


@pytest.mark.parametrize("page", PAGES_WITH_SESSIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_console_sessions(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "work"
    (work / "tests").mkdir(parents=True)
    (work / "tests" / "data").symlink_to(DATA)
    monkeypatch.chdir(work)
    text = page.read_text()
    for name, body in FILES.findall(text):
        (work / name).write_text(body)
    checked = 0
    for block in CONSOLE.findall(text):
        output = ""
        for line in block.splitlines():
            if line.startswith("$ "):
                output = squash(run(line[2:], work))
            elif line.strip() and line.strip() != "...":
                assert squash(line) in output, f"{page.name}: {line!r} not printed"
                checked += 1
    assert checked or page.name != "README.md"


def test_readme_has_a_session() -> None:
    assert CONSOLE.search((ROOT / "README.md").read_text())

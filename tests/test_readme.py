"""The console session in the README is real: each command runs and prints what is shown."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from zopa.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"


def test_console_session_matches() -> None:
    blocks = re.findall(r"```console\n(.*?)```", README.read_text(), re.S)
    assert blocks
    runner = CliRunner()
    checked = 0
    for block in blocks:
        output = ""
        for line in block.splitlines():
            if line.startswith("$ zopa "):
                result = runner.invoke(app, shlex.split(line[len("$ zopa ") :]))
                assert result.exit_code == 0, result.output
                output = result.stdout
            elif line.strip():
                assert line.strip() in output, line
                checked += 1
    assert checked >= 2

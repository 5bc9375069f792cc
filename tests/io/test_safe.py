"""The one atomic writer: a temporary file in the target folder, flushed, fsynced, renamed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import zopa.io.safe as safe
from zopa.io.safe import make_folder, write_all_atomic, write_atomic
from zopa.model.errors import OutputError


def test_writes_text_and_bytes_through_a_synced_temporary_file_beside_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    renamed: list[tuple[Path, Path]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def replace(src: str | Path, dst: str | Path) -> None:
        assert synced, "renamed before the data was synced"
        renamed.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(safe.os, "fsync", fsync)
    monkeypatch.setattr(safe.os, "replace", replace)
    target = tmp_path / "out.yaml"
    write_atomic(target, "naïve: 1\n")
    write_atomic(tmp_path / "out.bin", b"\x00\x01")
    assert target.read_text(encoding="utf-8") == "naïve: 1\n"
    assert (tmp_path / "out.bin").read_bytes() == b"\x00\x01"
    assert len(synced) == 2
    for src, dst in renamed:
        assert src.parent == dst.parent == tmp_path
        assert src.name.startswith(f".{dst.name}.") and src.name.endswith(".tmp")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin", "out.yaml"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.yaml"
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safe.os, "fsync", full)
    with pytest.raises(OutputError) as info:
        write_all_atomic([(tmp_path / "b.yaml", "new b"), (target, "new a")])
    assert str(info.value) == f"{tmp_path / 'b.yaml'}: cannot write file: No space left on device"
    assert info.value.errno == 28
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


def test_no_file_is_renamed_until_every_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").write_text("a file where a folder should be")
    with pytest.raises(OutputError, match=r"sub[/\\]x\.xml: cannot write file"):
        write_all_atomic([(tmp_path / "first.xml", "1"), (tmp_path / "sub" / "x.xml", "2")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub"]


def test_make_folder_names_the_folder(tmp_path: Path) -> None:
    make_folder(tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b").is_dir()
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OutputError, match=r"file[/\\]x: cannot create folder"):
        make_folder(blocker / "x")


def test_an_interrupt_while_writing_removes_every_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.xml"
    target.write_text("old")
    calls: list[int] = []

    def interrupted(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(safe.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic([(tmp_path / "d.xml", "domain"), (target, "new"), (tmp_path / "b", "b")])
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="needs SIGTERM")
def test_a_kill_while_writing_takes_effect_once_every_file_is_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[int] = []

    def on_term(signum: int, frame: object) -> None:
        received.append(signum)
        raise SystemExit(143)

    real_fsync = os.fsync
    paths = [tmp_path / "d.xml", tmp_path / "a.xml", tmp_path / "b.xml"]

    def killed(fd: int) -> None:
        real_fsync(fd)
        if not received and len(list(tmp_path.iterdir())) == 1:
            os.kill(os.getpid(), signal.SIGTERM)  # held back until the files are in place

    old = signal.signal(signal.SIGTERM, on_term)
    try:
        monkeypatch.setattr(safe.os, "fsync", killed)
        with pytest.raises(SystemExit):
            write_all_atomic([(p, p.stem) for p in paths])
    finally:
        signal.signal(signal.SIGTERM, old)
    assert received == [signal.SIGTERM]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.xml", "d.xml"]
    assert [p.read_text() for p in paths] == ["d", "a", "b"]


def test_a_folder_in_place_of_a_target_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "b.xml").mkdir()
    with pytest.raises(OutputError, match=r"b\.xml: expected a file to write, got a folder"):
        write_all_atomic([(tmp_path / "a.xml", "a"), (tmp_path / "b.xml", "b")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.xml"]


KILLED_SCRIPT = """
import os, signal, sys
from pathlib import Path
import zopa.io.safe as safe
real = os.fsync
def fsync(fd):
    real(fd)
    os.kill(os.getpid(), signal.SIGTERM)
safe.os.fsync = fsync
folder = Path(sys.argv[1])
safe.write_all_atomic([(folder / n, n) for n in ("d.xml", "a.xml", "b.xml")])
print("not reached: SIGTERM ends the process once the files are in place")
"""


@pytest.mark.skipif(os.name != "posix", reason="a process killed by SIGTERM, as on POSIX")
def test_a_killed_process_leaves_every_file_or_none(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml", "b.xml", "d.xml"]

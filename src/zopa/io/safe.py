"""Reading untrusted files safely and writing files atomically.

Reading: size limits, UTF-8 text, and XML without DTDs, entities or external references. Writing:
:func:`write_atomic` and :func:`write_all_atomic`, the one way zopa writes a file.
"""

from __future__ import annotations

import math
import os
import secrets
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from zopa.model.errors import (
    ArgumentError,
    OutputError,
    ScenarioError,
    UnsafeInputError,
    show_value,
)

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_NESTING",
    "MAX_YAML_NODES",
    "as_path",
    "cell_number",
    "check_name",
    "make_folder",
    "parse_xml",
    "read_bytes",
    "read_text",
    "show_cell",
    "write_all_atomic",
    "write_atomic",
]

#: Largest scenario file zopa reads (bytes). Override with the ``ZOPA_MAX_FILE_BYTES`` variable.
MAX_FILE_BYTES = 50 * 1024 * 1024


#: Deepest nesting of lists and mappings (YAML) or arrays and objects (JSON) zopa reads. Scenario
#: files need fewer than ten levels; the limit stops a deeply nested file long before the parsers'
#: recursion could fail or take long.
MAX_NESTING = 50

#: Longest integer (in decimal digits) a YAML or JSON file may hold: a longer one exceeds the float
#: range (about 1.8e308) that every number in a scenario must fit in.
MAX_INTEGER_DIGITS = 308

#: Most values (scalars, lists and mappings) a YAML file may hold. PyYAML builds each in Python,
#: at some microseconds apiece: this bounds reading a YAML file to a few seconds. JSON, parsed
#: in C, has no such limit beyond the file size.
MAX_YAML_NODES = 500_000


def _limit() -> int:
    raw = os.environ.get("ZOPA_MAX_FILE_BYTES")
    return int(raw) if raw and raw.isdigit() else MAX_FILE_BYTES


def as_path(value: object, argument: str) -> Path:
    """``value`` as a :class:`~pathlib.Path`, or an :class:`ArgumentError` naming ``argument``
    when it is not a non-empty ``str`` or path (``None``, bytes, a number, a list, ...)."""
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        text = os.fspath(value)
        if isinstance(text, str) and text.strip() and "\0" not in text:
            return Path(text)
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise ArgumentError(
        f"{argument}: expected a file or folder (a str or Path), got {type(value).__name__} {shown}"
    )


def check_name(value: object, argument: str) -> None:
    """Refuse a ``name=`` argument that is neither ``None`` nor a non-empty ``str``."""
    if value is not None and not (isinstance(value, str) and value.strip()):
        raise ArgumentError(
            f"{argument}: expected a non-empty str or None, got {type(value).__name__} {value!r}"[
                :200
            ]
        )


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``, refusing missing files, folders and files over the size limit."""
    source = str(path)
    if not path.exists():
        raise ScenarioError("no such file or folder", source=source)
    if path.is_dir():
        raise ScenarioError("expected a file, got a folder", source=source)
    limit = _limit()
    size = path.stat().st_size
    if size > limit:
        raise UnsafeInputError(
            f"file is {size:,} bytes, more than the limit of {limit:,} "
            "(set ZOPA_MAX_FILE_BYTES to raise it)",
            source=source,
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"cannot read file: {exc.strerror}", source=source) from None


def read_text(path: Path) -> str:
    """The UTF-8 text of ``path`` (see :func:`read_bytes`); a BOM is dropped."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"expected UTF-8 text, got an undecodable byte at offset {exc.start}", source=str(path)
        ) from None


def parse_xml(path: Path) -> Element:
    """Parse an XML file with DTDs, entity declarations and external references forbidden."""
    data = read_bytes(path)
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise UnsafeInputError(
            "refusing XML with a DTD or entity declarations (scenario files need neither)",
            source=str(path),
        )
    try:
        root: Element = DefusedET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise UnsafeInputError(f"refusing unsafe XML: {exc}", source=str(path)) from None
    except DefusedET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise ScenarioError(
            f"expected well-formed XML: {exc.msg}", source=str(path), line=line
        ) from None
    except LookupError as exc:  # an XML declaration naming an encoding Python does not know
        raise ScenarioError(
            f"expected an XML declaration with a known encoding (UTF-8 is usual), got {exc}",
            source=str(path),
            line=1,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ScenarioError(f"expected well-formed XML: {exc}", source=str(path)) from None
    return root


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` so that a failure leaves ``path`` as it
    was: see :func:`write_all_atomic`.

    Raises:
        OutputError: the file cannot be written (the message names it).
    """
    write_all_atomic([(Path(path), data)])


def write_all_atomic(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write several files all or nothing: each is replaced only once every one of them is safely
    on disk, and no temporary file outlives the call.

    Each file is first written to a new temporary file in its target folder (so that the rename
    stays on one file system), flushed and ``fsync``-ed; only then are the temporary files renamed
    over their targets with :func:`os.replace`, which is atomic on POSIX and Windows. A failure
    while writing (a full disk, a missing folder, no permission) or an interrupt (Ctrl-C, a
    ``SystemExit``) removes every temporary file and leaves every target as it was. SIGINT and
    SIGTERM are held back while the files are written and renamed and take effect once they all
    are, so a ``kill`` or Ctrl-C gives all the files or none (this works from the main thread,
    where Python runs signal handlers). SIGKILL or a power cut cannot be held back: they may leave
    hidden ``.NAME.XXXX.tmp`` files, but never a partly written target. A target that is a folder
    is refused before anything is written; a failure of a rename itself (which takes something
    like the folder's permissions changing in between) keeps the files renamed so far, each of
    them complete.

    Raises:
        OutputError: a file cannot be written (the message names it and the system's reason).
    """
    for path, _ in files:
        if Path(path).is_dir():
            raise OutputError(path, "expected a file to write, got a folder")
    with _signals_held():
        _write_all(files)


def _write_all(files: Sequence[tuple[Path, str | bytes]]) -> None:
    staged: list[tuple[Path, Path]] = []
    current = Path(files[0][0]) if files else Path()
    try:
        for path, data in files:
            current = Path(path)
            tmp = current.with_name(f".{current.name}.{secrets.token_hex(6)}.tmp")
            # "x": a new file or none at all; the umask sets its mode, as for any new file
            with open(tmp, "xb") as handle:
                staged.append((tmp, current))
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            current = path
            os.replace(tmp, path)
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                current, f"cannot write file: {exc.strerror or exc}", errno=exc.errno
            ) from None
        raise


_HELD = tuple(
    sig for sig in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if sig
)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT and SIGTERM until the block ends, then deliver them as they came.

    While the block runs, each signal is only recorded (by a handler that replaces the current one
    for the duration); once it ends the previous handlers are restored and each recorded signal is
    raised again, so Ctrl-C still raises ``KeyboardInterrupt`` and ``kill`` still ends the process,
    just not in the middle of the block. Handlers can only be set from the main thread; elsewhere
    the block runs unprotected.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in _HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(pending):
            signal.raise_signal(sig)


def make_folder(folder: Path) -> None:
    """Create ``folder`` (and its parents) unless it exists.

    Raises:
        OutputError: it cannot be created, or a file stands in its place.
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            folder, f"cannot create folder: {exc.strerror or exc}", errno=exc.errno
        ) from None


def cell_number(cell: str) -> float | None:
    """The finite number a text cell (CSV, TSV) holds, or ``None``.

    Examples:
        >>> cell_number(" 2.5"), cell_number("x"), cell_number("inf")
        (2.5, None, None)
    """
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def show_cell(cell: str) -> str:
    """A text cell as an error message shows it: as written when it reads as a number (``150``,
    ``inf``), else quoted (:func:`zopa.model.errors.show_value`)."""
    try:
        float(cell)
    except ValueError:
        return show_value(cell)
    return cell

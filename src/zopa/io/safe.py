"""Reading untrusted files safely: size limits and XML without DTDs, entities or external references."""

from __future__ import annotations

import os
from pathlib import Path
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException

from zopa.model.errors import ScenarioError, UnsafeInputError

__all__ = ["MAX_FILE_BYTES", "parse_xml", "read_bytes", "read_text", "write_atomic"]

#: Largest scenario file zopa reads (bytes). Override with the ``ZOPA_MAX_FILE_BYTES`` variable.
MAX_FILE_BYTES = 50 * 1024 * 1024


def _limit() -> int:
    raw = os.environ.get("ZOPA_MAX_FILE_BYTES")
    return int(raw) if raw and raw.isdigit() else MAX_FILE_BYTES


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
    return root


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so a failure leaves nothing half-written."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ScenarioError(f"cannot write file: {exc.strerror}", source=str(path)) from None

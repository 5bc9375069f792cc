"""Reading and writing scenarios: native YAML/JSON, GENIUS XML, GeniusWeb JSON, decide's text and
KTAB's CSV and XML.

:func:`load_scenario` accepts what the CLI accepts for a SCENARIO: a bundled scenario's name, a
native file, a GENIUS or GeniusWeb folder, a domain file followed by profile files (parties are
seated in the order the profiles are given), a decide-exchange-model input file (``.csv`` or
``.txt`` whose first row carries one of decide's tags, see :mod:`zopa.io.decide`), or a KTAB
scenario (a ``.csv`` whose second row starts with ``Actor``, or an ``.xml`` whose root is
``<Scenario>``, see :mod:`zopa.io.ktab`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path, PurePath

from zopa.model.errors import ArgumentError, ScenarioError, ZopaError
from zopa.model.scenario import Scenario

__all__ = ["bundled_scenarios", "load_scenario", "save_scenario", "scenario_groups"]

_NATIVE_SUFFIXES = {".yaml", ".yml"}
#: Suffixes of delimiter-separated text; the content tells which reader takes the file.
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}


def bundled_scenarios() -> dict[str, Path]:
    """The scenarios shipped with zopa, by name."""
    folder = resources.files("zopa.scenarios")
    found: dict[str, Path] = {}
    for entry in folder.iterdir():
        if entry.name.endswith((".yaml", ".yml")):
            found[entry.name.rsplit(".", 1)[0]] = Path(str(entry))
    return dict(sorted(found.items()))


def load_scenario(*specs: str | Path) -> Scenario:
    """Load a scenario from a bundled name, a file, a folder, or a domain file plus profiles.

    Every file is parsed once: a ``.json`` file is parsed, recognised by what it holds (a native
    scenario has ``issues``; a GeniusWeb domain ``issuesValues``, a profile
    ``LinearAdditiveUtilitySpace``) and handed to its reader already parsed.

    Raises:
        ArgumentError: no scenario is given, or one is not a non-empty ``str`` or ``Path`` (the
            message names it, e.g. ``specs[0]: ... got NoneType None``).
        ScenarioError: a file is missing, unreadable or invalid (the message says where).
    """
    if not specs:
        raise ArgumentError("specs: expected a scenario: a bundled name, a file or a folder")
    for k, spec in enumerate(specs):
        if not isinstance(spec, str | PurePath) or not str(spec).strip() or "\0" in str(spec):
            shown = repr(spec) if len(repr(spec)) <= 60 else repr(spec)[:57] + "..."
            raise ArgumentError(
                f"specs[{k}]: expected a bundled scenario name, a file or a folder (a str or "
                f"Path), got {type(spec).__name__} {shown}"
            )
    try:
        return _load(specs)
    except OSError as exc:  # a name too long, a folder that cannot be listed, ...
        if isinstance(exc, ZopaError):
            raise
        source = str(exc.filename) if exc.filename is not None else str(specs[0])
        raise ScenarioError(f"cannot read: {exc.strerror or exc}", source=_clip(source)) from None


def _clip(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _load(specs: tuple[str | Path, ...]) -> Scenario:
    first = Path(specs[0])
    if len(specs) == 1:
        if not first.exists():
            bundled = bundled_scenarios()
            if str(specs[0]) in bundled:
                from zopa.io.native import read_native

                return read_native(bundled[str(specs[0])], name=str(specs[0]))
            names = ", ".join(bundled) or "none"
            raise ScenarioError(
                f"no such file or folder, and not a bundled scenario (bundled: {names})",
                source=str(specs[0]),
            )
        if first.is_dir():
            return _load_folder(first)
        return _load_files(first, [])
    for spec in specs:
        if not Path(spec).exists():
            raise ScenarioError("no such file or folder", source=str(spec))
        if Path(spec).is_dir():
            raise ScenarioError("expected a file, got a folder", source=str(spec))
    return _load_files(first, [Path(s) for s in specs[1:]])


def scenario_groups(specs: Sequence[str | Path]) -> list[tuple[str, ...]]:
    """Split a list of arguments into scenarios, for commands that take several (``validate``).

    A bundled name, a folder, a native ``.yaml``/``.yml`` file and a native ``.json`` file (one
    with ``issues``) are each a scenario alone. A GENIUS ``.xml`` file starts a scenario that takes
    the ``.xml`` files right after it as its profiles, and a GeniusWeb ``.json`` file one that
    takes the GeniusWeb ``.json`` files after it: the way :func:`load_scenario` reads them when they
    are given on their own. So ``d.xml a.xml b.xml`` is one scenario and ``x.yaml y.yaml`` two.
    Only ``.json`` files are opened (to tell native from GeniusWeb); a file that cannot be read is
    a scenario alone, whose loading then reports the problem.
    """
    groups: list[list[str]] = []
    open_kind: str | None = None  # "xml" or "geniusweb" while a group takes profiles
    for spec in specs:
        text = str(spec)
        path = Path(spec)
        kind = None
        if path.is_file():
            suffix = path.suffix.lower()
            if suffix == ".xml":
                kind = "xml"
            elif suffix == ".json" and not _is_native_json(path):
                kind = "geniusweb"
        if kind is not None and kind == open_kind:
            groups[-1].append(text)
        else:
            groups.append([text])
            open_kind = kind
    return [tuple(g) for g in groups]


def _is_native_json(path: Path) -> bool:
    from zopa.io.jsonfile import load_json

    try:
        data = load_json(path).data
    except ScenarioError:
        return True  # alone, so that loading it reports the problem
    return not (
        isinstance(data, dict) and ("issuesValues" in data or "LinearAdditiveUtilitySpace" in data)
    )


def _load_files(first: Path, profiles: list[Path]) -> Scenario:
    suffix = first.suffix.lower()
    if suffix in _NATIVE_SUFFIXES:
        if profiles:
            raise _no_profiles(profiles[0])
        from zopa.io.native import read_native

        return read_native(first)
    if suffix == ".json":
        return _load_json(first, profiles)
    if suffix == ".xml":
        if _is_ktab_xml(first):
            if profiles:
                raise _no_profiles(profiles[0])
            from zopa.io.ktab import read_ktab_xml

            return read_ktab_xml(first)
        from zopa.io.genius import read_genius

        return read_genius(first, profiles)
    if suffix in _TEXT_SUFFIXES:
        from zopa.io.decide import looks_like_decide, parse_decide
        from zopa.io.ktab import looks_like_ktab_csv, parse_ktab_csv
        from zopa.io.safe import read_text

        text = read_text(first)  # read once: the content tells the format
        if looks_like_decide(text) or looks_like_ktab_csv(text):
            if profiles:
                raise ScenarioError(
                    "a decide or KTAB input file takes no profile files after it",
                    source=str(profiles[0]),
                )
            if looks_like_decide(text):
                return parse_decide(text, first)
            return parse_ktab_csv(text, first)
    raise ScenarioError(
        "expected a .yaml, .yml or .json scenario, a GENIUS .xml domain, a GeniusWeb .json file, "
        "a decide .csv/.txt input file or a KTAB .csv/.xml scenario",
        source=str(first),
    )


def _is_ktab_xml(path: Path) -> bool:
    """Whether an ``.xml`` file's root element is KTAB's ``<Scenario>`` (else it is GENIUS)."""
    from zopa.io.ktab import looks_like_ktab_xml

    try:
        with path.open("rb") as f:
            return looks_like_ktab_xml(f.read(4096))
    except OSError:
        return False  # the GENIUS reader reports the file's problem


def _load_json(first: Path, profiles: list[Path]) -> Scenario:
    """A ``.json`` file is parsed once: what it holds decides the reader it goes to."""
    from zopa.io.jsonfile import load_json

    doc = load_json(first)
    data = doc.data
    if isinstance(data, dict) and "issues" in data:
        if profiles:
            raise _no_profiles(profiles[0])
        from zopa.io.native import native_from_json

        return native_from_json(doc)
    if isinstance(data, dict) and ("issuesValues" in data or "LinearAdditiveUtilitySpace" in data):
        from zopa.io.geniusweb import read_geniusweb

        return read_geniusweb(doc, profiles)
    raise ScenarioError(
        "expected a zopa scenario (with 'issues') or a GeniusWeb domain or profile",
        source=str(first),
    )


def _no_profiles(profile: Path) -> ScenarioError:
    return ScenarioError(
        "a native scenario file takes no profile files after it", source=str(profile)
    )


def _load_folder(folder: Path) -> Scenario:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    native = [p for p in files if p.suffix.lower() in _NATIVE_SUFFIXES]
    if len(native) == 1:
        from zopa.io.native import read_native

        return read_native(native[0])
    if any(p.suffix.lower() == ".xml" for p in files):
        from zopa.io.genius import read_genius_folder

        return read_genius_folder(folder)
    if any(p.suffix.lower() == ".json" for p in files):
        from zopa.io.geniusweb import read_geniusweb_folder

        return read_geniusweb_folder(folder)
    raise ScenarioError(
        "expected a folder with one zopa scenario, GENIUS XML files or GeniusWeb JSON files",
        source=str(folder),
    )


def save_scenario(
    scenario: Scenario,
    target: str | Path,
    *,
    to: str | None = None,
    strict: bool = False,
    overwrite: bool = True,
) -> list[Path]:
    """Write ``scenario`` to ``target`` in the format ``to`` or, left out, the one ``target`` names.

    The format (``to``: ``"yaml"``, ``"json"``, ``"genius"`` or ``"geniusweb"``; ``--to`` on the
    command line) is taken from ``target`` when not given:

    - a ``.yaml``/``.yml`` or ``.json`` file: native YAML or JSON;
    - a ``.xml`` file: GENIUS XML, with the domain written to that file and the profiles beside it;
    - a folder (an existing folder, a path ending in ``/``, or a new path without a suffix):
      GENIUS XML (``to="geniusweb"`` for GeniusWeb JSON; a native format writes
      ``<folder>/<name>.yaml`` or ``.json``);
    - anything else (``out.txt``) is refused: pass ``to``.

    What the format cannot hold is warned, one :class:`~zopa.model.errors.ConversionWarning` per
    kind (:func:`zopa.io.losses.conversion_losses`); ``strict`` makes that an error. Every file is
    written all or nothing (:func:`zopa.io.safe.write_all_atomic`), after every check has passed.

    Returns:
        The files written (for GENIUS and GeniusWeb: the domain first, then one per party).

    Raises:
        ArgumentError: ``to`` is unknown, or the format cannot be told from ``target``.
        OutputError: a file exists and ``overwrite`` is false; the folder already holds other
            files of the format (they would be read as part of the scenario); a file or folder
            cannot be written.
        ScenarioError: the scenario cannot be expressed in the target format, or ``strict`` and
            something would be lost.
    """
    from zopa.model.scenario import Scenario as _Scenario

    if not isinstance(scenario, _Scenario):
        raise ArgumentError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
    if not isinstance(target, (str, Path)) or not str(target):
        raise ArgumentError(f"target: expected a file or folder path, got {target!r}")
    from zopa.io.losses import write_converted

    fmt, place, domain_file = _target(target, to)
    files: list[tuple[Path, str | bytes]]
    notes: list[str] = []
    if fmt in ("yaml", "json"):
        from zopa.io.native import dump_native

        path = place / f"{_safe_stem(scenario.name)}.{fmt}" if domain_file is None else place
        files = [(path, dump_native(scenario, fmt=fmt))]  # type: ignore[arg-type]
        folder = place if domain_file is None else path.parent
    elif fmt == "genius":
        from zopa.io.genius import genius_files

        folder = place
        genius, notes = genius_files(scenario, folder, domain_file=domain_file)
        files = list(genius)
    else:
        from zopa.io.geniusweb import geniusweb_files

        folder = place
        files, notes = geniusweb_files(scenario, folder, domain_file=domain_file)
    # a native file named by the user goes only into a folder that exists
    make = fmt in ("genius", "geniusweb") or domain_file is None
    return write_converted(
        files,
        notes,
        target=target,
        folder=folder if make else None,
        strict=strict,
        check=lambda: _check_outputs(folder, [p for p, _ in files], fmt, overwrite=overwrite),
    )


_SUFFIX_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xml": "genius"}
_FORMAT_SUFFIXES = {"yaml": (".yaml", ".yml"), "json": (".json",), "genius": (".xml",)}


def _target(target: str | Path, to: str | None) -> tuple[str, Path, str | None]:
    """``(format, place, file name)``: for a native format ``place`` is the file (or, with no
    file name, the folder to write ``<name>.<format>`` into); for GENIUS and GeniusWeb it is the
    folder, and the file name (if any) is the domain file's."""
    from zopa.io.losses import FORMATS

    text = str(target)
    path = Path(target)
    as_folder = text.endswith(("/", os.sep)) or path.is_dir()
    suffix = "" if as_folder else path.suffix.lower()
    if to is not None and to not in FORMATS:
        raise ArgumentError(
            f'--to (to= in Python): expected one of {", ".join(FORMATS)}, got "{to}"'
        )
    if to is None:
        if as_folder or (suffix == "" and not path.exists()):
            to = "genius"
        elif suffix in _SUFFIX_FORMATS:
            to = _SUFFIX_FORMATS[suffix]
        else:
            raise ArgumentError(
                f"--to (to= in Python): cannot tell the format of {text}: expected a .yaml, .yml "
                "or .json file (native), a .xml file or a folder (GENIUS); choose one with --to "
                f"({', '.join(FORMATS)})"
            )
    known = _SUFFIX_FORMATS.get(suffix)
    if known is not None and known != to and not (to == "geniusweb" and suffix == ".json"):
        raise ArgumentError(
            f"--to (to= in Python): {to} was asked for, but {text} names a {suffix} file; "
            f"name the output {path.stem}{_FORMAT_SUFFIXES.get(to, ('/',))[0]} or leave --to out"
        )
    if as_folder:
        return to, path, None
    if to in ("yaml", "json"):
        return to, path, path.name
    if suffix:  # a domain file named by the user: x.xml (GENIUS), x.json (GeniusWeb)
        return to, path.parent, path.name
    return to, path, None


def _safe_stem(name: str) -> str:
    import re

    return re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", name).strip().strip(".") or "scenario"


def _check_outputs(folder: Path, paths: list[Path], fmt: str, *, overwrite: bool) -> None:
    from zopa.model.errors import OutputError

    for path in paths:
        if path.is_dir():
            raise OutputError(path, "expected a file to write, got a folder")
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        more = f" (and {len(existing) - 1} more of the files to write)" if len(existing) > 1 else ""
        raise OutputError(
            existing[0], f"already exists{more}; pass --force (overwrite=True) to replace it"
        )
    if fmt in ("genius", "geniusweb") and folder.is_dir():
        suffix = ".xml" if fmt == "genius" else ".json"
        writing = {p.name for p in paths}
        others = sorted(
            p.name
            for p in folder.iterdir()
            if p.is_file()
            and p.suffix.lower() == suffix
            and p.name not in writing
            and p.name.lower() not in ("pareto.xml", "specials.json")
        )
        if others:
            what = "GENIUS XML" if fmt == "genius" else "GeniusWeb JSON"
            raise OutputError(
                folder,
                f"already holds other {what} files ({', '.join(others[:4])}"
                + (", ..." if len(others) > 4 else "")
                + "), which reading the folder would take as part of this scenario; "
                "write to a new or empty folder",
            )

"""Reading and writing scenarios: native YAML/JSON, GENIUS XML and GeniusWeb JSON.

:func:`load_scenario` accepts what the CLI accepts for a SCENARIO: a bundled scenario's name, a
native file, a GENIUS or GeniusWeb folder, or a domain file followed by profile files (parties are
seated in the order the profiles are given).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path, PurePath

from zopa.model.errors import ArgumentError, ScenarioError, ZopaError
from zopa.model.scenario import Scenario

__all__ = ["bundled_scenarios", "load_scenario", "save_scenario"]

_NATIVE_SUFFIXES = {".yaml", ".yml"}


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
        from zopa.io.genius import read_genius

        return read_genius(first, profiles)
    raise ScenarioError(
        "expected a .yaml, .yml or .json scenario, a GENIUS .xml domain or a GeniusWeb .json file",
        source=str(first),
    )


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


def save_scenario(scenario: Scenario, target: str | Path) -> list[Path]:
    """Write ``scenario``: ``.yaml``/``.yml``/``.json`` as native, ``.xml`` or a folder as GENIUS.

    Files are written atomically (:func:`zopa.io.safe.write_all_atomic`).

    Raises:
        OutputError: a file or folder cannot be written (the message names it).
        ScenarioError: the scenario cannot be expressed in the target format.
    """
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix in _NATIVE_SUFFIXES or suffix == ".json":
        from zopa.io.native import write_native

        return [write_native(scenario, path)]
    from zopa.io.genius import write_genius

    return write_genius(scenario, path.parent if suffix == ".xml" else path)

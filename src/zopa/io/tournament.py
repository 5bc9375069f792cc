"""Tournament files: YAML read with the native reader's safe loader (no anchors or aliases, size
and nesting limits, duplicate keys refused) into a :class:`~zopa.model.tournament.TournamentConfig`.

Every problem is reported as ``FILE:LINE: path: what was expected, got what was found``. The
format (``docs/howto-run-a-tournament.md``)::

    agents:                  # registry names, or a mapping: agent, its parameters, and `as`
      - boulware
      - conceder
      - {agent: linear, e: 0.5, as: half-linear}
    scenarios:               # bundled names, files, folders (relative to this file), or
      - mexico-us-2017       #   {scenario: SPEC, as: KEY}; a folder of scenario folders is
      - domains/anac2010-Travel  # each of its folders
    role_swaps: true         # every seat order (default true)
    self_play: false         # an agent may meet itself (default false)
    repetitions: 1
    deadline: {rounds: 100}  # rounds and/or seconds
    agenda: package
    seed: 0
    time_limit: 60           # seconds per negotiation (null: none)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from zopa.io.native import Locator, _load_yaml
from zopa.io.safe import as_path, read_text
from zopa.model.errors import ArgumentError, ScenarioError, show_value
from zopa.model.tournament import AGENDAS, AgentSpec, ScenarioSpec, TournamentConfig

__all__ = ["parse_tournament", "read_tournament"]

_KEYS = (
    "agents",
    "scenarios",
    "role_swaps",
    "self_play",
    "repetitions",
    "deadline",
    "agenda",
    "seed",
    "time_limit",
)


def read_tournament(path: Path | str) -> TournamentConfig:
    """Read a tournament file (YAML; JSON is YAML too).

    Raises:
        ScenarioError: the file is missing, unreadable, not YAML, or not a valid tournament (the
            message names the file, the line and the field).
    """
    path = as_path(path, "path")
    return parse_tournament(read_text(path), source=str(path))


def parse_tournament(text: str, *, source: str = "<string>") -> TournamentConfig:
    """Parse the text of a tournament file (see :func:`read_tournament`).

    Examples:
        >>> c = parse_tournament("agents: [boulware, conceder]\\nscenarios: [mexico-us-2017]\\n")
        >>> [a.key for a in c.agents], c.rounds, c.role_swaps
        (['boulware', 'conceder'], 100, True)
        >>> parse_tournament("agents: [boulware]\\nscenarios: []\\nseed: -1\\n")
        Traceback (most recent call last):
        ...
        zopa.model.errors.ScenarioError: <string>:2: scenarios: expected at least one scenario, got an empty list
    """
    if not isinstance(text, str):
        raise ArgumentError(f"text: expected a str, got {type(text).__name__}")
    data, locate = _load_yaml(text, source)
    return _Reader(locate, source).config(data)


class _Reader:
    def __init__(self, locate: Locator, source: str) -> None:
        self.locate = locate
        self.source = source

    def fail(self, path: tuple[str | int, ...], detail: str) -> ScenarioError:
        shown = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
        return ScenarioError(detail, path=shown, source=self.source, line=self.locate(path))

    def config(self, data: Any) -> TournamentConfig:
        if not isinstance(data, dict):
            raise self.fail((), f"expected a mapping of tournament fields, got {show_value(data)}")
        for key in data:
            if key not in _KEYS:
                raise self.fail(
                    (str(key),),
                    f"unknown field; expected one of {', '.join(_KEYS)}",
                )
        for key in ("agents", "scenarios"):
            if key not in data:
                raise self.fail((), f"expected the field {key}, got none")
        agents = self.agents(data["agents"])
        scenarios = self.scenarios(data["scenarios"])
        rounds, seconds = self.deadline(data.get("deadline", {"rounds": 100}))
        agenda = data.get("agenda", "package")
        if agenda not in AGENDAS:
            raise self.fail(
                ("agenda",),
                f"expected {' or '.join(AGENDAS)} (issue-by-issue agendas are not played yet), "
                f"got {show_value(agenda)}",
            )
        limit = data.get("time_limit", 60.0)
        return TournamentConfig(
            agents=agents,
            scenarios=scenarios,
            role_swaps=self.flag(data, "role_swaps", True),
            self_play=self.flag(data, "self_play", False),
            repetitions=self.integer(data, ("repetitions",), 1, 1),
            rounds=rounds,
            seconds=seconds,
            agenda=str(agenda),
            seed=self.integer(data, ("seed",), 0, 0),
            time_limit=None if limit is None else self.positive(limit, ("time_limit",)),
            source=self.source,
        )

    def flag(self, data: dict[str, Any], key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail((key,), f"expected true or false, got {show_value(value)}")
        return value

    def integer(self, data: Any, path: tuple[str | int, ...], default: int, low: int) -> int:
        value = data.get(path[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise self.fail(path, f"expected an integer >= {low}, got {show_value(value)}")
        return value

    def positive(self, value: Any, path: tuple[str | int, ...]) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value <= 0:
            raise self.fail(path, f"expected a number of seconds > 0, got {show_value(value)}")
        return float(value)

    def deadline(self, value: Any) -> tuple[int | None, float | None]:
        if not isinstance(value, dict):
            raise self.fail(
                ("deadline",),
                f"expected a mapping with rounds and/or seconds, got {show_value(value)}",
            )
        for key in value:
            if key not in ("rounds", "seconds"):
                raise self.fail(("deadline", str(key)), "unknown field; expected rounds or seconds")
        rounds = value.get("rounds")
        seconds = value.get("seconds")
        if rounds is None and seconds is None:
            raise self.fail(("deadline",), "expected rounds or seconds, got neither")
        if rounds is not None:
            rounds = self.integer(value, ("deadline", "rounds"), 100, 1)
        if seconds is not None:
            seconds = self.positive(seconds, ("deadline", "seconds"))
        return rounds, seconds

    def listed(self, value: Any, key: str, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail((key,), f"expected a list of {what}, got {show_value(value)}")
        if not value:
            raise self.fail((key,), f"expected at least one {what[:-1]}, got an empty list")
        return value

    def agents(self, value: Any) -> tuple[AgentSpec, ...]:
        specs: list[AgentSpec] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self.listed(value, "agents", "agents")):
            path: tuple[str | int, ...] = ("agents", i)
            line = self.locate(path)
            key: Any = None
            params: tuple[tuple[str, Any], ...] = ()
            name: Any
            if isinstance(item, str) and item.strip():
                name = item.strip()
            elif isinstance(item, dict):
                name = item.get("agent")
                if not isinstance(name, str) or not name.strip():
                    raise self.fail(
                        (*path, "agent") if "agent" in item else path,
                        f"expected an agent name, got {show_value(name)}",
                    )
                key = item.get("as")
                if key is not None and not (isinstance(key, str) and key.strip()):
                    raise self.fail((*path, "as"), f"expected a name, got {show_value(key)}")
                params = tuple(
                    sorted((str(k), v) for k, v in item.items() if k not in ("agent", "as"))
                )
                for k, v in params:
                    if not isinstance(v, int | float | str | bool):
                        raise self.fail(
                            (*path, k),
                            f"expected a number, text or true/false, got {show_value(v)}",
                        )
            else:
                raise self.fail(
                    path, f"expected an agent name or a mapping with agent:, got {show_value(item)}"
                )
            spec = AgentSpec(agent=name.strip(), params=params, key=key or "", line=line)
            if spec.key in seen:
                raise self.fail(
                    path,
                    f'duplicate agent "{spec.key}" (also agents[{seen[spec.key]}]); '
                    "give one of them another name with as:",
                )
            seen[spec.key] = i
            specs.append(spec)
        return tuple(specs)

    def scenarios(self, value: Any) -> tuple[ScenarioSpec, ...]:
        specs: list[ScenarioSpec] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(self.listed(value, "scenarios", "scenarios")):
            path: tuple[str | int, ...] = ("scenarios", i)
            key: Any = None
            spec: Any
            if isinstance(item, str) and item.strip():
                spec = item.strip()
            elif isinstance(item, dict):
                spec = item.get("scenario")
                if not isinstance(spec, str) or not spec.strip():
                    raise self.fail(
                        (*path, "scenario") if "scenario" in item else path,
                        f"expected a bundled name, a file or a folder, got {show_value(spec)}",
                    )
                for k in item:
                    if k not in ("scenario", "as"):
                        raise self.fail((*path, str(k)), "unknown field; expected scenario or as")
                key = item.get("as")
                if key is not None and not (isinstance(key, str) and key.strip()):
                    raise self.fail((*path, "as"), f"expected a name, got {show_value(key)}")
                spec = spec.strip()
            else:
                raise self.fail(
                    path,
                    f"expected a bundled scenario name, a file or a folder, got {show_value(item)}",
                )
            s = ScenarioSpec(spec=spec, key=key or spec, line=self.locate(path))
            if s.key in seen:
                raise self.fail(
                    path, f'duplicate scenario "{s.key}" (also scenarios[{seen[s.key]}])'
                )
            seen[s.key] = i
            specs.append(s)
        return tuple(specs)

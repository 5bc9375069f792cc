"""What a tournament file describes: who plays, on which scenarios, how often, under which rules.

A :class:`TournamentConfig` is a plain record (``zopa.io.tournament`` reads one from a YAML
file, with located errors; ``zopa.negotiation.tournament`` plays it). It names agents and
scenarios as the file wrote them and keeps, for each, the line it came from, so that a problem
found later (an agent name the registry does not know, a scenario that does not load) is still
reported as ``FILE:LINE: path: what was expected``.

The tournament is generated as GENIUS generates its bilateral and multilateral tournaments
(section 6.5 of the negotiation reference): for each scenario with ``n`` parties, every
assignment of ``n`` of the agents to the seats — ordered when ``role_swaps`` (each agent plays
every role), unordered otherwise; with an agent meeting itself only when ``self_play`` — and the
whole list repeated ``repetitions`` times.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from zopa.model.errors import ArgumentError

__all__ = ["AGENDAS", "AgentSpec", "ScenarioSpec", "TournamentConfig"]

#: Agenda modes a tournament accepts. ``package``: every issue is negotiated at once (the only
#: mode the negotiation engine plays so far).
AGENDAS = ("package",)


@dataclass(frozen=True, kw_only=True)
class AgentSpec:
    """One agent of a tournament: a built-in agent's name, parameters to override, and the key
    that names it in the results.

    Attributes:
        agent: the registry name (``boulware``, ``linear``, ...).
        params: parameters replacing the built-in's defaults, as ``(name, value)`` pairs.
        key: the name rows and the leaderboard use; unique within the tournament.
        line: the line of the tournament file it came from, where known.
    """

    agent: str
    params: tuple[tuple[str, Any], ...] = ()
    key: str = ""
    line: int | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.agent, str) or not self.agent.strip():
            raise ArgumentError(f"agent: expected a non-empty str, got {self.agent!r}")
        if not self.key:
            object.__setattr__(self, "key", self.default_key(self.agent, self.params))

    @staticmethod
    def default_key(agent: str, params: tuple[tuple[str, Any], ...]) -> str:
        """``agent`` alone, or ``agent(k=v, ...)`` with parameters.

        Examples:
            >>> AgentSpec.default_key("linear", (("e", 0.5),))
            'linear(e=0.5)'
        """
        if not params:
            return agent
        return agent + "(" + ", ".join(f"{k}={v!r}" for k, v in params) + ")"

    def to_dict(self) -> dict[str, Any]:
        return {"agent": self.agent, "params": dict(self.params), "key": self.key}


@dataclass(frozen=True, kw_only=True)
class ScenarioSpec:
    """One scenario of a tournament, as the file names it.

    Attributes:
        spec: a bundled name, a file or a folder (relative paths resolved against the
            tournament file's folder).
        key: the name rows use; unique within the tournament.
        line: the line of the tournament file it came from, where known.
    """

    spec: str
    key: str
    line: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.spec, "key": self.key}


@dataclass(frozen=True, kw_only=True)
class TournamentConfig:
    """A tournament: agents, scenarios, how tables are formed, and the rules of each negotiation.

    Attributes:
        agents: the agents (at least one).
        scenarios: the scenarios (at least one).
        role_swaps: every ordering of a table's agents over the seats (``True``), or each set of
            agents once, seated in the order they are listed.
        self_play: whether an agent may sit at a table with itself.
        repetitions: how many times each table is played (each with its own seed).
        rounds: deadline in rounds (``None`` for none).
        seconds: deadline in seconds of wall-clock time (``None`` for none).
        agenda: ``"package"`` (:data:`AGENDAS`).
        seed: the master seed every negotiation's seed derives from.
        time_limit: wall-clock seconds one negotiation may take before it is stopped and
            recorded as a failure (``None`` for no limit).
        source: the tournament file, where there is one.
    """

    agents: tuple[AgentSpec, ...]
    scenarios: tuple[ScenarioSpec, ...]
    role_swaps: bool = True
    self_play: bool = False
    repetitions: int = 1
    rounds: int | None = 100
    seconds: float | None = None
    agenda: str = "package"
    seed: int = 0
    time_limit: float | None = 60.0
    source: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.agents:
            raise ArgumentError("agents: expected at least one agent, got none")
        if not self.scenarios:
            raise ArgumentError("scenarios: expected at least one scenario, got none")
        if isinstance(self.repetitions, bool) or not isinstance(self.repetitions, int):
            raise ArgumentError(f"repetitions: expected an integer >= 1, got {self.repetitions!r}")
        if self.repetitions < 1:
            raise ArgumentError(f"repetitions: expected an integer >= 1, got {self.repetitions}")
        if self.agenda not in AGENDAS:
            raise ArgumentError(
                f'agenda: expected one of {", ".join(AGENDAS)}, got "{self.agenda}"'
            )
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ArgumentError(f"seed: expected an integer >= 0, got {self.seed!r}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (the source file left out: the same tournament may move)."""
        return {
            "agents": [a.to_dict() for a in self.agents],
            "scenarios": [s.to_dict() for s in self.scenarios],
            "role_swaps": self.role_swaps,
            "self_play": self.self_play,
            "repetitions": self.repetitions,
            "rounds": self.rounds,
            "seconds": self.seconds,
            "agenda": self.agenda,
            "seed": self.seed,
            "time_limit": self.time_limit,
        }

    def fingerprint(self) -> str:
        """The canonical JSON of :meth:`to_dict`: a results database remembers the tournament it
        holds by it, and refuses to resume a different one."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), default=str)

"""``zopa negotiate SCENARIO --agents A,B[,...]``: play one negotiation offer by offer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.guard import guarded, naming

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.negotiation.agenda import AgendaPlay, PlayComparison

AGENDA_WORDS = ("package", "issue-by-issue")

#: What the reader says about a GENIUS profile worth more than 1, and what this command does.
_CAP_NOTE = "GENIUS caps additive utilities at 1 but zopa does not"


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def negotiate(
        scenario: Annotated[
            list[str],
            typer.Argument(help="Bundled name, file, folder, or a domain file then profile files."),
        ],
        agents: Annotated[
            str,
            typer.Option(
                "--agents",
                help="One built-in agent per party, comma-separated, in the scenario's party "
                "order (boulware, linear, conceder, hardliner, ...).",
            ),
        ],
        rounds: Annotated[
            int | None,
            typer.Option("--rounds", help="Deadline in rounds (default 100 unless --seconds)."),
        ] = None,
        seconds: Annotated[
            float | None, typer.Option("--seconds", help="Deadline in seconds of wall-clock time.")
        ] = None,
        agenda: Annotated[
            str,
            typer.Option(
                "--agenda",
                help="package, issue-by-issue, or a YAML/JSON file with a list of groups of "
                "issue names, negotiated one group after the other.",
            ),
        ] = "package",
        compare: Annotated[
            bool,
            typer.Option(
                "--compare", help="Also play the package and issue by issue side by side."
            ),
        ] = False,
        seed: Annotated[int, typer.Option("--seed", help="Seed of the agents' randomness.")] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print the documented JSON.")] = False,
    ) -> None:
        """Play one negotiation (SAOP, as GENIUS plays it) and print it offer by offer."""
        from zopa.model.errors import ArgumentError
        from zopa.negotiation.agenda import compare_play, play_agenda
        from zopa.negotiation.protocol import Deadline
        from zopa.negotiation.session import Arena

        if rounds is not None and rounds < 1:
            raise ArgumentError(f"--rounds: expected an integer >= 1, got {rounds}")
        if seconds is not None and not (0 < seconds < float("inf")):
            raise ArgumentError(f"--seconds: expected a number > 0, got {seconds:g}")
        if seed < 0:
            raise ArgumentError(f"--seed: expected an integer >= 0, got {seed}")
        deadline = Deadline(
            rounds=100 if rounds is None and seconds is None else rounds, seconds=seconds
        )
        s = _load(scenario)
        team = agent_list(agents, s)
        groups: str | list[list[str]] = (
            agenda if agenda in AGENDA_WORDS else read_agenda(Path(agenda), s)
        )
        cap = 1.0 if is_genius(scenario) else None
        if groups != "package" or compare:
            missing = [i.name for i in s.issues if i.disagreement is None]
            if missing:
                raise ArgumentError(
                    f"--{'compare' if groups == 'package' else 'agenda'}: playing issues one "
                    "group after the other needs a disagreement option on every issue (the "
                    f"fallback of a failed group), and {', '.join(missing)} "
                    f"{'has' if len(missing) == 1 else 'have'} none"
                )
        with naming(scenario):
            arena = Arena(s.problem(), cap=cap)
            result = play_agenda(arena, team, groups, deadline=deadline, seed=seed)
            comparison = (
                compare_play(arena, team, deadline=deadline, seed=seed) if compare else None
            )
        if as_json:
            doc = as_document(s, result, comparison, deadline=deadline, seed=seed, cap=cap)
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            render(s, result, comparison, cap=cap)


def _load(specs: list[str]) -> Scenario:
    """Load the scenario; the reader's note that zopa does not cap GENIUS utilities at 1 is
    reworded, since this command does cap them (:attr:`zopa.negotiation.Arena.cap`)."""
    import warnings

    from zopa.io import load_scenario

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = load_scenario(*specs)
    for w in caught:
        text = str(w.message)
        if _CAP_NOTE in text:
            text = text.split(_CAP_NOTE)[0] + "zopa negotiate caps utilities at 1, as GENIUS does"
        warnings.warn_explicit(text, w.category, w.filename, w.lineno)
    return s


def is_genius(specs: list[str]) -> bool:
    """Whether the scenario is read from GENIUS XML files (a domain file, or a folder of them
    without a native scenario), whose additive utilities GENIUS caps at 1."""
    first = Path(specs[0])
    if first.is_file():
        return first.suffix.lower() == ".xml"
    if first.is_dir():
        files = [p for p in first.iterdir() if p.is_file()]
        native = [p for p in files if p.suffix.lower() in (".yaml", ".yml")]
        return len(native) != 1 and any(p.suffix.lower() == ".xml" for p in files)
    return False


def agent_list(text: str, scenario: Scenario) -> list[Any]:
    """One agent per party from ``--agents``: built-in names (:data:`zopa.negotiation.agents.
    AGENTS`) or specs with parameters such as ``time-dependent(e=0.5,k=0.1)``."""
    from zopa.model.errors import ArgumentError
    from zopa.negotiation.agents import agent
    from zopa.negotiation.spec import split_specs

    specs = split_specs(text)
    if any(not s for s in specs):
        raise ArgumentError(f'--agents: expected comma-separated agent names, got "{text}"')
    parties = [p.name for p in scenario.parties]
    if len(specs) != len(parties):
        raise ArgumentError(
            f"--agents: expected one agent per party ({len(parties)}: {', '.join(parties)}), "
            f"got {len(specs)}"
        )
    team = []
    for spec in specs:
        try:
            team.append(agent(spec))
        except ArgumentError as exc:
            raise ArgumentError(f"--agents: {str(exc).removeprefix('agent: ')}") from None
    return team


def read_agenda(path: Path, scenario: Scenario) -> list[list[str]]:
    """An agenda file: a YAML or JSON list of groups, each a list of issue names (a bare name is
    a group of one), e.g. ``[[nafta, labour], [wall], migrants]``. Errors name the file and line.
    """
    from zopa.io.native import parse_yaml
    from zopa.io.safe import read_text
    from zopa.model.errors import ArgumentError, ScenarioError

    source = str(path)
    if not path.is_file():
        raise ArgumentError(
            f'--agenda: expected {" or ".join(AGENDA_WORDS)} or an agenda file, got "{path}"'
        )
    locate: Callable[[tuple[str | int, ...]], int | None]
    if path.suffix.lower() == ".json":
        from zopa.io.jsonfile import load_json

        doc = load_json(path, exact=False)
        data, locate = doc.data, doc.line
    else:
        data, locate = parse_yaml(read_text(path), source)
    known = [i.name for i in scenario.issues]
    expected = f"a list of groups of issue names ({', '.join(known)})"
    if not isinstance(data, list) or not data:
        raise ScenarioError(f"expected {expected}, got {_shown(data)}", source=source, line=1)
    groups: list[list[str]] = []
    seen: dict[str, int] = {}
    for g, entry in enumerate(data):
        items = [entry] if isinstance(entry, str) else entry
        if not isinstance(items, list) or not items:
            raise ScenarioError(
                f"expected a list of issue names, got {_shown(entry)}",
                path=f"[{g}]",
                source=source,
                line=locate((g,)),
            )
        for i, name in enumerate(items):
            where = (g,) if isinstance(entry, str) else (g, i)
            if not isinstance(name, str) or name not in known:
                raise ScenarioError(
                    f"expected an issue name ({', '.join(known)}), got {_shown(name)}",
                    path=f"[{g}]" if isinstance(entry, str) else f"[{g}][{i}]",
                    source=source,
                    line=locate(where),
                )
            if name in seen:
                raise ScenarioError(
                    f'issue "{name}" is already in the group at [{seen[name]}]; each issue may '
                    "be in one group only",
                    path=f"[{g}]" if isinstance(entry, str) else f"[{g}][{i}]",
                    source=source,
                    line=locate(where),
                )
            seen[name] = g
        groups.append(list(items))
    return groups


def _shown(x: Any) -> str:
    text = json.dumps(x, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


# ------------------------------------------------------------------ JSON
def as_document(
    s: Scenario,
    result: AgendaPlay,
    comparison: PlayComparison | None,
    *,
    deadline: Any,
    seed: int,
    cap: float | None,
) -> dict[str, Any]:
    """The documented JSON of ``zopa negotiate --json`` (docs/cli.md)."""
    head: dict[str, Any] = {
        "scenario": s.name,
        "deadline": deadline.to_dict(),
        "seed": seed,
        "utility_cap": cap,
    }
    if len(result.groups) == 1 and result.agenda[0] == s.space.names:
        doc = {**head, "agenda": "package", **result.groups[0].to_dict()}
    else:
        doc = {**head, **result.to_dict()}
    if comparison is not None:
        doc["comparison"] = {
            "parties": list(comparison.parties),
            "package": _brief(comparison.package),
            "issue_by_issue": _brief(comparison.issue_by_issue),
            "gain": list(comparison.gain),
        }
    return doc


def _brief(play: AgendaPlay) -> dict[str, Any]:
    d = play.to_dict(trace=False)
    d["groups"] = [
        {k: g[k] for k in ("issues", "agreement", "outcome", "utilities", "rounds", "reason")}
        for g in d["groups"]
    ]
    return d


# ------------------------------------------------------------------ terminal
def _num(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def render(
    s: Scenario, result: AgendaPlay, comparison: PlayComparison | None, *, cap: float | None
) -> None:
    """Print each (sub-)negotiation offer by offer, then the summary and the comparison."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    parties = list(result.parties)
    seats = ", ".join(f"{p} ({a})" for p, a in zip(parties, result.agents, strict=True))
    console.print(s.title or s.name)
    console.print(seats)
    if cap is not None:
        console.print("utilities capped at 1, as GENIUS caps its additive profiles")
    several = len(result.groups) > 1
    for issues, n in zip(result.agenda, result.groups, strict=True):
        table = Table(
            title=f"talks on {', '.join(issues)}" if several else None,
            caption=f"offers list the options of {', '.join(n.issues)}",
        )
        for column in ("round", "party", "action", "offer"):
            table.add_column(column, justify="right" if column == "round" else "left")
        table.add_column("utilities (" + " / ".join(parties) + ")", justify="right")
        issue_objs = [s.issues[s.space.names.index(name)] for name in n.issues]
        for step in n.trace:
            offer = (
                ""
                if step.outcome is None
                else ", ".join(i.options[c] for i, c in zip(issue_objs, step.outcome, strict=True))
            )
            utils = "" if step.utilities is None else " / ".join(f"{u:.3f}" for u in step.utilities)
            table.add_row(str(step.round), parties[step.party], step.action, offer, utils)
        console.print(table)
        if several:
            console.print(_line(n.agreement, n.reason, n.ended_by, n.rounds))
    console.print(_summary(result))
    if comparison is not None:
        console.print(_comparison_table(comparison))


def _line(agreement: bool, reason: str, ended_by: str | None, rounds: int) -> str:
    how = {
        "agreement": f"agreed ({ended_by} accepted last)",
        "end": f"no agreement: {ended_by} ended the talks",
        "deadline": "no agreement: the deadline passed",
        "violation": f"no agreement: {ended_by} broke the rules",
    }[reason]
    return f"{how} after {rounds} round{'s' if rounds != 1 else ''}"


def _summary(result: AgendaPlay) -> Any:
    from rich.table import Table

    table = Table(title="result", show_header=False)
    table.add_column("")
    table.add_column("")
    if len(result.groups) == 1:
        n = result.groups[0]
        table.add_row("result", _line(n.agreement, n.reason, n.ended_by, n.rounds))
        if n.detail:
            table.add_row("detail", n.detail)
    else:
        agreed = sum(result.settled)
        table.add_row(
            "result",
            f"{agreed} of {len(result.groups)} groups agreed in {result.rounds} rounds; failed "
            "groups stay at their disagreement options",
        )
    if result.options is not None:
        table.add_row("outcome", ", ".join(f"{k}: {v}" for k, v in result.options.items()))
    table.add_row(
        "utilities",
        ", ".join(f"{p} {u:.3f}" for p, u in zip(result.parties, result.utilities, strict=True)),
    )
    table.add_row("social welfare", f"{result.social_welfare:.3f}")
    table.add_row("distance to Pareto", _num(result.distance_to_pareto))
    table.add_row("distance to Nash", _num(result.distance_to_nash))
    return table


def _comparison_table(c: PlayComparison) -> Any:
    from rich.table import Table

    table = Table(title="package versus issue by issue (same agents, deadline and seed)")
    for column in ("party", "package", "issue by issue", "gain from linking"):
        table.add_column(column, justify="left" if column == "party" else "right")
    for j, p in enumerate(c.parties):
        table.add_row(
            p,
            f"{c.package.utilities[j]:.3f}",
            f"{c.issue_by_issue.utilities[j]:.3f}",
            f"{c.gain[j]:+.3f}",
        )
    return table

"""``zopa analyze SCENARIO``: frontier, solutions, zone of agreement, linkage, chips, leverage."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.guard import guarded, naming
from zopa.cli.options import (
    Draws,
    Limit,
    Parties,
    Seed,
    check_counts,
    check_spread,
    party_names,
)

if TYPE_CHECKING:
    from zopa.analysis.chips import Chips
    from zopa.analysis.run import Analysis
    from zopa.model.scenario import Scenario

CONCEPTS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "genius_kalai")

# The flags that skip the expensive parts, shared by ``analyze`` and ``report``.
NoRobustness = Annotated[
    bool, typer.Option("--no-robustness", help="Skip the robustness draws (as --draws 0).")
]
NoLeverage = Annotated[
    bool, typer.Option("--no-leverage", help="Skip the walk-away curves and the threats.")
]
NoAgendas = Annotated[bool, typer.Option("--no-agendas", help="Skip the comparison of agendas.")]


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def analyze(
        scenario: Annotated[
            list[str],
            typer.Argument(help="Bundled name, file, folder, or a domain file then profile files."),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the documented JSON.")] = False,
        parties: Parties = None,
        agendas: Annotated[
            str,
            typer.Option(
                "--agendas",
                help="'all', or a file with one agenda per line (issue names, comma-separated).",
            ),
        ] = "all",
        draws: Draws = 2000,
        seed: Seed = 0,
        limit: Limit = 10_000_000,
        concentration: Annotated[
            float | None,
            typer.Option(
                "--concentration",
                help="Dirichlet concentration around the weights (default: the scenario's, else 50).",
            ),
        ] = None,
        value_noise: Annotated[
            float | None,
            typer.Option(
                "--value-noise",
                help="Uniform noise on option values (default: the scenario's, else 0.05).",
            ),
        ] = None,
        reservation_noise: Annotated[
            float | None,
            typer.Option(
                "--reservation-noise",
                help="Uniform noise on stated reservation values (default: the scenario's, else 0.05).",
            ),
        ] = None,
        concept: Annotated[
            str, typer.Option("--concept", help="Solution concept: " + ", ".join(CONCEPTS))
        ] = "nash",
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the headline.")] = False,
        no_robustness: NoRobustness = False,
        no_leverage: NoLeverage = False,
        no_agendas: NoAgendas = False,
    ) -> None:
        """Analyse a negotiation: where agreement lies and what linking issues buys each side."""
        from zopa.analysis.run import analyze as run
        from zopa.analysis.solutions import check_concept
        from zopa.io import load_scenario
        from zopa.model.errors import ArgumentError

        if concept not in CONCEPTS:
            raise ArgumentError(
                f'--concept: expected one of {", ".join(CONCEPTS)}, got "{concept}"'
            )
        check_counts(draws=draws, limit=limit)
        check_spread(
            concentration=concentration,
            value_noise=value_noise,
            reservation_noise=reservation_noise,
        )
        s = load_scenario(*scenario)
        names = party_names(parties, s)
        if no_agendas and agendas != "all":
            raise ArgumentError("--no-agendas: given with --agendas FILE, which asks for agendas")
        agenda_list = None if agendas == "all" else _read_agendas(Path(agendas), s)
        shipped = genius_pareto(scenario, s, names)
        job = partial(
            run,
            s,
            parties=names,
            concept=check_concept(concept),
            agenda_list=agenda_list,
            draws=draws,
            seed=seed,
            limit=limit,
            concentration=concentration,
            value_noise=value_noise,
            reservation_noise=reservation_noise,
            robustness=not no_robustness,
            leverage=not no_leverage,
            agendas=not no_agendas,
            reference=None if shipped is None else shipped[1],
            reference_source="reference" if shipped is None else shipped[0],
        )
        with naming(scenario):
            result = job() if as_json or quiet else with_progress(job)
        if as_json:
            print(json.dumps(as_document(result), indent=2, ensure_ascii=False))
        elif quiet:
            from zopa.report.prose import headline

            print(" ".join(headline(result)))
        else:
            render(result)


def as_document(a: Analysis) -> dict[str, Any]:
    """The documented JSON of ``zopa analyze --json``: :meth:`Analysis.to_dict` with the
    ``"headline"`` (:func:`zopa.report.prose.headline`) and the ``"meaning"`` paragraph
    (:func:`zopa.report.prose.meaning`, ``null`` without a stated strategy) after ``"concept"``."""
    from zopa.report.prose import headline, meaning

    document: dict[str, Any] = {}
    for key, value in a.to_dict().items():
        document[key] = value
        if key == "concept":
            document["headline"] = headline(a)
            document["meaning"] = meaning(a)
    return document


def genius_pareto(
    sources: list[str], scenario: Scenario, names: list[str] | None
) -> tuple[str, Any] | None:
    """GENIUS's ``pareto.xml`` beside the profiles (in the SCENARIO folder, or beside the domain
    file given first), as ``(path, points)``, when the analysis is of the file's two parties in
    their order; else ``None``."""
    from zopa.io.genius import read_pareto_file
    from zopa.model.errors import ConversionWarning, ScenarioError

    if scenario.n_parties != 2 or (
        names is not None and names != [p.name for p in scenario.parties]
    ):
        return None
    first = Path(sources[0])
    folder = first if first.is_dir() else first.parent
    if not (first.is_dir() or first.suffix.lower() == ".xml"):
        return None
    found = [p for p in folder.iterdir() if p.is_file() and p.name.lower() == "pareto.xml"]
    if len(found) != 1:
        return None
    try:
        points = read_pareto_file(found[0])
    except ScenarioError as exc:  # a side file: the analysis goes on without it, and says so
        warnings.warn(ConversionWarning(f"left out {exc}"), stacklevel=2)
        return None
    if points.shape[0] == 0:
        return None
    return str(found[0]), points


def _read_agendas(path: Path, scenario: Scenario) -> list[list[str]]:
    """One agenda per line: issue names separated by commas; ``#`` starts a comment."""
    from zopa.io.safe import read_text
    from zopa.model.errors import ScenarioError

    known = [issue.name for issue in scenario.issues]
    rows = []
    from zopa.model.errors import ArgumentError, ZopaError

    try:
        text = read_text(path)
    except ZopaError as exc:
        raise ArgumentError(f"--agendas: {exc}") from None
    for number, line in enumerate(text.splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        names = [x.strip() for x in text.split(",") if x.strip()]
        for name in names:
            if name not in known:
                raise ScenarioError(
                    f'expected issue names ({", ".join(known)}), got "{name}"',
                    source=str(path),
                    line=number,
                )
        rows.append(names)
    if not rows:
        raise ScenarioError(
            "expected one agenda per line (issue names, comma-separated), got none",
            source=str(path),
        )
    return rows


def with_progress(job: Callable[..., Analysis]) -> Analysis:
    """Run ``job(progress=...)`` under :func:`progress_bars`."""
    with progress_bars(quiet=False) as progress:
        return job(progress=progress)


@contextmanager
def progress_bars(*, quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback that draws one Rich bar per stage on stderr
    (nothing when ``quiet`` or when stderr is not a terminal); the bars vanish at the end, and
    stdout is never touched."""
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or not console.is_terminal:
        yield lambda stage, done, total: None
        return
    from rich.progress import Progress, TaskID

    with Progress(console=console, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield progress


def top_gain(ch: Chips) -> float | None:
    """The joint gain of the largest logroll (``None`` without an issue-by-issue baseline)."""
    return ch.logrolls[0].joint_gain if ch.logrolls else None


def render(a: Analysis) -> None:
    """Print an analysis as Rich tables."""
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table

    from zopa.report.prose import concept_label, headline, meaning

    console = Console()
    s = a.scenario
    console.print(Panel(" ".join(headline(a)), title=f"{s.title or s.name}", expand=False))
    said = meaning(a)
    if said is not None:
        console.print(Panel(said, title="What this means", expand=False))
    for note in a.notes:
        console.print(f"[yellow]note:[/yellow] {note}")
    z = a.zone
    count = f"{z.count:,}" if z.exact else f"about {z.count:,.0f} (sampled, 95% CI {z.count_ci})"
    console.print(
        f"Outcomes: {s.n_outcomes:,}; Pareto frontier: {len(a.frontier):,} points; zone of agreement: "
        + (
            f"yes, {count} outcomes ({z.share:.1%}) give every party its reservation value"
            if z.exists
            else "none"
        )
    )
    sol = Table(title="Solutions")
    sol.add_column("solution")
    for p in a.parties:
        sol.add_column(p, justify="right")
    sol.add_column("outcome")
    for name, solution in a.solutions.items():
        outcome = (
            "no agreement"
            if solution.outcome is None
            else ", ".join(f"{k}={v}" for k, v in s.describe(solution.outcome).items())
        )
        sol.add_row(concept_label(name), *[f"{u:.3f}" for u in solution.utilities], outcome)
    console.print(sol)
    if a.linkage is not None:
        lk = a.linkage
        table = Table(title=f"Linkage ({concept_label(lk.concept)}): package versus issue by issue")
        table.add_column("")
        for p in a.parties:
            table.add_column(p, justify="right")
        table.add_row("reservation", *[f"{x:.3f}" for x in lk.reservation])
        table.add_row("issue by issue", *[f"{x:.3f}" for x in lk.separate.utilities])
        table.add_row("package", *[f"{x:.3f}" for x in lk.package.utilities])
        table.add_row("gain from linkage", *[f"{x:+.3f}" for x in lk.gain])
        if a.robustness is not None:
            table.add_row(
                f"linkage helps (of {a.robustness.draws:,} draws)",
                *[f"{x:.0%}" for x in a.robustness.share_helped()],
            )
        console.print(table)
    if a.agendas is not None:
        ag = a.agendas
        table = Table(title=f"Issues: what each adds ({len(ag):,} agendas compared)")
        table.add_column("issue")
        for p in a.parties:
            table.add_column(f"{p}: added last", justify="right")
            if ag.shapley is not None:
                table.add_column(f"{p}: Shapley", justify="right")
        for k, issue in enumerate(ag.issues):
            cells = []
            for j in range(len(a.parties)):
                cells.append(f"{ag.added_last[k, j]:+.3f}")
                if ag.shapley is not None:
                    cells.append(f"{ag.shapley[k, j]:+.3f}")
            table.add_row(issue, *cells)
        console.print(table)
        for j, p in enumerate(a.parties):
            console.print(
                f"Best agenda for {p}: {', '.join(ag.agenda_names(ag.best[j])) or '(none)'} "
                f"({ag.utilities[ag.best[j], j]:.3f})"
            )
    if a.chips is not None:
        ch = a.chips
        i_name, j_name = ch.parties
        table = Table(title=f"Bargaining chips ({i_name} / {j_name})")
        for col in (
            "issue",
            "relation",
            f"importance {i_name}",
            f"importance {j_name}",
            f"rate {i_name}→{j_name}",
        ):
            table.add_column(col)
        for t in ch.issues:
            table.add_row(
                t.name,
                t.relation,
                f"{t.importance[0]:.3f}",
                f"{t.importance[1]:.3f}",
                f"{t.rate:.2f}",
            )
        console.print(table)
        if ch.logrolls and top_gain(ch) is not None:
            top = ch.logrolls[0]
            console.print(
                f"Largest logroll: {i_name} wins {top.names[0]}, {j_name} wins {top.names[1]} "
                f"(joint gain {top_gain(ch):+.3f}); {len(ch.logrolls)} logroll(s) in all, "
                f"{len(ch.mutual_logrolls)} helping both sides."
            )
        elif ch.logrolls:
            console.print(
                f"{len(ch.logrolls)} logroll(s); their gains over issue-by-issue talks are "
                "undefined without a disagreement option on every issue."
            )
    if a.leverage is not None:
        lv = a.leverage
        for j, p in enumerate(a.parties):
            best = lv.best_threat(j)
            threat = (
                ""
                if best is None
                else (
                    f"; its strongest threat: {best.issue} falls back to {best.option} ({best.change[j]:+.3f})"
                )
            )
            console.print(
                f"Leverage {p}: +0.1 of walk-away moves its deal by {0.1 * lv.slope(j):+.3f}{threat}"
            )

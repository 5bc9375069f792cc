"""The NegMAS half of ``bench_negotiate.py``: run with the throw-away NegMAS environment's Python.

Not part of zopa and never imported by it. It calls only NegMAS's public API the way a NegMAS user
would: ``Scenario.from_genius_files`` (GENIUS XML, read once), then for each run a fresh
``SAOMechanism(n_steps=STEPS)`` with a ``BoulwareTBNegotiator`` in the first seat and a
``ConcederTBNegotiator`` in the second, ``run()``.

Usage: ``python _negmas_negotiate_side.py DOMAIN.xml PROFILE_A.xml PROFILE_B.xml RUNS STEPS``
prints one JSON object on stdout: the NegMAS version, the wall time of loading and of each run
(``time.perf_counter``, the mechanism and negotiators built inside the timed run), and of the first
run the agreement (``{issue: value}``), the step it ended at, the relative time, each party's
utility by NegMAS's ufuns (its reserved value without agreement) and the offers made.
"""

from __future__ import annotations

import json
import sys
import time


def main(domain: str, profile_a: str, profile_b: str, runs: int, steps: int) -> None:
    import negmas
    from negmas import SAOMechanism
    from negmas.inout import Scenario
    from negmas.sao import BoulwareTBNegotiator, ConcederTBNegotiator

    start = time.perf_counter()
    scenario = Scenario.from_genius_files(domain, [profile_a, profile_b])
    load_s = time.perf_counter() - start
    if scenario is None:
        raise SystemExit(f"NegMAS could not read {domain}")
    ufuns = scenario.ufuns
    names = [issue.name for issue in scenario.outcome_space.issues]
    times: list[float] = []
    first: dict[str, object] = {}
    for k in range(runs):
        start = time.perf_counter()
        mechanism = SAOMechanism(outcome_space=scenario.outcome_space, n_steps=steps)
        mechanism.add(BoulwareTBNegotiator(name="boulware"), ufun=ufuns[0])
        mechanism.add(ConcederTBNegotiator(name="conceder"), ufun=ufuns[1])
        state = mechanism.run()
        times.append(time.perf_counter() - start)
        if k == 0:
            agreement = state.agreement
            if agreement is None:
                utilities = [float(u.reserved_value) for u in ufuns]
            else:
                utilities = [float(u(agreement)) for u in ufuns]
            seats = {nid: k for k, nid in enumerate(mechanism.negotiator_ids)}
            offers = [
                {"step": int(step), "seat": seats.get(who), "offer": [str(v) for v in offer]}
                for step, who, offer in mechanism.extended_trace
                if offer is not None
            ]
            first = {
                "agreement": None
                if agreement is None
                else {n: str(v) for n, v in zip(names, agreement, strict=True)},
                "step": int(state.step),
                "relative_time": float(state.relative_time),
                "timedout": bool(state.timedout),
                "broken": bool(state.broken),
                "utilities": utilities,
                "offers": offers,
            }
    print(
        json.dumps(
            {
                "version": negmas.__version__,
                "load_s": load_s,
                "times_s": times,
                "outcomes": int(scenario.outcome_space.cardinality),
                **first,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))

"""The decide half of ``bench_exchange.py``: run with a Python that has decide-exchange-model.

Not part of zopa and never imported by it. It only calls decide-exchange-model 2025.3.1's public
API (``InputDataFile``, ``ModelFactory``, ``EqualGainModel``, ``Observable``, ``ModelLoop``) the
way a decide user would, with the documented switch ``EqualGainModel.ALLOW_RANDOM = False`` (no
random tie-breaking, as in the reference numbers) and no observers (model only, nothing written).

Usage: ``python _decide_side.py INPUT_FILE [ROUNDS] [REPEATS]`` prints one JSON object on stdout:
decide's version, the wall time of each repeat (``time.perf_counter``; building the model from the
parsed file and running ``ROUNDS`` rounds, default 10), the outcome of every round on the issues'
scales (decide's "voting" compromise), and the executed exchanges of the last repeat.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model import equalgain
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop


def main() -> None:
    path = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    equalgain.EqualGainModel.ALLOW_RANDOM = False
    factory = ModelFactory(InputDataFile.open(path))
    times: list[float] = []
    outcomes: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeats):
            outcomes = []
            start = time.perf_counter()
            model = factory(model_klass=equalgain.EqualGainModel, randomized_value=None)
            loop = ModelLoop(model, Observable(model_ref=model, output_directory=Path(out)), 0)
            for _ in range(rounds):
                loop.loop()
                outcomes.append({k.name: float(k.de_normalize(v)) for k, v in model.nbs.items()})
            times.append(time.perf_counter() - start)
    print(
        json.dumps(
            {"version": version("decide-exchange-model"), "seconds": times, "outcomes": outcomes}
        )
    )


if __name__ == "__main__":
    main()

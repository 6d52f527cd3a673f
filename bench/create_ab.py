"""Create's throughput at an earlier commit and now, alternated in one sitting.

    .venv/bin/python bench/create_ab.py --before-src ../wt-before/src \
        --before-state ../wt-before/bench/results/touchpoint_before.json [--rounds 3]

The earlier commit's code is served from its own source tree (PYTHONPATH) on its own bench
database, loaded by that commit's own `bench/run.py --load-only --database touchpoint_before`;
the current code on `touchpoint_bench` (`bench/run.py --load-only`). Both services run side by
side, two workers each, and wrk's create load (32 connections, 20 s) alternates between them,
so drift in the machine falls on both alike. Prints requests per second of each run.
"""

import argparse
import json
import statistics
import sys
from contextlib import ExitStack
from pathlib import Path

import service
from dataset import _dataset, service_env
from loadgen import Load, run_wrk
from run import SECRET_KEY, wrk_env
from tools import RESULTS_DIR, log, psql, wait_for_quiet


def _target(database: str, state: Path, extra_env: dict[str, str]) -> tuple[dict[str, str], object]:
    dataset = _dataset(database, json.loads(state.read_text()))
    return {**service_env(database, SECRET_KEY), **extra_env}, dataset


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-src", type=Path, required=True)
    parser.add_argument("--before-state", type=Path, required=True)
    parser.add_argument("--before-database", default="touchpoint_before")
    parser.add_argument("--database", default="touchpoint_bench")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args(argv)
    targets = {
        "before": _target(
            args.before_database,
            args.before_state,
            {"PYTHONPATH": str(args.before_src.resolve())},
        ),
        "now": _target(args.database, RESULTS_DIR / f"{args.database}.json", {}),
    }
    load = Load(seconds=args.seconds)
    figures: dict[str, list[float]] = {name: [] for name in targets}
    with ExitStack() as stack:
        wrk: dict[str, tuple[str, dict[str, str]]] = {}
        for port, (name, (env, dataset)) in zip((8078, 8077), targets.items(), strict=True):
            svc = stack.enter_context(service.running(env, port, 2))
            wrk[name] = (svc.base_url, wrk_env(service.fresh_token(svc, dataset), dataset))
            run_wrk("create.lua", *wrk[name], load, warmup=True)
        for round_number in range(args.rounds):
            for name, (base_url, env) in wrk.items():
                psql(targets[name][1].database, "CHECKPOINT", timeout=300)  # type: ignore[attr-defined]
                wait_for_quiet(60)
                result = run_wrk("create.lua", base_url, env, load)
                if not result.valid:
                    log(f"{name}: invalid run ({result.non2xx} non-2xx): {result.bad_sample}")
                    return 1
                figures[name].append(result.rps)
                log(f"round {round_number + 1} {name}: {result.rps:.0f} creates/s")
    for name, values in figures.items():
        runs = ", ".join(f"{value:.0f}" for value in values)
        print(f"{name}: median {statistics.median(values):.0f} creates/s ({runs})")
    ratio = statistics.median(figures["now"]) / statistics.median(figures["before"])
    print(f"now / before: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

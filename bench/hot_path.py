"""The hot calls' service CPU per request beside `GET /healthz`'s, API runs only: the quick
loop for work on the hot path (`make bench` also replays the statements on pgbench).

Run after `make bench` or `bench/run.py --load-only` (it reuses the loaded database):
    .venv/bin/python bench/hot_path.py [--seconds 10] [--warmup 3]
"""

import sys

import run
from tools import BenchError, ensure_wrk, log


def measure(argv: list[str]) -> int:
    args = run.parse_args(["--reuse", "--seconds", "10", "--warmup", "3", *argv])
    ensure_wrk()
    rows = []
    with run.serving_reused(args) as session:
        floor = run.measure_floor(session)
        for call in run.CALLS:
            wrk_env = run.wrk_env(session.token, session.dataset)
            api, used = run.measure_api(session, call.wrk_script, wrk_env, call.name)
            rows.append((call.name, api.rps, used.service_ms))
    floor_ms = floor.api_cpu.service_ms
    print(f"| call | req/s | service ms | x /healthz ({floor_ms:.3f} ms) |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| healthz | {floor.api.rps:,.0f} | {floor_ms:.3f} | 1.0 |")
    for name, rps, service_ms in rows:
        print(f"| {name} | {rps:,.0f} | {service_ms:.3f} | {service_ms / floor_ms:.1f} |")
    return 0


def main(argv: list[str]) -> int:
    try:
        return measure(argv)
    except BenchError as error:
        log(f"failed: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

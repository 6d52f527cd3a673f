"""The hot calls' service CPU per request beside `GET /healthz`'s, API runs only: the quick
loop for work on the hot path (`make bench` also replays the statements on pgbench).

Run after `make bench` or `bench/run.py --load-only` (it reuses the loaded database):
    .venv/bin/python bench/hot_path.py [--seconds 10] [--warmup 3]
"""

import sys

import run
import service
from dataset import prepare, service_env
from tools import BenchError, ensure_wrk, log


def measure(argv: list[str]) -> int:
    args = run.parse_args(["--reuse", "--seconds", "10", "--warmup", "3", *argv])
    ensure_wrk()
    dataset = prepare(
        args.database,
        run.SECRET_KEY,
        reuse=True,
        accounts=args.accounts,
        activities=args.activities,
    )
    env = service_env(args.database, run.SECRET_KEY, args.pool_size)
    rows = []
    with service.running(env, args.port, args.workers) as svc:
        session = run.Session(args, svc, dataset, service.fresh_token(svc, dataset))
        floor = run.measure_floor(session)
        for call in run.CALLS:
            wrk_env = run.wrk_env(session.token, dataset)
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

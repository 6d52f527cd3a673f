"""Reads under bursts of wrong sign-ins: what a password-guessing burst costs everyone else.

Serves a small bench database with `touchpoint serve --workers 2`, then loads
`GET /v1/activities/{id}` with wrk three times: quiet, while waves of 100 concurrent wrong
sign-ins for ever new emails arrive (every one of them costs a password hash), and while the
waves all guess one email (the failed-sign-in limit answers most of them 429 without hashing).
Prints a markdown table and writes it to bench/results/sign-in-burst.md.

    .venv/bin/python bench/sign_in_burst.py [--seconds 20] [--connections 8] [--reuse]
"""

import argparse
import asyncio
import json
import platform
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import service
from dataset import Dataset, prepare, service_env
from loadgen import Load, WrkResult, run_wrk
from run import SECRET_KEY, wrk_env
from tools import RESULTS_DIR, ensure_wrk, log

DATABASE = "touchpoint_bench_sign_in"
PORT = 8078
WAVE = 100


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--reuse", action="store_true", help="reuse the loaded database")
    parser.add_argument("--burst", nargs=5, metavar=("URL", "KEY", "ORG", "SECONDS", "MODE"))
    return parser.parse_args(argv)


async def _burst(url: str, key: str, org: str, seconds: float, mode: str) -> dict[str, object]:
    """Waves of WAVE concurrent wrong sign-ins until `seconds` pass; their statuses and times."""
    import httpx  # the bench's own venv has it (a dev dependency)

    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    headers = {"X-API-Key": key, "X-Org-Id": org}
    limits = httpx.Limits(max_connections=WAVE)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=60) as http:

        async def attempt() -> None:
            email = "burst-one@example.com" if mode == "one" else f"{uuid.uuid4()}@example.com"
            started = time.perf_counter()
            try:
                response = await http.post(
                    "/v1/auth/token", json={"email": email, "password": "wrong guess"}
                )
                statuses[str(response.status_code)] += 1
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1
            latencies.append(1000 * (time.perf_counter() - started))

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            await asyncio.gather(*(attempt() for _ in range(WAVE)))
    latencies.sort()
    return {
        "statuses": dict(statuses),
        "attempts": len(latencies),
        "p50_ms": latencies[len(latencies) // 2] if latencies else 0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else 0,
    }


def _reads(svc: service.Service, token: str, dataset: Dataset, load: Load) -> WrkResult:
    return run_wrk("get.lua", svc.base_url, wrk_env(token, dataset), load)


def _reads_during_burst(
    svc: service.Service, token: str, dataset: Dataset, load: Load, mode: str
) -> tuple[WrkResult, dict[str, Any]]:
    arguments = [svc.base_url, dataset.api_key, str(dataset.org_id), str(load.seconds), mode]
    burst = subprocess.Popen(
        [sys.executable, __file__, "--burst", *arguments],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent,
    )
    try:
        time.sleep(1)  # the first wave is in flight before the reads start
        reads = _reads(svc, token, dataset, load)
        output, _ = burst.communicate(timeout=load.seconds + 120)
    finally:
        burst.kill()
    return reads, json.loads(output.strip().splitlines()[-1])


def _row(label: str, reads: WrkResult, burst: dict[str, Any] | None) -> str:
    sign_ins = "—"
    if burst is not None:
        counted: dict[str, int] = burst["statuses"]
        statuses = ", ".join(f"{code}: {count}" for code, count in sorted(counted.items()))
        sign_ins = (
            f"{burst['attempts']} ({statuses}); p50 {burst['p50_ms']:.0f} ms,"
            f" p99 {burst['p99_ms']:.0f} ms"
        )
    return (
        f"| {label} | {reads.rps:,.0f} | {reads.p50_ms:.2f} | {reads.p99_ms:.2f} |"
        f" {reads.max_ms:.0f} | {reads.non2xx} | {sign_ins} |"
    )


def bench(args: argparse.Namespace) -> str:
    ensure_wrk()
    dataset = prepare(DATABASE, SECRET_KEY, reuse=args.reuse, accounts=100, activities=20_000)
    load = Load(connections=args.connections, threads=2, seconds=args.seconds)
    with service.running(service_env(DATABASE, SECRET_KEY), PORT, workers=2) as svc:
        token = service.fresh_token(svc, dataset)
        run_wrk("get.lua", svc.base_url, wrk_env(token, dataset), load, warmup=True)
        rows = [_row("quiet", _reads(svc, token, dataset, load), None)]
        for mode, label in (("many", "burst, a new email each"), ("one", "burst, one email")):
            reads, burst = _reads_during_burst(svc, token, dataset, load, mode)
            rows.append(_row(label, reads, burst))
            log(rows[-1])
    header = [
        f"Sign-in bursts, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()},"
        f" {platform.processor() or platform.machine()}; reads: wrk -t2 -c{args.connections}"
        f" -d{args.seconds}s GET /v1/activities/{{id}}; bursts: waves of {WAVE} concurrent wrong"
        " sign-ins, back to back.",
        "",
        "| reads while | req/s | p50 ms | p99 ms | max ms | non-2xx |"
        " wrong sign-ins (statuses); latency |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    return "\n".join([*header, *rows]) + "\n"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.burst:
        url, key, org, seconds, mode = args.burst
        print(json.dumps(asyncio.run(_burst(url, key, org, float(seconds), mode))))
        return 0
    table = bench(args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "sign-in-burst.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

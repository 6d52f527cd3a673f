"""wrk against the service, pgbench against PostgreSQL, and what each reports."""

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tools import BENCH_DIR, PG_HOST, PG_PORT, PG_USER, PGBENCH, BenchError, run

WRK_DIR = BENCH_DIR / "wrk"
PGBENCH_DIR = BENCH_DIR / "pgbench"


@dataclass(frozen=True, slots=True)
class Load:
    """Concurrency and duration shared by every wrk and pgbench run."""

    connections: int = 32
    threads: int = 2
    seconds: int = 20
    warmup_seconds: int = 5


@dataclass(frozen=True, slots=True)
class WrkResult:
    requests: int
    seconds: float
    mean_ms: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    non2xx: int
    socket_errors: int
    bad_sample: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def valid(self) -> bool:
        return self.requests > 0 and self.non2xx == 0 and self.socket_errors == 0


@dataclass(frozen=True, slots=True)
class PgbenchResult:
    tps: float
    latency_ms: float
    transactions: int
    failed: int


def _wrk_summary(output: str) -> WrkResult:
    line = next((x for x in output.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no summary:\n{output[-2000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    bad = next((x for x in output.splitlines() if x.startswith("BENCH_BAD ")), "")
    socket_errors = sum(raw[key] for key in ("connect_errors", "read_errors", "write_errors"))
    return WrkResult(
        requests=raw["requests"],
        seconds=raw["duration_us"] / 1e6,
        mean_ms=raw["mean_us"] / 1000,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        # wrk counts statuses >= 400; the warm-up's strict check counts anything but 2xx.
        non2xx=max(raw["status_errors"], raw["checked_non2xx"]),
        socket_errors=socket_errors + raw["timeouts"],
        bad_sample=bad.removeprefix("BENCH_BAD "),
    )


def run_wrk(
    script: str, base_url: str, env: dict[str, str], load: Load, *, warmup: bool = False
) -> WrkResult:
    """wrk with keep-alive and --latency; a warm-up run also checks every status is 2xx."""
    seconds = load.warmup_seconds if warmup else load.seconds
    command = ["wrk", "-t", str(load.threads), "-c", str(load.connections)]
    command += ["-d", f"{seconds}s", "--timeout", "10s", "--latency", "-s", script, base_url]
    full_env = {**os.environ, **env, "TP_CHECK": "1" if warmup else "0"}
    output = run(command, timeout=seconds + 60, env=full_env, cwd=WRK_DIR)
    return _wrk_summary(output)


def _number(pattern: str, output: str) -> float:
    found = re.search(pattern, output, re.MULTILINE)
    if found is None:
        raise BenchError(f"pgbench output has no /{pattern}/:\n{output[-2000:]}")
    return float(found.group(1))


def run_pgbench(script: Path, database: str, defines: dict[str, str], load: Load) -> PgbenchResult:
    """pgbench at the same concurrency, prepared statements (as asyncpg sends them)."""
    command = [PGBENCH, "-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-n", "-M", "prepared"]
    command += ["-c", str(load.connections), "-j", str(load.threads), "-T", str(load.seconds)]
    for name, value in defines.items():
        command += ["-D", f"{name}={value}"]
    output = run([*command, "-f", str(script), database], timeout=load.seconds + 120)
    failed = re.search(r"^number of failed transactions: (\d+)", output, re.MULTILINE)
    return PgbenchResult(
        tps=_number(r"^tps = ([\d.]+)", output),
        latency_ms=_number(r"^latency average = ([\d.]+) ms", output),
        transactions=int(_number(r"^number of transactions actually processed: (\d+)", output)),
        failed=int(failed.group(1)) if failed else 0,
    )


def request_statements(scripts: list[Path], target: Path, transaction: bool) -> Path:
    """The scripts' statements in one pgbench transaction, as the service sends them: in
    BEGIN … COMMIT when the service runs the request in a transaction, else one by one."""
    meta: list[str] = []
    statements: list[str] = []
    for script in scripts:
        for line in script.read_text().splitlines():
            (meta if line.startswith(("\\", "--")) else statements).append(line)
    if transaction:
        statements = ["BEGIN;", *statements, "COMMIT;"]
    target.write_text("\n".join([*meta, *statements]) + "\n")
    return target

"""Paths, bounded subprocess calls, and installing the load tools when they are missing."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
VENV_BIN = Path(sys.prefix) / "bin"
PG_HOST = "127.0.0.1"
PG_PORT = "5432"
PG_USER = "postgres"
PGBENCH = "/usr/bin/pgbench"
# The idle CPU share below which the machine counts as busy with others' work.
QUIET_IDLE = 0.85


class BenchError(RuntimeError):
    """The bench cannot go on (a tool missing, a step failed)."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(
    command: list[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    input_text: str | None = None,
) -> str:
    """Runs a command to its end (at most `timeout` seconds) and returns its stdout."""
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=cwd,
            input=input_text,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{command[0]} took more than {timeout:.0f} s") from error
    if done.returncode != 0:
        raise BenchError(
            f"{' '.join(command[:3])} … exited {done.returncode}:\n{done.stderr[-3000:]}"
        )
    return done.stdout


def _apt_install(package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run(["apt-get", "install", "-y", "-q", package], timeout=600, env=env)
    except BenchError:
        log("apt-get install failed; running apt-get update first")
        run(["apt-get", "update", "-q"], timeout=600, env=env)
        run(["apt-get", "install", "-y", "-q", package], timeout=600, env=env)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found is None:
        log("installing wrk from Debian's packages")
        _apt_install("wrk")
        found = shutil.which("wrk")
    if found is None:
        raise BenchError("wrk is still missing after apt-get install wrk")
    return found


def ensure_pgbench() -> str:
    if not Path(PGBENCH).exists():
        raise BenchError(f"{PGBENCH} is missing (Debian package postgresql-client)")
    return PGBENCH


def ensure_py_spy() -> str:
    py_spy = VENV_BIN / "py-spy"
    if not py_spy.exists():
        log("installing py-spy into the venv")
        run([str(VENV_BIN / "pip"), "install", "--quiet", "py-spy"], timeout=600)
    return str(py_spy)


def psql(database: str, sql: str, *, timeout: float = 120) -> str:
    """Runs SQL (stops at the first error) and returns its unaligned, tuples-only output."""
    command = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    command += ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", database]
    return run([*command, "-c", sql], timeout=timeout).strip()


def psql_file(database: str, path: Path, variables: dict[str, str], *, timeout: float) -> None:
    command = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1"]
    command += ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER, "-d", database]
    for name, value in variables.items():
        command += ["-v", f"{name}={value}"]
    run([*command, "-f", str(path)], timeout=timeout)


def database_url(database: str) -> str:
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{database}"


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return fields[3] + fields[4], sum(fields)


def cpu_idle(seconds: float = 2.0) -> float:
    """The share of the machine's CPU time that was idle over the next `seconds`."""
    idle_before, total_before = _cpu_times()
    time.sleep(seconds)
    idle_after, total_after = _cpu_times()
    return (idle_after - idle_before) / max(1, total_after - total_before)


def wait_for_quiet(max_wait: float, threshold: float = QUIET_IDLE) -> float:
    """Waits (at most max_wait s) until others leave the CPU idle; returns the last idle share."""
    deadline = time.monotonic() + max_wait
    idle = cpu_idle()
    while idle < threshold and time.monotonic() < deadline:
        log(f"the machine is busy ({100 * (1 - idle):.0f} % CPU used by others); waiting")
        time.sleep(5)
        idle = cpu_idle()
    if idle < threshold:
        log(f"still busy after {max_wait:.0f} s: measuring anyway ({100 * idle:.0f} % idle)")
    return idle

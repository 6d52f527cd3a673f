"""`make bench`: the service's hot calls under wrk, beside the same SQL under pgbench.

Creates (or with --reuse, reuses) a PostgreSQL database with one organization, 1,000 accounts
and 1,000,000 activities, serves it with `touchpoint serve --workers 2`, measures create, get
and list with wrk and their SQL with pgbench at the same concurrency, then list-50 at page 1 and
after 10,000 pages. Prints one markdown table and writes it to bench/results/latest.md.
See bench/README.md.
"""

import argparse
import hashlib
import json
import platform
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TypeVar

import cpu
import deep_paging
import profiling
import report
import service
from cpu import CpuUse
from dataset import Dataset, describe, prepare, service_env
from loadgen import (
    PGBENCH_DIR,
    Load,
    PgbenchResult,
    WrkResult,
    request_statements,
    run_pgbench,
    run_wrk,
)
from report import CallResult, PageResult
from tools import (
    RESULTS_DIR,
    BenchError,
    ensure_pgbench,
    ensure_py_spy,
    ensure_wrk,
    log,
    psql,
    run,
    wait_for_quiet,
)

# Fixed so the bench can sign cursors; a bench database is never a production one.
SECRET_KEY = "touchpoint-bench-secret-key-for-signing-cursors-only"


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    request: str
    wrk_script: str
    pgbench_script: str
    # How core.database.unit_of_work runs the request: writes in BEGIN … COMMIT, reads (GET)
    # in autocommit since commit 887edfd. Only the "request's statements" pgbench uses it,
    # with the request's further statements (a create also writes its change history).
    transaction: bool
    further: tuple[str, ...] = ()


# In run order: create last, because it adds rows.
CALLS = (
    Call("get", "GET /v1/activities/{id}", "get.lua", "get.sql", transaction=False),
    Call(
        "list",
        "GET /v1/accounts/{id}/activities?limit=50",
        "list.lua",
        "list.sql",
        transaction=False,
    ),
    Call(
        "create",
        "POST /v1/activities",
        "create.lua",
        "create.sql",
        transaction=True,
        further=("history.sql", "engagement.sql"),
    ),
)
REPORT_ORDER = ("create", "get", "list")
# A run during which processes not serving the bench used more of the cores is repeated.
NOISY_SHARE = 0.05
Measured = TypeVar("Measured")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep an earlier loaded database")
    parser.add_argument("--database", default="touchpoint_bench")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pool-size", type=int, help="TOUCHPOINT_DATABASE_POOL_SIZE (unset: the service's default)"
    )
    parser.add_argument("--seconds", type=int, default=20, help="each measured run")
    parser.add_argument("--warmup", type=int, default=5, help="warm-up before each API run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument(
        "--deep-pages",
        type=int,
        default=deep_paging.PAGES_SKIPPED,
        help="pages the deep cursor skips",
    )
    parser.add_argument(
        "--wait-quiet", type=float, default=120, help="s to wait for others to leave the CPU idle"
    )
    parser.add_argument(
        "--attempts", type=int, default=3, help="runs of a measurement others' load disturbed"
    )
    parser.add_argument("--load-only", action="store_true", help="prepare the database, then stop")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the workers during each API run"
    )
    parser.add_argument(
        "--no-transactions",
        action="store_true",
        help="skip pgbench of every statement of a request (auth query, statement)",
    )
    return parser.parse_args(argv)


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the service is stopped by its context manager."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


@dataclass(frozen=True, slots=True)
class Session:
    """What every measurement needs: the options, the running service and the data."""

    args: argparse.Namespace
    svc: service.Service
    dataset: Dataset
    token: str

    @property
    def load(self) -> Load:
        args = self.args
        return Load(args.connections, args.threads, args.seconds, args.warmup)

    def sessions(self) -> int:
        """Connections the bench database has accepted so far."""
        query = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
        return int(psql(self.args.database, query))

    def quiet(self, label: str) -> None:
        psql(self.args.database, "CHECKPOINT", timeout=300)
        idle = wait_for_quiet(self.args.wait_quiet)
        log(f"{label}: {100 * idle:.0f} % of the cores idle before the run")


def auth_headers(token: str, dataset: Dataset) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "X-API-Key": dataset.api_key,
        "X-Org-Id": str(dataset.org_id),
    }


def wrk_env(token: str, dataset: Dataset) -> dict[str, str]:
    return {
        "TP_TOKEN": token,
        "TP_API_KEY": dataset.api_key,
        "TP_ORG_ID": str(dataset.org_id),
        "TP_MIN_ID": str(dataset.activity_min),
        "TP_MAX_ID": str(dataset.activity_max),
        "TP_ACCOUNT_MIN": str(dataset.account_min),
        "TP_ACCOUNT_MAX": str(dataset.account_max),
    }


def pgbench_defines(dataset: Dataset) -> dict[str, str]:
    return {
        "org_id": str(dataset.org_id),
        "user_id": str(dataset.user_id),
        "min_id": str(dataset.activity_min),
        "max_id": str(dataset.activity_max),
        "account_min": str(dataset.account_min),
        "account_max": str(dataset.account_max),
        "key_hash": hashlib.sha256(dataset.api_key.encode()).hexdigest(),
        "key_id": str(dataset.api_key_id),
    }


def _describe_wrk(name: str, result: WrkResult) -> str:
    return (
        f"{name}: {result.rps:,.0f} req/s, p50 {result.p50_ms:.2f} ms,"
        f" p99 {result.p99_ms:.2f} ms, non-2xx {result.non2xx}, socket errors"
        f" {result.socket_errors}"
    )


def _cleanest(
    session: Session, name: str, attempt: Callable[[], tuple[Measured, CpuUse]]
) -> tuple[Measured, CpuUse]:
    """Runs `attempt` again (at most --attempts times) while others' processes took more than
    NOISY_SHARE of the cores during it; keeps the run they disturbed least."""
    best = attempt()
    for _ in range(session.args.attempts - 1):
        if best[1].others_share <= NOISY_SHARE:
            break
        log(f"{name}: others used {100 * best[1].others_share:.0f} % of the cores; once more")
        session.quiet(name)
        again = attempt()
        best = again if again[1].others_share < best[1].others_share else best
    return best


def _run_wrk_once(
    session: Session, script: str, env: dict[str, str], name: str
) -> tuple[WrkResult, CpuUse]:
    pids = [session.svc.pid, *session.svc.worker_pids()]
    sessions = session.sessions()
    before = cpu.sample(pids, session.args.database)
    result = run_wrk(script, session.svc.base_url, env, session.load)
    used = cpu.use(before, cpu.sample(pids, session.args.database), result.requests)
    log(_describe_wrk(name, result) + f", others {100 * used.others_share:.0f} % of the cores")
    return result, replace(used, connections=session.sessions() - sessions)


@contextmanager
def serving_reused(args: argparse.Namespace) -> Iterator[Session]:
    """The loaded bench database (reused, not reloaded), served, with a fresh token: what the
    API-only tools (bench/hot_path.py, bench/profile_workers.py) measure against."""
    dataset = prepare(
        args.database,
        SECRET_KEY,
        reuse=True,
        accounts=args.accounts,
        activities=args.activities,
    )
    env = service_env(args.database, SECRET_KEY, args.pool_size)
    with service.running(env, args.port, args.workers) as svc:
        yield Session(args, svc, dataset, service.fresh_token(svc, dataset))


def measure_api(
    session: Session, script: str, env: dict[str, str], name: str
) -> tuple[WrkResult, CpuUse]:
    """Warm-up (every status checked 2xx), then the measured run, py-spy beside it if asked."""
    session.quiet(f"{name} API")
    warm = run_wrk(script, session.svc.base_url, env, session.load, warmup=True)
    log(_describe_wrk(f"{name} warm-up", warm))
    if not warm.valid:
        raise BenchError(f"{name}: the warm-up got errors, first: {warm.bad_sample or '?'}")
    if not session.args.profile:
        return _cleanest(session, name, lambda: _run_wrk_once(session, script, env, name))
    seconds = session.load.seconds
    recording = profiling.start(ensure_py_spy(), session.svc.pid, seconds, name)
    measured = _run_wrk_once(session, script, env, name)
    profiling.finish(*recording, seconds)
    return measured


def _run_pgbench_once(session: Session, name: str, script: Path) -> tuple[PgbenchResult, CpuUse]:
    pids = [session.svc.pid, *session.svc.worker_pids()]
    sessions = session.sessions()
    before = cpu.sample(pids, session.args.database)
    defines = pgbench_defines(session.dataset)
    result = run_pgbench(script, session.args.database, defines, session.load)
    used = cpu.use(before, cpu.sample(pids, session.args.database), result.transactions)
    log(
        f"{name} pgbench: {result.tps:,.0f} tps, mean {result.latency_ms:.2f} ms,"
        f" failed {result.failed}, others {100 * used.others_share:.0f} % of the cores"
    )
    return result, replace(used, connections=session.sessions() - sessions)


def measure_sql(session: Session, name: str, script: Path) -> tuple[PgbenchResult, CpuUse]:
    session.quiet(f"{name} pgbench")
    label = f"{name} pgbench"
    return _cleanest(session, label, lambda: _run_pgbench_once(session, name, script))


def measure_call(session: Session, call: Call) -> CallResult:
    env = wrk_env(session.token, session.dataset)
    api, api_cpu = measure_api(session, call.wrk_script, env, call.name)
    script = PGBENCH_DIR / call.pgbench_script
    raw, raw_cpu = measure_sql(session, call.name, script)
    whole = None
    if not session.args.no_transactions:
        target = RESULTS_DIR / f"request-{call.pgbench_script}"
        wrapped = request_statements(
            [PGBENCH_DIR / "auth.sql", script, *(PGBENCH_DIR / name for name in call.further)],
            target,
            call.transaction,
        )
        whole, _ = measure_sql(session, f"{call.name} request's round trips", wrapped)
    return CallResult(call.name, call.request, api, api_cpu, raw, raw_cpu, whole)


def _check_page(session: Session, path: str) -> None:
    headers = auth_headers(session.token, session.dataset)
    status, body = service.get_json(session.svc, path, headers)
    rows = body.get("data") if isinstance(body, dict) else None
    if status != 200 or not isinstance(rows, list) or len(rows) != deep_paging.PAGE_SIZE:
        raise BenchError(f"GET {path} answered {status}: {str(body)[:300]}")


def measure_pages(session: Session) -> list[PageResult]:
    """Org-wide list-50 at page 1 and after 10,000 pages (a cursor at row 500,000)."""
    dataset, deep_pages = session.dataset, session.args.deep_pages
    position = deep_paging.position_after_pages(dataset, deep_pages)
    cursor = deep_paging.cursor_for(SECRET_KEY, position)
    first = "/v1/activities?limit=50"
    pages = (
        ("page-1", "page 1", first, None),
        ("deep", f"after {deep_pages:,} pages", f"{first}&cursor={cursor}", position),
    )
    results = []
    for name, page, path, after in pages:
        _check_page(session, path)
        env = {**wrk_env(session.token, dataset), "TP_PATH": path}
        api, api_cpu = measure_api(session, "path.lua", env, f"paging-{name}")
        sql_ms = deep_paging.execution_ms(dataset, deep_paging.list_sql(dataset, after))
        shown = first if after is None else f"{first}&cursor=…"
        results.append(PageResult(page, shown, api, api_cpu, sql_ms))
    plans = [deep_paging.plan_text(dataset, deep_paging.list_sql(dataset, p[3])) for p in pages]
    (RESULTS_DIR / "paging-plans.txt").write_text("\n\n".join(plans) + "\n")
    return results


def source() -> str:
    """Which touchpoint is measured: its checkout, commit and uncommitted changes under src/."""
    repo = Path(deep_paging.touchpoint_file()).resolve().parent.parent.parent
    try:
        commit = run(["git", "rev-parse", "--short", "HEAD"], timeout=10, cwd=repo).strip()
        dirty = run(["git", "status", "--porcelain", "--", "src"], timeout=10, cwd=repo)
    except BenchError:
        return f"{repo} (not a git checkout)"
    changes = len(dirty.splitlines())
    return f"{repo} at commit {commit}" + (
        f", {changes} uncommitted changes in src/" if changes else ""
    )


def measure_floor(session: Session) -> PageResult:
    """GET /healthz at the same load: what uvicorn and FastAPI cost with no auth and no SQL."""
    env = {**wrk_env(session.token, session.dataset), "TP_PATH": "/healthz"}
    api, api_cpu = measure_api(session, "path.lua", env, "floor-healthz")
    return PageResult("floor", "/healthz", api, api_cpu, 0.0)


def machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = run(["free", "-h"], timeout=10).splitlines()[1].split()[1]
    load = Path("/proc/loadavg").read_text().split()[:3]
    return [
        f"- date: {run(['date', '-u'], timeout=10).strip()}",
        f"- machine: {run(['nproc'], timeout=10).strip()} cores ({cpu}), {memory} memory",
        f"- load average at the start: {' '.join(load)}",
        f"- PostgreSQL {psql('postgres', 'SHOW server_version')}",
        f"- measured: {source()}",
    ]


def render(
    args: argparse.Namespace,
    dataset: Dataset,
    facts: list[str],
    calls: list[CallResult],
    pages: list[PageResult],
    floor: PageResult,
) -> str:
    ordered = sorted(calls, key=lambda c: REPORT_ORDER.index(c.call))
    lines = ["# Touchpoint bench", "", *facts]
    lines.append(
        f"- load: wrk -t{args.threads} -c{args.connections} -d{args.seconds}s --latency"
        f" (keep-alive, {args.warmup} s warm-up); pgbench -c{args.connections} -j{args.threads}"
        f" -T{args.seconds} -M prepared; service --workers {args.workers}"
        f"{f', pool size {args.pool_size}' if args.pool_size else ''};"
        f" {dataset.activities:,} activities, {args.accounts:,} accounts"
    )
    lines += ["", "## Calls", "", *report.calls_table(ordered)]
    lines += ["", "## Deep paging", "", *report.paging_table(pages)]
    if not args.no_transactions:
        lines += ["", "## Every statement of a request, on pgbench", ""]
        lines += [
            "The authentication query, then the call's statement, as the service sends them:"
            " a write in BEGIN … COMMIT (4 round trips), a read in autocommit (2); same"
            " concurrency.",
            "",
            *report.transaction_table(ordered),
        ]
    lines += ["", "## CPU per request (ms), all processes on the machine's 2 cores", ""]
    lines += [*report.cpu_table(ordered, [*pages, floor])]
    lines += ["", "## The framework's floor: GET /healthz (no authentication, no SQL)", ""]
    lines += [*report.floor_table(floor)]
    valid = report.all_valid(calls, pages) and floor.api.valid
    lines += ["", "## Aims", "", *report.aims(ordered, pages), ""]
    lines.append("All runs valid (no non-2xx, no socket errors, no failed SQL)." if valid else "")
    if not valid:
        lines.append("INVALID: some run had errors; see the non-2xx / socket errors columns.")
    return "\n".join(lines) + "\n"


def save(
    text: str,
    args: argparse.Namespace,
    dataset: Dataset,
    calls: list[CallResult],
    pages: list[PageResult],
) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "latest.md").write_text(text)
    raw = {
        "dataset": describe(dataset),
        "arguments": vars(args),
        "calls": [asdict(call) for call in calls],
        "pages": [asdict(page) for page in pages],
    }
    (RESULTS_DIR / "latest.json").write_text(json.dumps(raw, indent=2, default=str) + "\n")


def bench(args: argparse.Namespace) -> int:
    started = time.monotonic()
    ensure_wrk()
    ensure_pgbench()
    if args.profile:
        ensure_py_spy()
    facts = machine()
    dataset = prepare(
        args.database,
        SECRET_KEY,
        reuse=args.reuse,
        accounts=args.accounts,
        activities=args.activities,
    )
    if args.load_only:
        log(f"--load-only: {dataset.database} is ready")
        return 0
    env = service_env(args.database, SECRET_KEY, args.pool_size)
    with service.running(env, args.port, args.workers) as svc:
        session = Session(args, svc, dataset, service.fresh_token(svc, dataset))
        calls = [measure_call(session, call) for call in CALLS[:2]]
        pages = measure_pages(session)
        calls.append(measure_call(session, CALLS[2]))
        floor = measure_floor(session)
    disturbed = report.noisy(calls, [*pages, floor], NOISY_SHARE)
    facts.append(
        f"- others' processes used <= {100 * NOISY_SHARE:.0f} % of the cores during every run"
        if not disturbed
        else f"- others' processes used more of the cores during: {', '.join(disturbed)}"
    )
    text = render(args, dataset, facts, calls, pages, floor)
    save(text, args, dataset, calls, [*pages, floor])
    print(text)
    log(f"done in {time.monotonic() - started:.0f} s; {RESULTS_DIR / 'latest.md'}")
    return 0 if report.all_valid(calls, pages) and floor.api.valid else 1


def main(argv: list[str]) -> int:
    _stop_on_sigterm()
    args = parse_args(argv)
    log(f"started {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
    try:
        return bench(args)
    except BenchError as error:
        log(f"failed: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Follow-up, search and analysis on the bench's 1,000,000 activities, each beside its SQL.

    .venv/bin/python bench/analysis.py [--reuse] [--requests 300] [--stats-requests 15]

Loads (or, with --reuse, reuses) the `make bench` database, serves it with two workers, and
measures one request at a time, as a user clicking would, the paths in turn: search for two
words matching about 0.1 % of the rows, the follow-up queue, accounts by lastActivityAt and
the plain lists they are held against, the statistics, and the NDJSON export (rows per
second, and how much the serving worker's resident memory grows). Beside each, the statement
the service sends, compiled from its own repository, timed by PostgreSQL (EXPLAIN ANALYZE,
median of 7). Prints a markdown report and writes it to bench/results/analysis.md.
"""

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import service
from dataset import Dataset, prepare, service_env
from run import SECRET_KEY, auth_headers
from sqlalchemy import Select
from sqlalchemy.dialects import postgresql
from tools import RESULTS_DIR, log, psql

from touchpoint.accounts.repository import SORT_ORDERS as ACCOUNT_ORDERS
from touchpoint.accounts.repository import AccountFilters, AccountRepository
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.repository import ActivityRepository
from touchpoint.analysis.repository import AnalysisRepository
from touchpoint.analysis.schemas import GroupKey
from touchpoint.core.full_text import SearchQuery
from touchpoint.core.paging import page_query
from touchpoint.core.tenancy import Principal, Role, TenantScope
from touchpoint.models.activities import ActivityStatus

SEARCH = "amber falcon"
# The repositories only build statements here (compiled for EXPLAIN, never executed): they are
# given a stand-in for a connection that answers which dialect they build for.
_COMPILING_ONLY = SimpleNamespace(dialect=postgresql.dialect())
EXPLAIN_REPEATS = 7


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    path: str
    api_p50_ms: float
    api_p95_ms: float
    sql_ms: float | None
    rows: int


def _scope(dataset: Dataset) -> TenantScope:
    owner = Principal(dataset.org_id, dataset.user_id, "Bench Owner", dataset.email, Role.OWNER, 0)
    return TenantScope(owner)


def _sql(statement: Select[Any]) -> str:
    compiled = statement.compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return str(compiled)


def sql_ms(database: str, sql: str) -> float:
    """PostgreSQL's own execution time for the statement, median of several runs."""
    times = []
    for _ in range(EXPLAIN_REPEATS):
        plan = psql(database, f"EXPLAIN (ANALYZE, BUFFERS) {sql}", timeout=600)
        times.append(float(re.findall(r"Execution Time: ([\d.]+) ms", plan)[-1]))
    return statistics.median(times)


def activity_sql(dataset: Dataset, filters: ActivityFilters, sort: str) -> str:
    repository = ActivityRepository(_COMPILING_ONLY, _scope(dataset))  # type: ignore[arg-type]
    order = repository.sort_order(sort, filters.search)
    statement = repository.reading().where(*repository.conditions(filters))
    return _sql(page_query(statement, order, None, 50))


def account_sql(dataset: Dataset, sort: str) -> str:
    repository = AccountRepository(_COMPILING_ONLY, _scope(dataset))  # type: ignore[arg-type]
    statement = repository.reading().where(*repository.conditions(AccountFilters()))
    return _sql(page_query(statement, ACCOUNT_ORDERS[sort], None, 50))


def stats_sql(dataset: Dataset) -> str:
    repository = AnalysisRepository(_COMPILING_ONLY, _scope(dataset))  # type: ignore[arg-type]
    keys = [GroupKey.TYPE, GroupKey.MONTH]
    return _sql(repository.grouping(keys, "UTC", ActivityFilters()))


def _timed_once(client: httpx.Client, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, len(response.json().get("data", []))


def timed_in_turn(
    client: httpx.Client, paths: list[str], requests: int
) -> dict[str, tuple[list[float], int]]:
    """`requests` rounds of one request per path in turn, so that drift in a busy machine falls
    on every path alike (the comparisons are between paths)."""
    for path in paths:
        for _ in range(5):
            client.get(path).raise_for_status()
    timings: dict[str, tuple[list[float], int]] = {path: ([], 0) for path in paths}
    for _ in range(requests):
        for path in paths:
            elapsed, rows = _timed_once(client, path)
            timings[path] = ([*timings[path][0], elapsed], rows)
    return timings


def figure_of(
    name: str, path: str, timing: tuple[list[float], int], sql: str | None, database: str
) -> Figure:
    latencies, rows = sorted(timing[0]), timing[1]
    figure = Figure(
        name,
        path,
        statistics.median(latencies),
        latencies[int(0.95 * (len(latencies) - 1))],
        sql_ms(database, sql) if sql else None,
        rows,
    )
    log(f"{name}: p50 {figure.api_p50_ms:.1f} ms through the API, SQL {figure.sql_ms} ms")
    return figure


def measure_all(
    client: httpx.Client, dataset: Dataset, database: str, requests: int, stats_requests: int
) -> list[Figure]:
    chosen = scenarios(dataset)
    quick = [scenario for scenario in chosen if "/stats" not in scenario[1]]
    slow = [scenario for scenario in chosen if "/stats" in scenario[1]]
    timings = timed_in_turn(client, [path for _name, path, _sql in quick], requests)
    timings |= timed_in_turn(client, [path for _name, path, _sql in slow], stats_requests)
    return [
        figure_of(name, path, timings[path], make_sql(), database)
        for name, path, make_sql in chosen
    ]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def export(client: httpx.Client, workers: list[int]) -> tuple[float, int, float]:
    """Rows per second of the NDJSON export, rows, and the largest worker RSS growth (MB)."""
    before = {pid: _rss_kib(pid) for pid in workers}
    peak = dict(before)
    rows, started = 0, time.perf_counter()
    with client.stream("GET", "/v1/activities/export", params={"format": "ndjson"}) as answer:
        answer.raise_for_status()
        # Counted in the raw bytes, as `curl > file` would take them: the client's own CPU
        # shares the cores with the service.
        for chunk in answer.iter_raw():
            counted = rows + chunk.count(b"\n")
            if counted // 20_000 > rows // 20_000:
                peak = {pid: max(peak[pid], _rss_kib(pid)) for pid in workers}
            rows = counted
    seconds = time.perf_counter() - started
    growth = max(peak[pid] - before[pid] for pid in workers) / 1024
    return rows / seconds, rows, growth


def scenarios(dataset: Dataset) -> list[tuple[str, str, Callable[[], str | None]]]:
    pending = ActivityFilters(statuses=(ActivityStatus.PENDING.value,), ends_before=_now())
    searched = ActivityFilters(search=SearchQuery.of(SEARCH))
    return [
        (
            "list, newest first",
            "/v1/activities?limit=50",
            lambda: activity_sql(dataset, ActivityFilters(), "-activityTimestamp"),
        ),
        (
            f"search q={SEARCH!r}",
            f"/v1/activities?limit=50&q={SEARCH.replace(' ', '+')}",
            lambda: activity_sql(dataset, searched, "relevance"),
        ),
        (
            "follow-ups when=overdue",
            "/v1/follow-ups?when=overdue&limit=50",
            lambda: activity_sql(dataset, pending, "activityTimestamp"),
        ),
        (
            "accounts, newest first",
            "/v1/accounts?limit=50",
            lambda: account_sql(dataset, "-createdAt"),
        ),
        (
            "accounts sort=lastActivityAt",
            "/v1/accounts?limit=50&sort=lastActivityAt",
            lambda: account_sql(dataset, "lastActivityAt"),
        ),
        (
            "stats groupBy=type,month",
            "/v1/activities/stats?groupBy=type,month",
            lambda: stats_sql(dataset),
        ),
    ]


def _now() -> datetime:
    return datetime.now(UTC)


def report(figures: list[Figure], exported: tuple[float, int, float], machine: str) -> str:
    lines = [
        "# Follow-up, search and analysis on 1,000,000 activities",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}; one request at a time, owner's"
        " credentials, the paths in turn (stats apart); SQL = the repository's statement under"
        " EXPLAIN ANALYZE (median of 7).",
        "",
        "| request | rows | API p50 ms | API p95 ms | SQL ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for figure in figures:
        sql = f"{figure.sql_ms:.1f}" if figure.sql_ms is not None else "see below"
        lines.append(
            f"| `{figure.path}` | {figure.rows} | {figure.api_p50_ms:.1f}"
            f" | {figure.api_p95_ms:.1f} | {sql} |"
        )
    per_second, rows, growth = exported
    lines += [
        "",
        f"Export (NDJSON): {rows:,} rows at {per_second:,.0f} rows/s;"
        f" the serving worker's resident memory grew by {growth:.1f} MB at most.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--database", default="touchpoint_bench")
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--stats-requests", type=int, default=15)
    parser.add_argument("--export-only", action="store_true", help="skip the latencies")
    args = parser.parse_args(argv)
    dataset = prepare(
        args.database, SECRET_KEY, reuse=args.reuse, accounts=1_000, activities=1_000_000
    )
    machine = Path("/proc/cpuinfo").read_text().count("processor\t:")
    with service.running(service_env(args.database, SECRET_KEY), args.port, 2) as svc:
        headers = auth_headers(service.fresh_token(svc, dataset), dataset)
        with httpx.Client(base_url=svc.base_url, headers=headers, timeout=600) as client:
            figures = (
                []
                if args.export_only
                else measure_all(client, dataset, args.database, args.requests, args.stats_requests)
            )
            exported = export(client, svc.worker_pids())
    text = report(figures, exported, f"{machine} cores")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "analysis.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

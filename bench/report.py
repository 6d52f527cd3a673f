"""The results as markdown tables, and the aims they are held against."""

from dataclasses import dataclass

from cpu import CpuUse
from loadgen import PgbenchResult, WrkResult

# API throughput as a share of raw-SQL throughput, per call.
THROUGHPUT_AIMS = {"create": 0.50, "get": 0.20, "list": 0.50}
# list-50 latency after 10,000 pages against page 1.
DEEP_PAGING_TOLERANCE = 0.20


@dataclass(frozen=True, slots=True)
class CallResult:
    call: str
    request: str
    api: WrkResult
    api_cpu: CpuUse
    sql: PgbenchResult
    sql_cpu: CpuUse
    sql_transaction: PgbenchResult | None

    @property
    def share(self) -> float:
        return self.api.rps / self.sql.tps


@dataclass(frozen=True, slots=True)
class PageResult:
    page: str
    request: str
    api: WrkResult
    api_cpu: CpuUse
    sql_ms: float


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    aligns = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _ms(value: float) -> str:
    return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"


def _errors(result: WrkResult) -> str:
    return f"{result.non2xx} / {result.socket_errors}"


def calls_table(results: list[CallResult]) -> list[str]:
    header = ["call", "API req/s", "API p50", "API p99", "pgbench tps", "pgbench mean latency"]
    header += ["API as % of raw SQL", "non-2xx / socket errors"]
    rows = [
        [
            f"{r.call}: `{r.request}`",
            f"{r.api.rps:,.0f}",
            _ms(r.api.p50_ms),
            _ms(r.api.p99_ms),
            f"{r.sql.tps:,.0f}",
            _ms(r.sql.latency_ms),
            f"{100 * r.share:.1f} %",
            _errors(r.api),
        ]
        for r in results
    ]
    return _table(header, rows)


def transaction_table(results: list[CallResult]) -> list[str]:
    header = ["call", "pgbench tps, statement", "pgbench tps, the request's statements"]
    header += ["their mean latency", "API as % of the request's statements"]
    rows = [
        [
            r.call,
            f"{r.sql.tps:,.0f}",
            f"{r.sql_transaction.tps:,.0f}",
            _ms(r.sql_transaction.latency_ms),
            f"{100 * r.api.rps / r.sql_transaction.tps:.1f} %",
        ]
        for r in results
        if r.sql_transaction is not None
    ]
    return _table(header, rows)


def _cpu_row(label: str, cpu: CpuUse, generator: str, backends: bool = True) -> list[str]:
    total = cpu.service_ms + cpu.load_generator_ms + cpu.rest_ms
    return [
        label,
        f"{cpu.service_ms:.2f}",
        f"{cpu.load_generator_ms:.2f} ({generator})",
        f"{cpu.rest_ms:.2f}",
        f"{cpu.backends_ms:.2f}" if backends else "n/a",
        f"{total:.2f}",
        f"{100 * cpu.busy_share:.0f} %",
        f"{100 * cpu.others_share:.0f} %",
        f"{cpu.connections:,}",
    ]


def cpu_table(results: list[CallResult], pages: list[PageResult]) -> list[str]:
    header = ["run", "service", "load generator", "PostgreSQL and rest", "of it, bench backends"]
    header += ["total"]
    header += ["cores busy", "of them, others' processes", "connections opened"]
    rows = []
    for r in results:
        rows.append(_cpu_row(f"{r.call}, API", r.api_cpu, "wrk"))
        # pgbench closes its connections before the end sample: their CPU is only in the rest.
        rows.append(_cpu_row(f"{r.call}, SQL", r.sql_cpu, "pgbench", backends=False))
    rows += [_cpu_row(f"{p.request}, API", p.api_cpu, "wrk") for p in pages]
    return _table(header, rows)


def floor_table(floor: PageResult) -> list[str]:
    header = ["request", "API req/s", "API p50", "API p99", "service CPU per request"]
    header += ["non-2xx / socket errors"]
    row = [
        f"`GET {floor.request}`",
        f"{floor.api.rps:,.0f}",
        _ms(floor.api.p50_ms),
        _ms(floor.api.p99_ms),
        f"{floor.api_cpu.service_ms:.2f} ms",
        _errors(floor.api),
    ]
    return _table(header, [row])


def paging_ratio(pages: list[PageResult]) -> tuple[float, float]:
    first, deep = pages
    return deep.api.p50_ms / first.api.p50_ms, deep.api.p99_ms / first.api.p99_ms


def paging_table(pages: list[PageResult]) -> list[str]:
    header = ["list-50, org-wide", "API req/s", "API p50", "API p99", "SQL execution (EXPLAIN)"]
    header += ["non-2xx / socket errors"]
    rows = [
        [
            f"{p.page}: `{p.request}`",
            f"{p.api.rps:,.0f}",
            _ms(p.api.p50_ms),
            _ms(p.api.p99_ms),
            _ms(p.sql_ms),
            _errors(p.api),
        ]
        for p in pages
    ]
    p50_ratio, p99_ratio = paging_ratio(pages)
    rows.append(["ratio, deep page / page 1", "", f"{p50_ratio:.2f}", f"{p99_ratio:.2f}"])
    rows[-1] += ["", ""]
    return _table(header, rows)


def aims(results: list[CallResult], pages: list[PageResult]) -> list[str]:
    lines = []
    for r in results:
        aim = THROUGHPUT_AIMS[r.call]
        verdict = "met" if r.share >= aim else "MISSED"
        lines.append(
            f"- {r.call}: API at {100 * r.share:.1f} % of raw SQL (aim >= {100 * aim:.0f} %):"
            f" {verdict}"
        )
    if len(pages) == 2:
        p50_ratio, p99_ratio = paging_ratio(pages)
        met = abs(p50_ratio - 1) <= DEEP_PAGING_TOLERANCE
        lines.append(
            f"- deep paging: p50 {pages[1].page} is {p50_ratio:.2f}x page 1"
            f" (p99 {p99_ratio:.2f}x; aim within {100 * DEEP_PAGING_TOLERANCE:.0f} %):"
            f" {'met' if met else 'MISSED'}"
        )
    return lines


def noisy(results: list[CallResult], pages: list[PageResult], limit: float) -> list[str]:
    """The runs during which processes not serving the bench used more than `limit` of the cores."""
    runs = [(f"{r.call} API", r.api_cpu) for r in results]
    runs += [(f"{r.call} SQL", r.sql_cpu) for r in results]
    runs += [(p.request, p.api_cpu) for p in pages]
    return [
        f"{label} ({100 * c.others_share:.0f} %)" for label, c in runs if c.others_share > limit
    ]


def all_valid(results: list[CallResult], pages: list[PageResult]) -> bool:
    return all(r.api.valid and r.sql.failed == 0 for r in results) and all(
        p.api.valid for p in pages
    )

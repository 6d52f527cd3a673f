"""Statistics and export rules: the list's filters and privacy, the group limit, the stream.

Both read through the list's own filter conditions and the tenant scope, so they count and
export exactly what GET /v1/activities would list for the caller: PRIVATE activities only for
those who may see them, deleted ones only with includeDeleted (ADMIN and OWNER).
"""

from collections.abc import AsyncGenerator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from touchpoint.activities import service as activity_service
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.participants import with_current_people
from touchpoint.analysis import formats
from touchpoint.analysis.repository import MAX_GROUPS, AnalysisRepository, group_label
from touchpoint.analysis.schemas import (
    ExportFormat,
    ExportQuery,
    Stats,
    StatsGroup,
    StatsQuery,
    StatsTotal,
)
from touchpoint.core import lifecycle
from touchpoint.core.database import long_read
from touchpoint.core.errors import FieldError, ValidationFailed
from touchpoint.core.tenancy import TenantScope

_CENT = Decimal("0.01")


def average(total: int, count: int) -> float:
    """Minutes per activity to two decimals, halves rounded up (28.335 is 28.34)."""
    return float((Decimal(total) / Decimal(count)).quantize(_CENT, rounding=ROUND_HALF_UP))


def _filters(scope: TenantScope, query: StatsQuery | ExportQuery) -> ActivityFilters:
    filters = ActivityFilters.of(query)
    principal = scope.principal
    lifecycle.require_may_see_deleted(principal, activity_service.RESOURCE, filters.include_deleted)
    return filters


def _group(query: StatsQuery, row: Mapping[Any, Any]) -> StatsGroup:
    key = {name.value: row[group_label(at)] for at, name in enumerate(query.keys)}
    count, total = row["count"], row["total_duration"]
    return StatsGroup(
        key=key, count=count, total_duration=total, average_duration=average(total, count)
    )


async def stats(analysis: AnalysisRepository, query: StatsQuery) -> Stats:
    filters = _filters(analysis.scope, query)
    rows = await analysis.grouped(query.keys, query.tz, filters)
    if len(rows) > MAX_GROUPS:
        raise ValidationFailed(
            [FieldError("groupBy", f"The query makes more than {MAX_GROUPS:,} groups.")],
            detail=f"More than {MAX_GROUPS:,} groups: narrow the query (fewer or coarser"
            " groupBy keys, a shorter from-to range, more filters).",
        )
    count = rows[0]["total_count"] if rows else 0
    minutes = rows[0]["all_duration"] if rows else 0
    total = StatsTotal(
        count=count,
        total_duration=minutes,
        average_duration=average(minutes, count) if count else None,
    )
    return Stats(data=[_group(query, row) for row in rows], total=total)


def stats_csv(query: StatsQuery, figures: Stats) -> bytes:
    return formats.stats_csv(query.keys, figures)


def export(
    engine: AsyncEngine, scope: TenantScope, query: ExportQuery
) -> AsyncGenerator[bytes, None]:
    """The export's chunks; the rules are checked now, before anything is streamed."""
    return _stream(engine, scope, _filters(scope, query), query.format)


async def _stream(
    engine: AsyncEngine, scope: TenantScope, filters: ActivityFilters, form: ExportFormat
) -> AsyncGenerator[bytes, None]:
    # Its own connection, not the request's: the request's unit of work (core/database.py)
    # ends when the handler returns, before the first byte of the body is sent. The stream
    # takes a connection only then, so a request never holds two (which could exhaust the
    # pool), and its snapshot lasts as long as the stream does.
    async with long_read(engine) as connection:
        analysis = AnalysisRepository(connection, scope)
        batches = await analysis.exported(filters)
        if form == "csv":
            yield formats.csv_lines([formats.ACTIVITY_FIELDS])
        async for batch in batches:
            shown = await with_current_people(analysis.activities, batch)
            yield (
                formats.activities_csv(shown) if form == "csv" else formats.activities_ndjson(shown)
            )

"""The local calendar period an instant falls in (its day, ISO week, month, quarter or year in
an IANA zone), as a label computed in SQL, so that rows are grouped by it in the database.

Labels are fixed-width text that sorts in time order: `2026-11-29`, `2026-W48` (ISO weeks,
starting Monday; 2027-01-01 is in 2026-W53), `2026-11`, `2026-Q4`, `2026`.

PostgreSQL cuts them itself: `to_char(instant AT TIME ZONE zone, format)`. SQLite has no zone
database, so `core/database.py` registers `bucket_label` below as the SQL function
`time_bucket(stored, unit, zone)` on every connection it opens: Python's zoneinfo does the
conversion row by row, and the grouping still happens in SQL.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, FunctionElement, Text, literal, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler


class TimeUnit(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


# to_char patterns: IYYY and IW are the ISO year and week; text in double quotes is kept as is.
_POSTGRESQL_FORMATS = {
    TimeUnit.DAY: "YYYY-MM-DD",
    TimeUnit.WEEK: 'IYYY-"W"IW',
    TimeUnit.MONTH: "YYYY-MM",
    TimeUnit.QUARTER: 'YYYY-"Q"Q',
    TimeUnit.YEAR: "YYYY",
}


def label(local: datetime, unit: TimeUnit | str) -> str:
    """The label of a local date-time; years are zero-padded as PostgreSQL's YYYY pads them."""
    if unit == TimeUnit.WEEK:
        iso = local.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    year, month = local.year, local.month
    if unit == TimeUnit.DAY:
        return f"{year:04d}-{month:02d}-{local.day:02d}"
    if unit == TimeUnit.MONTH:
        return f"{year:04d}-{month:02d}"
    if unit == TimeUnit.QUARTER:
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    return f"{year:04d}"


def bucket_label(stored: str | None, unit: str, zone: str) -> str | None:
    """SQLite's `time_bucket`: a timestamp as core/types.UtcDateTime stores it there (naive
    UTC text) cut into the label of its period in the zone. Deterministic: the same arguments
    always give the same label in a process."""
    if stored is None:
        return None
    instant = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    try:
        local = instant.astimezone(ZoneInfo(zone))
    except OverflowError:
        # Only the first hours of year 1 or the last of year 9999 leave Python's range: a
        # label in UTC beats an error for the whole query.
        local = instant
    return label(local, unit)


class time_bucket(FunctionElement[str]):  # noqa: N801 (used like an SQL function)
    """The label of the period of `instant` (a UtcDateTime column) in `zone`."""

    type = Text()
    inherit_cache = True
    name = "time_bucket"

    def __init__(self, instant: ColumnElement[Any], unit: TimeUnit, zone: str) -> None:
        # The unit and its format are written into the SQL (they are this module's constants,
        # never the client's text) so that they are part of the statement's cache key; the
        # zone, the client's, is a bound parameter.
        super().__init__(
            instant,
            literal_column(f"'{unit.value}'"),
            literal_column(f"'{_POSTGRESQL_FORMATS[unit]}'"),
            literal(zone, Text()),
        )


@compiles(time_bucket, "postgresql")
def _on_postgresql(element: time_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    instant, _unit, pattern, zone = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char(({instant} AT TIME ZONE {zone}), {pattern})"


@compiles(time_bucket, "sqlite")
def _on_sqlite(element: time_bucket, compiler: SQLCompiler, **kw: Any) -> str:
    instant, unit, _pattern, zone = (compiler.process(c, **kw) for c in element.clauses)
    return f"time_bucket({instant}, {unit}, {zone})"

"""CSV and NDJSON as statistics and export write them.

CSV is RFC 4180 (the csv module's defaults: CRLF line ends, quotes where needed). A cell that
a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return)
is prefixed with `'`, whatever column it is in: titles, tags, locations are the client's text.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from touchpoint.activities.schemas import Activity
from touchpoint.analysis.schemas import GroupKey, Stats

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The API's field names, in the order an activity is answered.
ACTIVITY_FIELDS = tuple(field.alias or name for name, field in Activity.model_fields.items())
_STATS_FIGURES = ("count", "totalDuration", "averageDuration")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _cell(value: Any) -> str:
    """A JSON value as one cell: null empty, text as is, lists and objects as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return safe_cell(orjson.dumps(value).decode())


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def _as_json(activity: Activity) -> dict[str, Any]:
    shown: dict[str, Any] = activity.model_dump(mode="json", by_alias=True)
    return shown


def activities_csv(activities: Iterable[Activity]) -> bytes:
    shown = (_as_json(activity) for activity in activities)
    return csv_lines([row[name] for name in ACTIVITY_FIELDS] for row in shown)


def activities_ndjson(activities: Iterable[Activity]) -> bytes:
    # The JSON GET /v1/activities/{id} answers: the same model, serialized the same way.
    return b"".join(
        activity.model_dump_json(by_alias=True).encode() + b"\n" for activity in activities
    )


def stats_csv(keys: Sequence[GroupKey], stats: Stats) -> bytes:
    """A header of the key names and the figures, then one line per group."""
    header = [key.value for key in keys] + list(_STATS_FIGURES)
    lines = [
        [group.key[key.value] for key in keys]
        + [group.count, group.total_duration, f"{group.average_duration:.2f}"]
        for group in stats.data
    ]
    return csv_lines([header, *lines])

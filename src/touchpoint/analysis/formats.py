"""CSV and NDJSON as statistics and export write them.

CSV is RFC 4180 (the csv module's defaults: CRLF line ends, quotes where needed). A cell that
a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a carriage return)
is prefixed with `'`, whatever column it is in: titles, tags, locations are the client's text.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from touchpoint.activities import documents
from touchpoint.analysis.schemas import GroupKey, Stats
from touchpoint.core.fields import format_timestamp
from touchpoint.core.json_answers import json_bytes

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The API's field names, in the order an activity is answered.
ACTIVITY_FIELDS = tuple(answered for answered, _name in documents.FIELDS)
_STATS_FIGURES = ("count", "totalDuration", "averageDuration")


def safe_cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _cell(value: Any) -> str:
    """A JSON value as one cell: null empty, text as is, lists and objects as JSON text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, datetime):
        return format_timestamp(value)
    return safe_cell(json_bytes(value).decode())


def csv_lines(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()


def activities_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    shown = (documents.activity_document(row) for row in rows)
    return csv_lines(list(document.values()) for document in shown)


def activities_ndjson(rows: Iterable[Mapping[str, Any]]) -> bytes:
    # The JSON GET /v1/activities/{id} answers (activities/documents.py).
    return documents.ndjson(rows)


def stats_csv(keys: Sequence[GroupKey], stats: Stats) -> bytes:
    """A header of the key names and the figures, then one line per group."""
    header = [key.value for key in keys] + list(_STATS_FIGURES)
    lines = [
        [group.key[key.value] for key in keys]
        + [group.count, group.total_duration, f"{group.average_duration:.2f}"]
        for group in stats.data
    ]
    return csv_lines([header, *lines])

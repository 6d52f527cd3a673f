"""Activities as JSON straight from their rows, for answers of very many rows (the export).

It writes what the `Activity` schema describes and GET /v1/activities/{id} answers, without
validating rows the database already holds: validation was half of an exported row's cost.
tests/analysis/test_export.py compares the two field by field, so a field added to the schema
and not here fails there.
"""

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any

import orjson

from touchpoint.activities.schemas import Activity, category_of
from touchpoint.core.fields import format_timestamp

# Ids are answered as strings (core/fields.py OutputId).
_IDS = frozenset({"id", "account_id", "creator_id", "owner_id", "follow_up_of_id"})
# (answered name, row key) in the schema's order, which is the answer's.
FIELDS = tuple((field.alias or name, name) for name, field in Activity.model_fields.items())
_ANSWERED = tuple(answered for answered, _name in FIELDS)
# The category's place takes the type, from which it is derived below.
_FROM_ROW = itemgetter(*("type" if name == "category" else name for _answered, name in FIELDS))
_ID_NAMES = tuple(answered for answered, name in FIELDS if name in _IDS)
# Timestamps as format_timestamp writes them: RFC 3339 in UTC with a Z.
_ORJSON_OPTIONS = orjson.OPT_UTC_Z


def activity_document(row: Mapping[str, Any]) -> dict[str, Any]:
    """The answer's fields, by their API names and in its order; timestamps still datetimes."""
    # One C-level pass over the row (itemgetter, zip), then the few values that differ.
    document = dict(zip(_ANSWERED, _FROM_ROW(row), strict=True))
    for name in _ID_NAMES:
        if document[name] is not None:
            document[name] = str(document[name])
    document["category"] = category_of(document["category"])
    return document


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_bytes(value: Any) -> bytes:
    """Compact JSON; integers beyond 64 bits (metadata may hold them) through the json module."""
    try:
        return orjson.dumps(value, option=_ORJSON_OPTIONS)
    except TypeError:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)
        return text.encode()


def ndjson(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One activity per line."""
    return b"".join(json_bytes(activity_document(row)) + b"\n" for row in rows)

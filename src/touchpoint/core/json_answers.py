"""Answers written straight to JSON bytes, once.

A read answers rows the database holds and a write answers the row it just wrote: both were
checked on the way in, so validating them again on the way out (a Pydantic model per row, then
the response model) would only cost CPU on every request. A feature builds its answer as plain
values in the shape its schema describes (`activities/documents.py`), the route declares that
schema as its `response_model` for the OpenAPI document, and returns a `JsonAnswer`. Tests
compare such answers with their schema field by field.
"""

import json
from datetime import datetime
from typing import Any

import orjson
from fastapi.responses import JSONResponse

from touchpoint.core.fields import format_timestamp

# A JSON object as an answer holds it: names as the API spells them, values JSON-ready except
# timestamps, which json_bytes writes as format_timestamp does.
Document = dict[str, Any]
# Timestamps as format_timestamp writes them: RFC 3339 in UTC with a Z.
_ORJSON_OPTIONS = orjson.OPT_UTC_Z


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


class JsonAnswer(JSONResponse):
    """`application/json` from a document, serialized by json_bytes."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)

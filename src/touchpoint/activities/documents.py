"""Activities as answers straight from their rows (core/json_answers.py): every answer that
shows an activity, from GET /v1/activities/{id} to the export.

It writes what the `Activity` schema describes without validating rows the database already
holds: validation was half of an exported row's cost, and a fifth of a list's.
tests/activities/test_answers.py compares answers with the schema field by field, so a field
added to the schema and not here fails there.
"""

from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any

from touchpoint.activities.schemas import Activity, category_of
from touchpoint.core.json_answers import Document, json_bytes

# Ids are answered as strings (core/fields.py OutputId).
_IDS = frozenset({"id", "account_id", "creator_id", "owner_id", "follow_up_of_id"})
# (answered name, row key) in the schema's order, which is the answer's.
FIELDS = tuple((field.alias or name, name) for name, field in Activity.model_fields.items())
_ANSWERED = tuple(answered for answered, _name in FIELDS)
# The category's place takes the type, from which it is derived below.
_FROM_ROW = itemgetter(*("type" if name == "category" else name for _answered, name in FIELDS))
_ID_NAMES = tuple(answered for answered, name in FIELDS if name in _IDS)


def activity_document(row: Mapping[str, Any]) -> Document:
    """The answer's fields, by their API names and in its order; timestamps still datetimes."""
    # One C-level pass over the row (itemgetter, zip), then the few values that differ.
    document = dict(zip(_ANSWERED, _FROM_ROW(row), strict=True))
    for name in _ID_NAMES:
        if document[name] is not None:
            document[name] = str(document[name])
    document["category"] = category_of(document["category"])
    return document


def ndjson(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One activity per line."""
    return b"".join(json_bytes(activity_document(row)) + b"\n" for row in rows)

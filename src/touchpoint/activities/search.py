"""The words an activity is found by: its own text, its tags and its participants' names and
emails, linked people as they are named when the activity is written (core/full_text.py)."""

from collections.abc import Mapping
from typing import Any

from touchpoint.activities.participants import with_current_people
from touchpoint.activities.repository import ActivityRepository
from touchpoint.core.full_text import search_text

_OWN_TEXT = ("title", "description", "location", "outcome")
_SEARCHED = frozenset((*_OWN_TEXT, "tags", "participants"))


async def with_search_text(
    activities: ActivityRepository, values: dict[str, Any], old: Mapping[Any, Any] | None = None
) -> dict[str, Any]:
    """The values, with the activity's words when they change what is searched."""
    if old is not None and not _SEARCHED & values.keys():
        return values
    row = {**old, **values} if old is not None else values
    [shown] = await with_current_people(activities, [row])
    parts: list[str | None] = [shown.get(name) for name in _OWN_TEXT]
    parts += shown.get("tags", [])
    for participant in shown.get("participants", []):
        parts += [participant.get("name"), participant.get("email")]
    return {**values, "search_text": search_text(parts)}

"""Change history rules: what an entry records, and the field-by-field difference of a change."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import RowMapping

from touchpoint.core.fields import format_timestamp
from touchpoint.core.paging import Position
from touchpoint.core.references import Reference, not_found
from touchpoint.history.repository import HistoryRepository
from touchpoint.history.schemas import HistoryEntry


def _as_json(field: str, value: Any) -> Any:
    """A value as the API shows it: timestamps in RFC 3339 UTC, ids as strings of digits."""
    if isinstance(value, datetime):
        return format_timestamp(value)
    if field.endswith("_id") and isinstance(value, int):
        return str(value)
    return value


def difference(
    old: RowMapping | Mapping[str, Any], new: RowMapping | Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for each of `fields` whose value changed."""
    changes: dict[str, dict[str, Any]] = {}
    for field in fields:
        before, after = _as_json(field, old[field]), _as_json(field, new[field])
        if before != after:
            changes[to_camel(field)] = {"old": before, "new": after}
    return changes


async def record_change(
    history: HistoryRepository,
    resource_type: str,
    old: RowMapping,
    new: RowMapping,
    fields: Iterable[str],
) -> None:
    """Records an update, unless it changed nothing."""
    changes = difference(old, new, [field for field in fields if field != "updated_at"])
    if changes:
        await history.record(resource_type, new["id"], "update", new["updated_at"], changes)


def to_schema(row: RowMapping) -> HistoryEntry:
    return HistoryEntry.model_validate(row)


async def history_of(
    repository: Any,
    history: HistoryRepository,
    resource: str,
    reference: Reference,
    value: str,
    after: Position | None,
    limit: int,
) -> Sequence[RowMapping]:
    """A resource's history, newest first; read like the resource (deleted: managers only)."""
    manager = history.scope.principal.manages_organization
    row = await repository.find(reference, include_deleted=manager)
    if row is None:
        raise not_found(resource, value)
    return await history.list_page(resource, row["id"], after, limit)

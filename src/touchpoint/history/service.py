"""Reading a resource's change history: as the resource is read (deleted: managers only)."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping

from touchpoint.core.paging import Position
from touchpoint.core.references import Reference, not_found
from touchpoint.history.repository import HistoryRepository
from touchpoint.history.schemas import HistoryEntry


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

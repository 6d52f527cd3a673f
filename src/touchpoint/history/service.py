"""Reading a resource's change history: as the resource is read (deleted: managers only)."""

from typing import Any

from sqlalchemy import RowMapping

from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.references import not_found, parse_reference
from touchpoint.history.repository import NEWEST_FIRST, HistoryRepository
from touchpoint.history.schemas import HistoryEntry


def to_schema(row: RowMapping) -> HistoryEntry:
    return HistoryEntry.model_validate(row)


async def history_of(
    repository: Any,
    history: HistoryRepository,
    resource: str,
    value: str,
    paging: PageRequest,
) -> Page[HistoryEntry]:
    """A resource's history, newest first; read like the resource (deleted: managers only)."""
    manager = history.scope.principal.manages_organization
    row = await repository.find(parse_reference(value, resource), include_deleted=manager)
    if row is None:
        raise not_found(resource, value)
    after = paging.after(NEWEST_FIRST)
    rows = await history.list_page(resource, row["id"], after, paging.limit)
    return paging.page(Page[HistoryEntry], rows, NEWEST_FIRST, to_schema)

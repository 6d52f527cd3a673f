"""All SQL of reading the change history (core/history_records.py writes it)."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import change_history

COLUMNS = (
    change_history.c.id,
    change_history.c.resource_type,
    change_history.c.resource_id,
    change_history.c.action,
    change_history.c.changed_at,
    change_history.c.user_id,
    change_history.c.api_key_id,
    change_history.c.changes,
)
NEWEST_FIRST = SortOrder("-changedAt", change_history.c.changed_at, change_history.c.id, True)


@dataclass(frozen=True, slots=True)
class HistoryRepository:
    connection: AsyncConnection
    scope: TenantScope

    async def list_page(
        self, resource_type: str, resource_id: int, after: Position | None, limit: int
    ) -> Sequence[RowMapping]:
        conditions: list[ColumnElement[bool]] = [
            change_history.c.resource_type == resource_type,
            change_history.c.resource_id == resource_id,
        ]
        statement = self.scope.select(change_history, *COLUMNS).where(*conditions)
        result = await self.connection.execute(page_query(statement, NEWEST_FIRST, after, limit))
        rows: Sequence[RowMapping] = result.mappings().all()
        return rows

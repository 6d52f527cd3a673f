"""All SQL of the change history."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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

    def _entry(self, resource_type: str, action: str, now: datetime) -> dict[str, Any]:
        principal = self.scope.principal
        return {
            "resource_type": resource_type,
            "action": action,
            "changed_at": now,
            "user_id": principal.user_id,
            "api_key_id": principal.api_key_id,
        }

    async def record(
        self,
        resource_type: str,
        resource_id: int,
        action: str,
        now: datetime,
        changes: dict[str, Any] | None = None,
    ) -> None:
        values = {**self._entry(resource_type, action, now), "resource_id": resource_id}
        await self.connection.execute(
            self.scope.insert(change_history, {**values, "changes": changes})
        )

    async def record_many(
        self, resource_type: str, resource_ids: list[int], action: str, now: datetime
    ) -> None:
        """One entry for each of these rows (a cascade's), in one statement."""
        if not resource_ids:
            return
        entry = {**self._entry(resource_type, action, now), "changes": None}
        rows = [{**entry, "resource_id": resource_id} for resource_id in resource_ids]
        await self.connection.execute(self.scope.insert(change_history), rows)

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

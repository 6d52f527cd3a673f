"""All SQL for the organization's API keys. Every statement starts from the tenant scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import api_keys

COLUMNS = (
    api_keys.c.id,
    api_keys.c.name,
    api_keys.c.key_prefix.label("prefix"),
    api_keys.c.created_by.label("creator_id"),
    api_keys.c.created_at,
    api_keys.c.expires_at,
    api_keys.c.last_used_at,
    api_keys.c.revoked_at,
)
NEWEST_FIRST = SortOrder("-createdAt", api_keys.c.created_at, api_keys.c.id, descending=True)


@dataclass(frozen=True, slots=True)
class ApiKeyRepository:
    connection: AsyncConnection
    scope: TenantScope

    async def list_page(
        self, include_revoked: bool, after: Position | None, limit: int
    ) -> Sequence[RowMapping]:
        statement = self.scope.select(api_keys, *COLUMNS)
        if not include_revoked:
            statement = statement.where(api_keys.c.revoked_at.is_(None))
        result = await self.connection.execute(page_query(statement, NEWEST_FIRST, after, limit))
        rows: Sequence[RowMapping] = result.mappings().all()
        return rows

    async def insert(self, values: dict[str, Any]) -> RowMapping:
        statement = self.scope.insert(api_keys, values).returning(*COLUMNS)
        row: RowMapping = (await self.connection.execute(statement)).mappings().one()
        return row

    async def revoke(self, key_id: int, now: datetime) -> RowMapping | None:
        """Revokes the key (once: a revoked key keeps its first revocation time)."""
        statement = (
            self.scope.update(api_keys)
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
            .returning(*COLUMNS)
        )
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def exists(self, key_id: int) -> bool:
        statement = self.scope.select(api_keys, api_keys.c.id).where(api_keys.c.id == key_id)
        return (await self.connection.execute(statement)).first() is not None

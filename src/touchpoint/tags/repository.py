"""All SQL for tags: counted over the activities the tenant scope lets the caller see."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import RowMapping, func, true
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.tenancy import TenantScope
from touchpoint.core.types import each_value
from touchpoint.models import activities


@dataclass(frozen=True, slots=True)
class TagRepository:
    connection: AsyncConnection
    scope: TenantScope

    def _each_tag(self) -> Any:
        """One row per tag of an activity: unnest on PostgreSQL, json_each on SQLite."""
        return each_value(activities.c.tags, self.connection.dialect.name, "tag")

    async def most_used(self, prefix: str | None, limit: int) -> list[RowMapping]:
        tag = self._each_tag()
        count = func.count().label("count")
        statement = (
            self.scope.select(activities, tag.c.value.label("tag"), count)
            .join(tag, true())
            .where(activities.c.deleted_at.is_(None))
            .group_by(tag.c.value)
            .order_by(count.desc(), tag.c.value)
            .limit(limit)
        )
        if prefix is not None:
            statement = statement.where(tag.c.value.startswith(prefix, autoescape=True))
        return list((await self.connection.execute(statement)).mappings().all())

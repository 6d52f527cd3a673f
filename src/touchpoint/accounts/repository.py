"""All SQL for accounts. Every statement starts from the tenant scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, exists
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.errors import Conflict
from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.references import Reference
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import accounts, activities

COLUMNS = (
    accounts.c.id,
    accounts.c.uid,
    accounts.c.name,
    accounts.c.primary_domain,
    accounts.c.industry,
    accounts.c.description,
    accounts.c.website,
    accounts.c.metadata,
    accounts.c.is_active,
    accounts.c.created_by.label("creator_id"),
    accounts.c.created_at,
    accounts.c.updated_at,
    accounts.c.deleted_at,
)
SORT_ORDERS = {
    "-createdAt": SortOrder("-createdAt", accounts.c.created_at, accounts.c.id, descending=True),
    "createdAt": SortOrder("createdAt", accounts.c.created_at, accounts.c.id, descending=False),
    "-updatedAt": SortOrder("-updatedAt", accounts.c.updated_at, accounts.c.id, descending=True),
    "updatedAt": SortOrder("updatedAt", accounts.c.updated_at, accounts.c.id, descending=False),
}
_DUPLICATE_DOMAIN = "An account with this primaryDomain exists already in the organization."


@dataclass(frozen=True, slots=True)
class AccountFilters:
    q: str | None = None
    primary_domain: str | None = None
    industry: str | None = None
    is_active: bool | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class AccountRepository:
    connection: AsyncConnection
    scope: TenantScope

    async def _returning_one(self, statement: Any) -> RowMapping | None:
        try:
            result = await self.connection.execute(statement)
        except IntegrityError as error:
            raise Conflict(_DUPLICATE_DOMAIN) from error
        row: RowMapping | None = result.mappings().first()
        return row

    async def insert(self, values: dict[str, Any]) -> RowMapping:
        row = await self._returning_one(self.scope.insert(accounts, values).returning(*COLUMNS))
        assert row is not None
        return row

    async def find(self, reference: Reference, include_deleted: bool = False) -> RowMapping | None:
        statement = self.scope.select(accounts, *COLUMNS).where(reference.matches(accounts))
        if not include_deleted:
            statement = statement.where(accounts.c.deleted_at.is_(None))
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def list_page(
        self, filters: AccountFilters, order: SortOrder, after: Position | None, limit: int
    ) -> Sequence[RowMapping]:
        statement = self.scope.select(accounts, *COLUMNS)
        if not filters.include_deleted:
            statement = statement.where(accounts.c.deleted_at.is_(None))
        if filters.q:
            statement = statement.where(accounts.c.name.icontains(filters.q, autoescape=True))
        if filters.primary_domain:
            statement = statement.where(accounts.c.primary_domain == filters.primary_domain)
        if filters.industry:
            statement = statement.where(accounts.c.industry == filters.industry)
        if filters.is_active is not None:
            statement = statement.where(accounts.c.is_active == filters.is_active)
        statement = page_query(statement, order, after, limit)
        rows: Sequence[RowMapping] = (await self.connection.execute(statement)).mappings().all()
        return rows

    async def update(
        self,
        reference: Reference,
        values: dict[str, Any],
        *,
        creator_id: int | None,
        deleted: bool = False,
    ) -> RowMapping | None:
        """Changes a live (deleted=True: a deleted) account; creator_id limits it to its own."""
        statement = self.scope.update(accounts).where(reference.matches(accounts))
        deleted_filter = (
            accounts.c.deleted_at.is_not(None) if deleted else accounts.c.deleted_at.is_(None)
        )
        statement = statement.where(deleted_filter)
        if creator_id is not None:
            statement = statement.where(accounts.c.created_by == creator_id)
        return await self._returning_one(statement.values(**values).returning(*COLUMNS))

    async def soft_delete(
        self, reference: Reference, now: datetime, *, creator_id: int | None, only_if_empty: bool
    ) -> RowMapping | None:
        """Deletes a live account; with only_if_empty, only while it has no live activities."""
        statement = self.scope.update(accounts).where(
            reference.matches(accounts), accounts.c.deleted_at.is_(None)
        )
        if creator_id is not None:
            statement = statement.where(accounts.c.created_by == creator_id)
        if only_if_empty:
            statement = statement.where(~self._live_activity_exists())
        statement = statement.values(deleted_at=now, is_active=False, updated_at=now)
        return await self._returning_one(statement.returning(*COLUMNS))

    def _live_activity_exists(self) -> Any:
        return exists().where(
            activities.c.organization_id == accounts.c.organization_id,
            activities.c.account_id == accounts.c.id,
            activities.c.deleted_at.is_(None),
        )

    async def has_live_activities(self, account_id: int) -> bool:
        statement = self.scope.select(activities, activities.c.id).where(
            activities.c.account_id == account_id, activities.c.deleted_at.is_(None)
        )
        return (await self.connection.execute(statement.limit(1))).first() is not None


def live_account_id(scope: TenantScope, account_id: int) -> Any:
    """A scalar subquery: the id if it names a live account of the organization, else NULL.

    Writing it into a NOT NULL account_id column turns a missing, deleted or foreign account
    into a constraint violation, so the check costs no round trip of its own.
    """
    return (
        scope.select(accounts, accounts.c.id)
        .where(accounts.c.id == account_id, accounts.c.deleted_at.is_(None))
        .scalar_subquery()
    )

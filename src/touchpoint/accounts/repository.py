"""All SQL for accounts. Every statement starts from the tenant scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, RowMapping, Select, Table
from sqlalchemy.exc import IntegrityError

from touchpoint.core import engagement
from touchpoint.core.errors import Conflict
from touchpoint.core.paging import Position, SortOrder
from touchpoint.core.resources import ResourceRepository
from touchpoint.models import accounts, activities, contacts

_OWN_COLUMNS = (
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
_OUTDATED = "engagement_outdated"
# A write returns the stored figures, which it has just refreshed (see update_row).
_RETURNED_COLUMNS = (
    *_OWN_COLUMNS,
    accounts.c.last_activity_at,
    accounts.c.next_activity_at,
    accounts.c.open_activities,
)
SORT_ORDERS = {
    "-createdAt": SortOrder("-createdAt", accounts.c.created_at, accounts.c.id, descending=True),
    "createdAt": SortOrder("createdAt", accounts.c.created_at, accounts.c.id, descending=False),
    "-updatedAt": SortOrder("-updatedAt", accounts.c.updated_at, accounts.c.id, descending=True),
    "updatedAt": SortOrder("updatedAt", accounts.c.updated_at, accounts.c.id, descending=False),
    # Never-touched accounts store the earliest instant, so they come first.
    "lastActivityAt": SortOrder(
        "lastActivityAt", accounts.c.last_activity_at, accounts.c.id, descending=False
    ),
    "-lastActivityAt": SortOrder(
        "-lastActivityAt", accounts.c.last_activity_at, accounts.c.id, descending=True
    ),
}
_DUPLICATE_DOMAIN = "An account with this primaryDomain exists already in the organization."


@dataclass(frozen=True, slots=True)
class AccountFilters:
    q: str | None = None
    primary_domain: str | None = None
    industry: str | None = None
    is_active: bool | None = None
    include_deleted: bool = False
    last_activity_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class AccountRepository(ResourceRepository):
    table: ClassVar[Table] = accounts
    columns: ClassVar[tuple[Any, ...]] = _OWN_COLUMNS
    returned_columns: ClassVar[tuple[Any, ...]] = _RETURNED_COLUMNS

    def reading(self) -> Select[Any]:
        columns = (*_OWN_COLUMNS, *engagement.current_columns(self.scope))
        return self.scope.select(accounts, *columns)

    async def update_row(self, row_id: int, values: dict[str, Any]) -> RowMapping:
        """Every change of an account refreshes its engagement figures too, so what it returns
        is current even when time alone has changed them."""
        figures = engagement.figures(self.scope)
        return await ResourceRepository.update_row(self, row_id, {**values, **figures})

    async def list_page_by_engagement(
        self,
        conditions: Sequence[ColumnElement[bool]],
        order: SortOrder,
        after: Position | None,
        limit: int,
    ) -> Sequence[RowMapping]:
        """A page ordered or filtered by the stored figures, which must be current first.

        The page's statement also asks whether any account's figures are outdated (usually
        none): only then are they refreshed and the page read again. One round trip in the
        usual case instead of two. An empty page cannot answer, so it is read again too.
        """
        probe = engagement.any_outdated(self.scope).label(_OUTDATED)
        page = self.page_statement(conditions, order, after, limit)
        rows = await self.all(page.add_columns(probe))
        if rows and not rows[0][_OUTDATED]:
            return rows
        await self.sibling(engagement.Engagement).refresh_outdated()
        return await self.list_page(conditions, order, after, limit)

    def refusal(self, error: IntegrityError) -> Exception:
        return Conflict(_DUPLICATE_DOMAIN)

    def conditions(self, filters: AccountFilters) -> list[ColumnElement[bool]]:
        conditions = self.live_condition(filters.include_deleted)
        if filters.q:
            conditions.append(self.contains_text(accounts.c.name, filters.q))
        if filters.primary_domain:
            conditions.append(accounts.c.primary_domain == filters.primary_domain)
        if filters.industry:
            conditions.append(accounts.c.industry == filters.industry)
        if filters.is_active is not None:
            conditions.append(accounts.c.is_active == filters.is_active)
        if filters.last_activity_before is not None:
            conditions.append(accounts.c.last_activity_at < filters.last_activity_before)
        return conditions

    async def has_live_dependents(self, account_id: int) -> bool:
        """Whether live activities or contacts still belong to the account."""
        for table in (activities, contacts):
            # Private activities too: the account cannot be deleted from under them.
            statement = self.scope.select_regardless_of_privacy(table, table.c.id).where(
                table.c.account_id == account_id, table.c.deleted_at.is_(None)
            )
            if (await self.connection.execute(statement.limit(1))).first() is not None:
                return True
        return False

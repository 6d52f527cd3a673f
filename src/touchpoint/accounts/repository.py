"""All SQL for accounts. Every statement starts from the tenant scope."""

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Table
from sqlalchemy.exc import IntegrityError

from touchpoint.core.errors import Conflict
from touchpoint.core.paging import SortOrder
from touchpoint.core.resources import ResourceRepository
from touchpoint.models import accounts, activities, contacts

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
# A row moved to another account between locking the accounts and the row is locked again.
_LOCKING_ROUNDS = 3
_DUPLICATE_DOMAIN = "An account with this primaryDomain exists already in the organization."


@dataclass(frozen=True, slots=True)
class AccountFilters:
    q: str | None = None
    primary_domain: str | None = None
    industry: str | None = None
    is_active: bool | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class AccountRepository(ResourceRepository):
    table: ClassVar[Table] = accounts
    columns: ClassVar[tuple[Any, ...]] = COLUMNS
    returned_columns: ClassVar[tuple[Any, ...]] = COLUMNS

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
        return conditions

    async def has_live_dependents(self, account_id: int) -> bool:
        """Whether live activities or contacts still belong to the account."""
        for table in (activities, contacts):
            statement = self.scope.select(table, table.c.id).where(
                table.c.account_id == account_id, table.c.deleted_at.is_(None)
            )
            if (await self.connection.execute(statement.limit(1))).first() is not None:
                return True
        return False

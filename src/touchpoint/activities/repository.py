"""All SQL for activities: every statement starts from the tenant scope, one round trip each."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, and_, exists, func, literal_column, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.errors import invalid_field
from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.references import Reference
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import accounts, activities, users

_BASE_COLUMNS = (
    activities.c.id,
    activities.c.uid,
    activities.c.account_id,
    activities.c.type,
    activities.c.status,
    activities.c.activity_timestamp,
    activities.c.duration,
    activities.c.location,
    activities.c.participants,
    activities.c.attachment_urls,
    activities.c.title,
    activities.c.description,
    activities.c.metadata,
    activities.c.is_active,
    activities.c.created_by.label("creator_id"),
    activities.c.created_at,
    activities.c.updated_at,
    activities.c.deleted_at,
)
_ACCOUNT_OF_ACTIVITY = and_(
    accounts.c.organization_id == activities.c.organization_id,
    accounts.c.id == activities.c.account_id,
)
# A read joins the account and creator; a write returns them through correlated subqueries.
_READ_COLUMNS = (
    *_BASE_COLUMNS,
    accounts.c.name.label("account"),
    users.c.name.label("creator"),
    users.c.email.label("creator_email"),
)
# Written as SQL text because SQLite's compiler strips table names inside RETURNING.
_RETURNED_COLUMNS: tuple[Any, ...] = (
    *_BASE_COLUMNS,
    literal_column(
        "(SELECT a.name FROM accounts AS a WHERE a.organization_id = activities.organization_id"
        " AND a.id = activities.account_id)"
    ).label("account"),
    literal_column("(SELECT u.name FROM users AS u WHERE u.id = activities.created_by)").label(
        "creator"
    ),
    literal_column("(SELECT u.email FROM users AS u WHERE u.id = activities.created_by)").label(
        "creator_email"
    ),
)
SORT_ORDERS = {
    name: SortOrder(name, column, activities.c.id, descending=name.startswith("-"))
    for name, column in (
        ("-activityTimestamp", activities.c.activity_timestamp),
        ("activityTimestamp", activities.c.activity_timestamp),
        ("-createdAt", activities.c.created_at),
        ("createdAt", activities.c.created_at),
    )
}


@dataclass(frozen=True, slots=True)
class ActivityFilters:
    account_id: int | None = None
    contact_id: int | None = None
    types: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    starts_at: datetime | None = None
    ends_before: datetime | None = None
    created_by: int | None = None
    is_active: bool | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class ActivityRepository:
    connection: AsyncConnection
    scope: TenantScope

    def _live_account(self, account_id: int) -> Any:
        """The account's id if it is live in this organization, else NULL (refused by NOT NULL)."""
        return (
            self.scope.select(accounts, accounts.c.id)
            .where(accounts.c.id == account_id, accounts.c.deleted_at.is_(None))
            .scalar_subquery()
        )

    async def _write(self, statement: Any) -> RowMapping | None:
        try:
            result = await self.connection.execute(statement.returning(*_RETURNED_COLUMNS))
        except IntegrityError as error:
            raise invalid_field(
                "accountId", "No live account has this id in the organization."
            ) from error
        return result.mappings().first()

    async def insert(self, values: dict[str, Any]) -> RowMapping:
        values = {**values, "account_id": self._live_account(values["account_id"])}
        row = await self._write(self.scope.insert(activities, values))
        assert row is not None
        return row

    def _reading(self) -> Any:
        return (
            self.scope.select(activities, *_READ_COLUMNS)
            .join(accounts, _ACCOUNT_OF_ACTIVITY)
            .join(users, users.c.id == activities.c.created_by)
        )

    async def find(self, reference: Reference, include_deleted: bool = False) -> RowMapping | None:
        statement = self._reading().where(reference.matches(activities))
        if not include_deleted:
            statement = statement.where(activities.c.deleted_at.is_(None))
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def list_page(
        self, filters: ActivityFilters, order: SortOrder, after: Position | None, limit: int
    ) -> Sequence[RowMapping]:
        statement = self._reading().where(*self._conditions(filters))
        statement = page_query(statement, order, after, limit)
        rows: Sequence[RowMapping] = (await self.connection.execute(statement)).mappings().all()
        return rows

    def _conditions(self, filters: ActivityFilters) -> list[ColumnElement[bool]]:
        column = activities.c
        conditions: list[ColumnElement[bool]] = []
        if not filters.include_deleted:
            conditions.append(column.deleted_at.is_(None))
        if filters.account_id is not None:
            conditions.append(column.account_id == filters.account_id)
        if filters.contact_id is not None:
            conditions.append(self._has_participant("contactId", str(filters.contact_id)))
        if filters.types:
            conditions.append(column.type.in_(filters.types))
        if filters.statuses:
            conditions.append(column.status.in_(filters.statuses))
        if filters.starts_at is not None:
            conditions.append(column.activity_timestamp >= filters.starts_at)
        if filters.ends_before is not None:
            conditions.append(column.activity_timestamp < filters.ends_before)
        if filters.created_by is not None:
            conditions.append(column.created_by == filters.created_by)
        if filters.is_active is not None:
            conditions.append(column.is_active == filters.is_active)
        return conditions

    def _has_participant(self, key: str, value: str) -> ColumnElement[bool]:
        if self.connection.dialect.name == "postgresql":
            # The column's generic type is JSON, whose contains() is a LIKE: compare as jsonb (@>).
            return type_coerce(activities.c.participants, JSONB).contains([{key: value}])
        each = func.json_each(activities.c.participants).table_valued("value")
        return (
            exists().select_from(each).where(func.json_extract(each.c.value, f"$.{key}") == value)
        )

    async def update(
        self,
        reference: Reference,
        values: dict[str, Any],
        *,
        creator_id: int | None,
        deleted: bool = False,
    ) -> RowMapping | None:
        """Changes a live (deleted=True: a deleted) activity; creator_id limits it to its own."""
        if "account_id" in values:
            values = {**values, "account_id": self._live_account(values["account_id"])}
        deleted_at = activities.c.deleted_at
        statement = self.scope.update(activities).where(
            reference.matches(activities),
            deleted_at.is_not(None) if deleted else deleted_at.is_(None),
        )
        if creator_id is not None:
            statement = statement.where(activities.c.created_by == creator_id)
        if deleted:
            statement = statement.where(
                exists().where(_ACCOUNT_OF_ACTIVITY, accounts.c.deleted_at.is_(None))
            )
        return await self._write(statement.values(**values))

    async def soft_delete_for_account(self, account_id: int, now: datetime) -> None:
        statement = self.scope.update(activities).where(
            activities.c.account_id == account_id, activities.c.deleted_at.is_(None)
        )
        await self.connection.execute(
            statement.values(deleted_at=now, is_active=False, updated_at=now)
        )

    async def restore_for_account(
        self, account_id: int, deleted_at: datetime, now: datetime
    ) -> None:
        """Restores the activities deleted by the same cascade as the account (same instant)."""
        statement = self.scope.update(activities).where(
            activities.c.account_id == account_id, activities.c.deleted_at == deleted_at
        )
        await self.connection.execute(
            statement.values(deleted_at=None, is_active=True, updated_at=now)
        )

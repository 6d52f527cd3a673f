"""All SQL for activities: every statement starts from the tenant scope, one round trip each."""

from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Select, Table, and_, exists, func, literal_column, type_coerce
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError

from touchpoint.activities.filters import ActivityFilters
from touchpoint.core.account_owned import AccountOwnedRepository
from touchpoint.core.errors import invalid_field
from touchpoint.core.paging import SortOrder
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
class ActivityRepository(AccountOwnedRepository):
    table: ClassVar[Table] = activities
    columns: ClassVar[tuple[Any, ...]] = _READ_COLUMNS
    returned_columns: ClassVar[tuple[Any, ...]] = _RETURNED_COLUMNS

    def reading(self) -> Select[Any]:
        return (
            self.scope.select(activities, *_READ_COLUMNS)
            .join(accounts, _ACCOUNT_OF_ACTIVITY)
            .join(users, users.c.id == activities.c.created_by)
        )

    def refusal(self, error: IntegrityError) -> Exception:
        return invalid_field("accountId", "No live account has this id in the organization.")

    def conditions(self, filters: ActivityFilters) -> list[ColumnElement[bool]]:
        column = activities.c
        conditions = self.live_condition(filters.include_deleted)
        if filters.account_id is not None:
            conditions.append(column.account_id == filters.account_id)
        if filters.contact_id is not None:
            conditions.append(self._has_participant("contactId", str(filters.contact_id)))
        if filters.user_id is not None:
            conditions.append(self._has_participant("userId", str(filters.user_id)))
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
            # jsonb @> '[{"contactId": "7"}]', which the GIN index on participants serves.
            return type_coerce(activities.c.participants, JSONB).contains([{key: value}])
        each = func.json_each(activities.c.participants).table_valued("value")
        return (
            exists().select_from(each).where(func.json_extract(each.c.value, f"$.{key}") == value)
        )

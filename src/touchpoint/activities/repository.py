"""All SQL for activities: every statement starts from the tenant scope, one round trip each."""

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from sqlalchemy import ColumnElement, Float, Select, Table, and_, false, literal, literal_column
from sqlalchemy.exc import IntegrityError

from touchpoint.activities.filters import ActivityFilters
from touchpoint.core.account_owned import AccountOwnedRepository
from touchpoint.core.errors import invalid_field
from touchpoint.core.full_text import SearchQuery, matches, relevance
from touchpoint.core.paging import SortOrder
from touchpoint.core.privacy import has_participant
from touchpoint.core.resources import violates
from touchpoint.core.types import holds_any
from touchpoint.models import accounts, activities, users

_OWNERS = users.alias("owners")

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
    activities.c.owner_id,
    activities.c.visibility,
    activities.c.outcome,
    activities.c.remind_at,
    activities.c.follow_up_of_id,
    activities.c.completed_at,
    activities.c.tags,
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
    _OWNERS.c.name.label("owner"),
    _OWNERS.c.email.label("owner_email"),
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
    literal_column("(SELECT u.name FROM users AS u WHERE u.id = activities.owner_id)").label(
        "owner"
    ),
    literal_column("(SELECT u.email FROM users AS u WHERE u.id = activities.owner_id)").label(
        "owner_email"
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
    # Every write refreshes its account's engagement figures (core/engagement.py).
    updates_account: ClassVar[bool] = True

    def reading(self) -> Select[Any]:
        return (
            self.scope.select(activities, *_READ_COLUMNS)
            .join(accounts, _ACCOUNT_OF_ACTIVITY)
            .join(users, users.c.id == activities.c.created_by)
            .join(_OWNERS, _OWNERS.c.id == activities.c.owner_id)
        )

    def refusal(self, error: IntegrityError) -> Exception:
        # live_account_id writes NULL for a missing, deleted or foreign account; the service
        # checks every other reference before writing, so anything else is not the client's.
        if violates(error, "account_id"):
            return invalid_field("accountId", "No live account has this id in the organization.")
        return error

    def conditions(self, filters: ActivityFilters) -> list[ColumnElement[bool]]:
        column = activities.c
        conditions = self.live_condition(filters.include_deleted)
        if filters.account_id is not None:
            conditions.append(column.account_id == filters.account_id)
        if filters.contact_id is not None:
            contact = str(filters.contact_id)
            conditions.append(has_participant(column.participants, "contactId", contact))
        if filters.user_id is not None:
            conditions.append(has_participant(column.participants, "userId", str(filters.user_id)))
        if filters.types:
            conditions.append(column.type.in_(filters.types))
        if filters.statuses:
            # Written into the SQL, so the partial indexes on PENDING rows serve the statement
            # under a generic plan too (the values are the enum's, never the client's text).
            statuses = [literal(status, literal_execute=True) for status in filters.statuses]
            conditions.append(column.status.in_(statuses))
        if filters.starts_at is not None:
            conditions.append(column.activity_timestamp >= filters.starts_at)
        if filters.ends_before is not None:
            conditions.append(column.activity_timestamp < filters.ends_before)
        if filters.created_by is not None:
            conditions.append(column.created_by == filters.created_by)
        if filters.is_active is not None:
            conditions.append(column.is_active == filters.is_active)
        if filters.owner is not None:
            conditions.append(column.owner_id == self.user_id(filters.owner))
        if filters.follow_up_of_id is not None:
            conditions.append(column.follow_up_of_id == filters.follow_up_of_id)
        if filters.visibility is not None:
            conditions.append(column.visibility == filters.visibility)
        return conditions + self._text_conditions(filters)

    @staticmethod
    def _text_conditions(filters: ActivityFilters) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.tags:
            conditions.append(holds_any(activities.c.tags, filters.tags))
        if filters.search is not None:
            found = filters.search.finds_anything
            conditions.append(matches(activities, filters.search) if found else false())
        return conditions

    @staticmethod
    def sort_order(name: str, search: SearchQuery | None) -> SortOrder:
        """A list's order; relevance ranks by the search, and ties everything without one."""
        if name != "relevance":
            return SORT_ORDERS[name]
        score: ColumnElement[float] = literal(0.0, Float)
        if search is not None and search.finds_anything:
            score = relevance(activities, search)
        return SortOrder(name, score.label(name), activities.c.id, descending=True)

    def user_id(self, value: int | Literal["me"]) -> int:
        """A member named in a filter: "me" is the caller."""
        return self.scope.principal.user_id if value == "me" else value

    async def visible_live_ids(self, ids: list[int]) -> set[int]:
        """Which of these activities exist, live, for this principal."""
        statement = self.scope.select(activities, activities.c.id).where(
            activities.c.id.in_(ids), activities.c.deleted_at.is_(None)
        )
        return set((await self.connection.execute(statement)).scalars().all())

"""Activity rules: defaults, roles, soft delete and restore (contract section 4)."""

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping
from ulid import ULID

from touchpoint.accounts import service as account_service
from touchpoint.accounts.repository import AccountRepository
from touchpoint.activities.repository import ActivityFilters, ActivityRepository
from touchpoint.activities.schemas import (
    Activity,
    ActivityCreate,
    ActivityUpdate,
    activity_values,
    category_of,
)
from touchpoint.core.errors import Conflict, NotFound
from touchpoint.core.paging import Position, SortOrder
from touchpoint.core.permissions import creator_limit, explain_refused_change, require_manager
from touchpoint.core.references import Reference, parse_reference

RESOURCE = "activity"
_ALL_FIELDS = frozenset(ActivityCreate.model_fields)


def to_schema(row: RowMapping) -> Activity:
    return Activity.model_validate({**row, "category": category_of(row["type"])})


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


def _not_found(value: str) -> NotFound:
    return NotFound(f"No activity has the id '{value[:64]}'.")


async def create(activities: ActivityRepository, body: ActivityCreate) -> Activity:
    principal = activities.scope.principal
    creator_limit(principal)
    now = datetime.now(UTC)
    values = activity_values(body, set(_ALL_FIELDS))
    values.update(uid=str(ULID()), created_by=principal.user_id, created_at=now, updated_at=now)
    return to_schema(await activities.insert(values))


async def get(
    activities: ActivityRepository, value: str, include_deleted: bool = False
) -> Activity:
    if include_deleted:
        require_manager(activities.scope.principal, "read deleted activities")
    row = await activities.find(reference(value), include_deleted)
    if row is None:
        raise _not_found(value)
    return to_schema(row)


async def list_page(
    activities: ActivityRepository,
    filters: ActivityFilters,
    order: SortOrder,
    after: Position | None,
    limit: int,
) -> Sequence[RowMapping]:
    if filters.include_deleted:
        require_manager(activities.scope.principal, "list deleted activities")
    return await activities.list_page(filters, order, after, limit)


async def account_timeline(
    activities: ActivityRepository,
    accounts: AccountRepository,
    account_value: str,
    filters: ActivityFilters,
    order: SortOrder,
    after: Position | None,
    limit: int,
) -> Sequence[RowMapping]:
    """An account's activities; 404 when the account does not exist (rather than an empty page)."""
    account_ref = account_service.reference(account_value)
    account_id = account_ref.id
    if account_id is None:
        account = await account_service.get(accounts, account_value, filters.include_deleted)
        account_id = int(account.id)
    rows = await list_page(
        activities, dataclasses.replace(filters, account_id=account_id), order, after, limit
    )
    if not rows and account_ref.id is not None:
        # Only an empty page leaves it open whether the account exists: check it then.
        await account_service.get(accounts, account_value, filters.include_deleted)
    return rows


async def _change(activities: ActivityRepository, value: str, values: dict[str, Any]) -> Activity:
    limit = creator_limit(activities.scope.principal)
    ref = reference(value)
    if not values:
        # Nothing to write, but the role rule still holds: a MEMBER may not change others' rows.
        current = await get(activities, value)
        if limit is not None and current.creator_id != limit:
            raise explain_refused_change(True, RESOURCE)
        return current
    values["updated_at"] = datetime.now(UTC)
    row = await activities.update(ref, values, creator_id=limit)
    if row is None:
        raise explain_refused_change(await activities.find(ref) is not None, RESOURCE)
    return to_schema(row)


async def update(activities: ActivityRepository, value: str, body: ActivityUpdate) -> Activity:
    return await _change(activities, value, activity_values(body, set(body.model_fields_set)))


async def replace(activities: ActivityRepository, value: str, body: ActivityCreate) -> Activity:
    return await _change(activities, value, activity_values(body, set(_ALL_FIELDS)))


async def delete(activities: ActivityRepository, value: str) -> None:
    limit = creator_limit(activities.scope.principal)
    ref = reference(value)
    now = datetime.now(UTC)
    values = {"deleted_at": now, "is_active": False, "updated_at": now}
    if await activities.update(ref, values, creator_id=limit) is None:
        raise explain_refused_change(await activities.find(ref) is not None, RESOURCE)


async def restore(activities: ActivityRepository, value: str) -> Activity:
    limit = creator_limit(activities.scope.principal)
    ref = reference(value)
    existing = await activities.find(ref, include_deleted=True)
    if existing is None:
        raise _not_found(value)
    if limit is not None and existing["creator_id"] != limit:
        raise explain_refused_change(True, RESOURCE)
    if existing["deleted_at"] is None:
        return to_schema(existing)
    values = {"deleted_at": None, "is_active": True, "updated_at": datetime.now(UTC)}
    row = await activities.update(ref, values, creator_id=limit, deleted=True)
    if row is not None:
        return to_schema(row)
    raise Conflict("The activity's account is deleted: restore the account first.")

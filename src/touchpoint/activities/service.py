"""Activity rules: defaults, linked participants, roles, soft delete and restore."""

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping

from touchpoint.accounts import service as account_service
from touchpoint.accounts.repository import AccountRepository
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.participants import check_links, with_current_people
from touchpoint.activities.repository import ActivityRepository
from touchpoint.activities.schemas import (
    Activity,
    ActivityCreate,
    ActivityUpdate,
    activity_values,
    category_of,
)
from touchpoint.core import lifecycle
from touchpoint.core.errors import Conflict
from touchpoint.core.paging import CursorCodec, Page, SortOrder
from touchpoint.core.permissions import require_writer
from touchpoint.core.references import Reference, parse_reference

RESOURCE = "activity"
_ALL_FIELDS = frozenset(ActivityCreate.model_fields)


def _schema(row: Mapping[str, Any]) -> Activity:
    return Activity.model_validate({**row, "category": category_of(row["type"])})


async def present(activities: ActivityRepository, row: RowMapping) -> Activity:
    return _schema((await with_current_people(activities, [row]))[0])


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


async def _checked(
    activities: ActivityRepository, values: dict[str, Any], old: RowMapping | None = None
) -> dict[str, Any]:
    if values.get("participants"):
        already_linked = old["participants"] if old is not None else ()
        await check_links(activities, values["participants"], already_linked)
    return values


async def create(activities: ActivityRepository, body: ActivityCreate) -> Activity:
    require_writer(activities.scope.principal)
    values = await _checked(activities, activity_values(body, set(_ALL_FIELDS)))
    row = await lifecycle.created(activities, RESOURCE, values)
    return await present(activities, row)


async def get(
    activities: ActivityRepository, value: str, include_deleted: bool = False
) -> Activity:
    ref = reference(value)
    row = await lifecycle.find_readable(activities, RESOURCE, ref, value, include_deleted)
    return await present(activities, row)


async def list_page(
    activities: ActivityRepository,
    filters: ActivityFilters,
    order: SortOrder,
    cursor: str | None,
    limit: int,
    cursors: CursorCodec,
) -> Page[Activity]:
    principal = activities.scope.principal
    lifecycle.require_may_see_deleted(principal, RESOURCE, filters.include_deleted)
    after = cursors.decode(cursor, order) if cursor else None
    rows = await activities.list_page(activities.conditions(filters), order, after, limit)
    shown = await with_current_people(activities, rows[:limit])
    return Page[Activity](
        data=[_schema(row) for row in shown], next_cursor=cursors.next_cursor(rows, limit, order)
    )


async def account_timeline(
    activities: ActivityRepository,
    account_value: str,
    filters: ActivityFilters,
    order: SortOrder,
    cursor: str | None,
    limit: int,
    cursors: CursorCodec,
) -> Page[Activity]:
    """An account's activities; 404 when the account does not exist (rather than an empty page)."""
    accounts = activities.sibling(AccountRepository)
    account_ref = account_service.reference(account_value)
    account_id = account_ref.id
    if account_id is None:
        account = await account_service.get(accounts, account_value, filters.include_deleted)
        account_id = int(account.id)
    filters = dataclasses.replace(filters, account_id=account_id)
    page = await list_page(activities, filters, order, cursor, limit, cursors)
    if not page.data and account_ref.id is not None:
        # Only an empty page leaves it open whether the account exists: check it then.
        await account_service.get(accounts, account_value, filters.include_deleted)
    return page


async def _change(activities: ActivityRepository, value: str, values: dict[str, Any]) -> Activity:
    old = await lifecycle.find_for_change(
        activities, RESOURCE, reference(value), value, naming_account=values.get("account_id")
    )
    values = await _checked(activities, values, old)
    return await present(activities, await lifecycle.changed(activities, RESOURCE, old, values))


async def update(activities: ActivityRepository, value: str, body: ActivityUpdate) -> Activity:
    return await _change(activities, value, activity_values(body, set(body.model_fields_set)))


async def replace(activities: ActivityRepository, value: str, body: ActivityCreate) -> Activity:
    return await _change(activities, value, activity_values(body, set(_ALL_FIELDS)))


async def delete(activities: ActivityRepository, value: str) -> None:
    old = await lifecycle.find_for_change(activities, RESOURCE, reference(value), value)
    await lifecycle.deleted(activities, RESOURCE, old)


async def restore(activities: ActivityRepository, value: str) -> Activity:
    """Undoes a soft delete; the account must be live."""
    ref = reference(value)
    old = await lifecycle.find_for_change(activities, RESOURCE, ref, value, include_deleted=True)
    if old["deleted_at"] is None:
        return await present(activities, old)
    if not await activities.account_is_live(old["account_id"]):
        raise Conflict("The activity's account is deleted: restore the account first.")
    return await present(activities, await lifecycle.restored(activities, RESOURCE, old))

"""Activity rules: defaults, linked participants, roles, soft delete and restore."""

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import RowMapping

from touchpoint.activities import ownership
from touchpoint.activities.documents import activity_document
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.participants import check_links, with_current_people
from touchpoint.activities.repository import ActivityRepository
from touchpoint.activities.schemas import (
    ActivityCompletion,
    ActivityCreate,
    ActivityListQuery,
    ActivityTimelineQuery,
    ActivityUpdate,
    FollowUpCreate,
    activity_values,
)
from touchpoint.activities.search import with_search_text
from touchpoint.core import lifecycle
from touchpoint.core.account_owned import ACCOUNT
from touchpoint.core.engagement import Engagement
from touchpoint.core.errors import Conflict, ValidationFailed, within
from touchpoint.core.json_answers import Document
from touchpoint.core.paging import PageRequest, page_document
from touchpoint.core.permissions import require_writer
from touchpoint.core.references import Reference, not_found, parse_reference
from touchpoint.models.activities import ActivityStatus

RESOURCE = "activity"
_ALL_FIELDS = frozenset(ActivityCreate.model_fields)


async def present(activities: ActivityRepository, row: RowMapping) -> Document:
    """The row as every answer shows an activity (activities/documents.py): linked people
    current."""
    return activity_document((await with_current_people(activities, [row]))[0])


async def present_all(
    activities: ActivityRepository, rows: Sequence[Mapping[Any, Any]]
) -> list[Document]:
    """Rows as `present` shows each, in at most two queries for all of them."""
    return [activity_document(row) for row in await with_current_people(activities, rows)]


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


async def _checked(
    activities: ActivityRepository, values: dict[str, Any], old: RowMapping | None = None
) -> dict[str, Any]:
    """The values with every reference checked (422 naming the field) and what depends on the
    row filled in: the owner, when it was completed, the words it is found by."""
    if values.get("participants"):
        already_linked = old["participants"] if old is not None else ()
        await check_links(activities, values["participants"], already_linked)
    values = ownership.with_owner(activities.scope.principal, values, old)
    await ownership.check_owner(activities, values, old)
    await ownership.check_followed(activities, values, old)
    return await with_search_text(activities, ownership.with_completion(values, old), old)


async def _refresh_engagement(activities: ActivityRepository, *rows: RowMapping | None) -> None:
    await activities.sibling(Engagement).refresh(row["account_id"] for row in rows if row)


async def create(activities: ActivityRepository, body: ActivityCreate) -> Document:
    require_writer(activities.scope.principal)
    values = await _checked(activities, activity_values(body, set(_ALL_FIELDS)))
    row = await lifecycle.created(activities, RESOURCE, values)
    await activities.sibling(Engagement).count_new(row)
    return await present(activities, row)


async def get(
    activities: ActivityRepository, value: str, include_deleted: bool = False
) -> Document:
    ref = reference(value)
    row = await lifecycle.find_readable(activities, RESOURCE, ref, value, include_deleted)
    return await present(activities, row)


async def list_page(
    activities: ActivityRepository, filters: ActivityFilters, sort: str, paging: PageRequest
) -> Document:
    """A page of the activities that match the filters: the list, a timeline, follow-ups."""
    principal = activities.scope.principal
    lifecycle.require_may_see_deleted(principal, RESOURCE, filters.include_deleted)
    order = activities.sort_order(sort, filters.search)
    conditions = activities.conditions(filters)
    rows = await activities.list_page(conditions, order, paging.after(order), paging.limit)
    data = await present_all(activities, rows[: paging.limit])
    return page_document(data, paging.next_cursor(rows, order))


async def list_activities(
    activities: ActivityRepository, query: ActivityListQuery, paging: PageRequest
) -> Document:
    return await list_page(activities, ActivityFilters.of(query), query.chosen_sort, paging)


async def account_timeline(
    activities: ActivityRepository,
    account_value: str,
    query: ActivityTimelineQuery,
    paging: PageRequest,
) -> Document:
    """An account's activities; 404 when the account does not exist (rather than an empty page)."""
    filters = ActivityFilters.of(query)
    lifecycle.require_may_see_deleted(activities.scope.principal, ACCOUNT, filters.include_deleted)
    account = parse_reference(account_value, ACCOUNT)
    account_id = account.id
    if account_id is None:
        account_id = await activities.account_id(account, filters.include_deleted)
        if account_id is None:
            raise not_found(ACCOUNT, account_value)
    filters = dataclasses.replace(filters, account_id=account_id)
    page = await list_page(activities, filters, query.chosen_sort, paging)
    # Only an empty page leaves it open whether the account exists: check it then.
    if (
        not page["data"]
        and account.id is not None
        and not await _exists(activities, account, filters)
    ):
        raise not_found(ACCOUNT, account_value)
    return page


async def _exists(
    activities: ActivityRepository, account: Reference, filters: ActivityFilters
) -> bool:
    return await activities.account_id(account, filters.include_deleted) is not None


async def _change(activities: ActivityRepository, value: str, values: dict[str, Any]) -> Document:
    old = await lifecycle.find_for_change(
        activities, RESOURCE, reference(value), value, naming_account=values.get("account_id")
    )
    values = await _checked(activities, values, old)
    new = await lifecycle.changed(activities, RESOURCE, old, values)
    await _refresh_engagement(activities, old, new)
    return await present(activities, new)


async def update(activities: ActivityRepository, value: str, body: ActivityUpdate) -> Document:
    return await _change(activities, value, activity_values(body, set(body.model_fields_set)))


async def replace(activities: ActivityRepository, value: str, body: ActivityCreate) -> Document:
    return await _change(activities, value, activity_values(body, set(_ALL_FIELDS)))


async def complete(
    activities: ActivityRepository, value: str, body: ActivityCompletion
) -> Document:
    """COMPLETED (with its outcome), and the follow-up planned, in one unit of work."""
    old = await lifecycle.find_for_change(activities, RESOURCE, reference(value), value)
    if old["status"] != ActivityStatus.PENDING:
        raise Conflict(f"Only a PENDING activity can be completed; this one is {old['status']}.")
    values: dict[str, Any] = {"status": ActivityStatus.COMPLETED.value}
    if body.outcome is not None:
        values["outcome"] = body.outcome
    values = await with_search_text(activities, ownership.with_completion(values, old), old)
    new = await lifecycle.changed(activities, RESOURCE, old, values)
    follow_up = None
    if body.follow_up is not None:
        fields = activity_values(body.follow_up, set(FollowUpCreate.model_fields))
        planned = {**fields, "account_id": old["account_id"], "follow_up_of_id": old["id"]}
        try:
            planned = await _checked(activities, planned)
        except ValidationFailed as error:
            raise within("followUp", error) from error
        follow_up = await lifecycle.created(activities, RESOURCE, planned)
    await _refresh_engagement(activities, new)
    shown = await with_current_people(activities, [new] + ([follow_up] if follow_up else []))
    documents = [activity_document(row) for row in shown]
    return {"activity": documents[0], "followUp": documents[1] if follow_up else None}


async def delete(activities: ActivityRepository, value: str) -> None:
    old = await lifecycle.find_for_change(activities, RESOURCE, reference(value), value)
    await lifecycle.deleted(activities, RESOURCE, old)
    await _refresh_engagement(activities, old)


async def restore(activities: ActivityRepository, value: str) -> Document:
    """Undoes a soft delete; the account must be live."""
    ref = reference(value)
    old = await lifecycle.find_for_change(activities, RESOURCE, ref, value, include_deleted=True)
    if old["deleted_at"] is None:
        return await present(activities, old)
    if not await activities.account_is_live(old["account_id"]):
        raise Conflict("The activity's account is deleted: restore the account first.")
    row = await lifecycle.restored(activities, RESOURCE, old)
    await _refresh_engagement(activities, row)
    return await present(activities, row)

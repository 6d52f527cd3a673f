"""HTTP handlers for /v1/activities and an account's timeline."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from touchpoint.activities import service
from touchpoint.activities.dependencies import Activities
from touchpoint.activities.schemas import (
    Activity,
    ActivityCompletion,
    ActivityCreate,
    ActivityListQuery,
    ActivityTimelineQuery,
    ActivityUpdate,
    Completed,
)
from touchpoint.auth.dependencies import Cursors
from touchpoint.core.json_answers import JsonAnswer
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.references import REFERENCE
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, tags=["activities"])
# An id or uid only (core/references.py): /v1/activities/stats and /export are other paths.
ITEM = f"/v1/activities/{{activity_id:{REFERENCE}}}"
IncludeDeleted = Annotated[bool, Query(alias="includeDeleted", description="ADMIN and OWNER only.")]


@router.post("/v1/activities", status_code=status.HTTP_201_CREATED, response_model=Activity)
async def create_activity(body: ActivityCreate, activities: Activities) -> JsonAnswer:
    """Record an activity with an account of the organization."""
    activity = await service.create(activities, body)
    location = {"Location": f"/v1/activities/{activity['id']}"}
    return JsonAnswer(activity, status.HTTP_201_CREATED, location)


@router.get("/v1/activities", response_model=Page[Activity])
async def list_activities(
    query: Annotated[ActivityListQuery, Query()], activities: Activities, cursors: Cursors
) -> JsonAnswer:
    """List activities, filtered or searched, cursor-paged."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return JsonAnswer(await service.list_activities(activities, query, paging))


@router.get(
    "/v1/accounts/{account_id}/activities", tags=["accounts"], response_model=Page[Activity]
)
async def account_timeline(
    account_id: str,
    query: Annotated[ActivityTimelineQuery, Query()],
    activities: Activities,
    cursors: Cursors,
) -> JsonAnswer:
    """An account's timeline: its activities, with the list's filters and paging."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return JsonAnswer(await service.account_timeline(activities, account_id, query, paging))


@router.get(ITEM, response_model=Activity)
async def get_activity(
    activity_id: str, activities: Activities, include_deleted: IncludeDeleted = False
) -> JsonAnswer:
    """Read one activity by id or uid."""
    return JsonAnswer(await service.get(activities, activity_id, include_deleted))


@router.patch(ITEM, response_model=Activity)
async def update_activity(
    activity_id: str, body: ActivityUpdate, activities: Activities
) -> JsonAnswer:
    """Change the fields sent; null clears an optional field (to its default)."""
    return JsonAnswer(await service.update(activities, activity_id, body))


@router.put(ITEM, response_model=Activity)
async def replace_activity(
    activity_id: str, body: ActivityCreate, activities: Activities
) -> JsonAnswer:
    """Replace an activity: the create rules apply, fields left out take their defaults."""
    return JsonAnswer(await service.replace(activities, activity_id, body))


@router.post("/v1/activities/{activity_id}/complete", response_model=Completed)
async def complete_activity(
    activity_id: str, activities: Activities, body: ActivityCompletion | None = None
) -> JsonAnswer:
    """Complete a PENDING activity, with its outcome, and plan its follow-up in the same step."""
    completion = body or ActivityCompletion()
    return JsonAnswer(await service.complete(activities, activity_id, completion))


@router.delete(ITEM, status_code=status.HTTP_204_NO_CONTENT)
async def delete_activity(activity_id: str, activities: Activities) -> None:
    """Soft-delete an activity: it leaves lists and reads, and can be restored."""
    await service.delete(activities, activity_id)


@router.post("/v1/activities/{activity_id}/restore", response_model=Activity)
async def restore_activity(activity_id: str, activities: Activities) -> JsonAnswer:
    """Undo a soft delete; the account must be live."""
    return JsonAnswer(await service.restore(activities, activity_id))

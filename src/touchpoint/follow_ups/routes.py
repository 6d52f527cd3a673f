"""HTTP handler for /v1/follow-ups."""

from typing import Annotated

from fastapi import APIRouter, Query

from touchpoint.activities.dependencies import Activities
from touchpoint.activities.schemas import Activity
from touchpoint.auth.dependencies import Cursors
from touchpoint.core.json_answers import JsonAnswer
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.retries import RetryingRoute
from touchpoint.follow_ups import service
from touchpoint.follow_ups.schemas import FollowUpQuery

router = APIRouter(route_class=RetryingRoute, tags=["follow-ups"])


@router.get("/v1/follow-ups", response_model=Page[Activity])
async def follow_ups(
    query: Annotated[FollowUpQuery, Query()], activities: Activities, cursors: Cursors
) -> JsonAnswer:
    """PENDING activities to follow up (overdue, today, upcoming), oldest first, cursor-paged."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return JsonAnswer(await service.queue(activities, query, paging))

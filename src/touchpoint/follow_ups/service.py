"""The follow-up queue: PENDING activities the caller can see, oldest first, in a window of time.

It is the activity list with fixed filters, so privacy, paging and presentation are the list's.
"""

from datetime import UTC, datetime

from touchpoint.activities import service as activity_service
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.repository import ActivityRepository
from touchpoint.core.json_answers import Document
from touchpoint.core.paging import PageRequest
from touchpoint.core.time_zones import local_day
from touchpoint.follow_ups.schemas import FollowUpQuery, Window
from touchpoint.models.activities import ActivityStatus

OLDEST_FIRST = "activityTimestamp"


def window(when: Window, zone: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[start, end) of activityTimestamp for a window; None leaves that side open."""
    if when == "overdue":
        return None, now
    if when == "upcoming":
        return now, None
    if when == "today":
        return local_day(zone, now)
    return None, None


async def queue(
    activities: ActivityRepository, query: FollowUpQuery, paging: PageRequest
) -> Document:
    starts_at, ends_before = window(query.when, query.tz, datetime.now(UTC))
    filters = ActivityFilters(
        account_id=query.account_id,
        statuses=(ActivityStatus.PENDING.value,),
        starts_at=starts_at,
        ends_before=ends_before,
        owner=query.owner_id,
    )
    return await activity_service.list_page(activities, filters, OLDEST_FIRST, paging)

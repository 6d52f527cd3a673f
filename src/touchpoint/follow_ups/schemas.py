"""The follow-up queue's query: which window, whose, in which zone."""

from typing import Literal

from pydantic import Field

from touchpoint.activities.schemas import MemberFilter
from touchpoint.core.fields import Identifier, WriteModel
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit
from touchpoint.core.time_zones import TimeZoneName

Window = Literal["overdue", "today", "upcoming", "all"]


class FollowUpQuery(WriteModel):
    """Query parameters of GET /v1/follow-ups; unknown ones are refused."""

    when: Window = Field(
        "all",
        description="overdue: before now; today: the current day in `tz`; upcoming: from now on.",
    )
    owner_id: MemberFilter | None = Field(
        None, description="Whose follow-ups: `me` is the caller; everyone's when left out."
    )
    account_id: Identifier | None = None
    tz: TimeZoneName = "UTC"
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None

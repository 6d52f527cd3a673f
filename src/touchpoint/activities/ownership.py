"""Follow-up rules of a write: who owns an activity, what it follows up, when it was completed."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping

from touchpoint.activities.repository import ActivityRepository
from touchpoint.core.errors import invalid_field
from touchpoint.core.tenancy import Principal
from touchpoint.members.repository import MemberRepository
from touchpoint.models.activities import ActivityStatus


def with_owner(
    principal: Principal, values: dict[str, Any], old: RowMapping | None
) -> dict[str, Any]:
    """No owner (left out on create or PUT, or null): the creator owns it."""
    if "owner_id" in values and values["owner_id"] is None:
        return {**values, "owner_id": old["creator_id"] if old else principal.user_id}
    return values


async def check_owner(
    activities: ActivityRepository, values: dict[str, Any], old: RowMapping | None
) -> None:
    owner = values.get("owner_id")
    if owner is None or (old is not None and owner == old["owner_id"]):
        return
    if owner == activities.scope.principal.user_id:
        return
    if not await activities.sibling(MemberRepository).existing_user_ids([owner]):
        raise invalid_field("ownerId", "No member of the organization has this id.")


async def check_followed(
    activities: ActivityRepository, values: dict[str, Any], old: RowMapping | None
) -> None:
    """The activity followed up: of the organization, live and visible to the caller."""
    followed = values.get("follow_up_of_id")
    if followed is None or (old is not None and followed == old["follow_up_of_id"]):
        return
    if old is not None and followed == old["id"]:
        raise invalid_field("followUpOfId", "An activity cannot follow up itself.")
    if not await activities.visible_live_ids([followed]):
        raise invalid_field("followUpOfId", "No live activity you can see has this id.")


def with_completion(values: dict[str, Any], old: RowMapping | None) -> dict[str, Any]:
    """completedAt is set when the status becomes COMPLETED and cleared when it leaves it."""
    if "status" not in values:
        return values
    if values["status"] != ActivityStatus.COMPLETED:
        return {**values, "completed_at": None}
    if old is not None and old["status"] == ActivityStatus.COMPLETED:
        return values
    return {**values, "completed_at": datetime.now(UTC)}

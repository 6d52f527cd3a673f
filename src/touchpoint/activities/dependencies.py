"""The activity repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.activities.repository import ActivityRepository
from touchpoint.auth.dependencies import Tenant


async def activity_repository(tenant: Tenant) -> ActivityRepository:
    return ActivityRepository(tenant.connection, tenant.scope)


Activities = Annotated[ActivityRepository, Depends(activity_repository)]

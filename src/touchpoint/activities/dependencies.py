"""The activity repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.activities.repository import ActivityRepository
from touchpoint.auth.dependencies import Connection, Scope


async def activity_repository(connection: Connection, scope: Scope) -> ActivityRepository:
    return ActivityRepository(connection, scope)


Activities = Annotated[ActivityRepository, Depends(activity_repository)]

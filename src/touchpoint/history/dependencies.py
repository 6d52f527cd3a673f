"""The history repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.auth.dependencies import Tenant
from touchpoint.history.repository import HistoryRepository


async def history_repository(tenant: Tenant) -> HistoryRepository:
    return HistoryRepository(tenant.connection, tenant.scope)


History = Annotated[HistoryRepository, Depends(history_repository)]

"""The history repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.auth.dependencies import Connection, Scope
from touchpoint.history.repository import HistoryRepository


async def history_repository(connection: Connection, scope: Scope) -> HistoryRepository:
    return HistoryRepository(connection, scope)


History = Annotated[HistoryRepository, Depends(history_repository)]

"""The account repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.accounts.repository import AccountRepository
from touchpoint.auth.dependencies import Connection, Scope


async def account_repository(connection: Connection, scope: Scope) -> AccountRepository:
    return AccountRepository(connection, scope)


Accounts = Annotated[AccountRepository, Depends(account_repository)]

"""The account repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.accounts.repository import AccountRepository
from touchpoint.auth.dependencies import Tenant


async def account_repository(tenant: Tenant) -> AccountRepository:
    return AccountRepository(tenant.connection, tenant.scope)


Accounts = Annotated[AccountRepository, Depends(account_repository)]

"""The contact repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.auth.dependencies import Tenant
from touchpoint.contacts.repository import ContactRepository


async def contact_repository(tenant: Tenant) -> ContactRepository:
    return ContactRepository(tenant.connection, tenant.scope)


Contacts = Annotated[ContactRepository, Depends(contact_repository)]

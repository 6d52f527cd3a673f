"""The contact repository of a request, bound to its unit of work and tenant scope."""

from typing import Annotated

from fastapi import Depends

from touchpoint.auth.dependencies import Connection, Scope
from touchpoint.contacts.repository import ContactRepository


async def contact_repository(connection: Connection, scope: Scope) -> ContactRepository:
    return ContactRepository(connection, scope)


Contacts = Annotated[ContactRepository, Depends(contact_repository)]

"""HTTP handlers for /v1/contacts."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from touchpoint.auth.dependencies import Cursors
from touchpoint.contacts import service
from touchpoint.contacts.dependencies import Contacts
from touchpoint.contacts.schemas import Contact, ContactCreate, ContactListQuery, ContactUpdate
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, prefix="/v1/contacts", tags=["contacts"])
IncludeDeleted = Annotated[bool, Query(alias="includeDeleted", description="ADMIN and OWNER only.")]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_contact(body: ContactCreate, contacts: Contacts, response: Response) -> Contact:
    """Create a contact at a live account; its email must be unique among live contacts."""
    contact = await service.create(contacts, body)
    response.headers["Location"] = f"/v1/contacts/{contact.id}"
    return contact


@router.get("")
async def list_contacts(
    query: Annotated[ContactListQuery, Query()], contacts: Contacts, cursors: Cursors
) -> Page[Contact]:
    """List contacts, newest first by default, filtered, cursor-paged."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return await service.list_page(contacts, query, paging)


@router.get("/{contact_id}")
async def get_contact(
    contact_id: str, contacts: Contacts, include_deleted: IncludeDeleted = False
) -> Contact:
    """Read one contact by id or uid."""
    return await service.get(contacts, contact_id, include_deleted)


@router.patch("/{contact_id}")
async def update_contact(contact_id: str, body: ContactUpdate, contacts: Contacts) -> Contact:
    """Change the fields sent; null clears an optional field."""
    return await service.update(contacts, contact_id, body)


@router.put("/{contact_id}")
async def replace_contact(contact_id: str, body: ContactCreate, contacts: Contacts) -> Contact:
    """Replace a contact: the create rules apply, fields left out take their defaults."""
    return await service.replace(contacts, contact_id, body)


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_contact(contact_id: str, contacts: Contacts) -> None:
    """Soft-delete a contact; activities keep their link to it."""
    await service.delete(contacts, contact_id)


@router.post("/{contact_id}/restore")
async def restore_contact(contact_id: str, contacts: Contacts) -> Contact:
    """Undo a soft delete; the account must be live and the email free."""
    return await service.restore(contacts, contact_id)

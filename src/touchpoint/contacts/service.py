"""Contact rules: roles, the live account, unique email, soft delete and restore."""

from typing import Any

from sqlalchemy import RowMapping

from touchpoint.contacts.repository import SORT_ORDERS, ContactFilters, ContactRepository
from touchpoint.contacts.schemas import (
    Contact,
    ContactCreate,
    ContactListQuery,
    ContactUpdate,
    contact_values,
)
from touchpoint.core import lifecycle
from touchpoint.core.errors import Conflict
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.references import Reference, parse_reference

RESOURCE = "contact"
_ALL_FIELDS = frozenset(ContactCreate.model_fields)


def to_schema(row: RowMapping) -> Contact:
    return Contact.model_validate(row)


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


async def create(contacts: ContactRepository, body: ContactCreate) -> Contact:
    values = contact_values(body, set(_ALL_FIELDS))
    return to_schema(await lifecycle.created(contacts, RESOURCE, values))


async def get(contacts: ContactRepository, value: str, include_deleted: bool = False) -> Contact:
    ref = reference(value)
    return to_schema(await lifecycle.find_readable(contacts, RESOURCE, ref, value, include_deleted))


async def list_page(
    contacts: ContactRepository, query: ContactListQuery, paging: PageRequest
) -> Page[Contact]:
    lifecycle.require_may_see_deleted(contacts.scope.principal, RESOURCE, query.include_deleted)
    order = SORT_ORDERS[query.sort]
    filters = ContactFilters(
        account_id=query.account_id,
        contact_types=query.contact_type,
        email=query.email,
        q=query.q,
        is_active=query.is_active,
        include_deleted=query.include_deleted,
    )
    conditions = contacts.conditions(filters)
    rows = await contacts.list_page(conditions, order, paging.after(order), paging.limit)
    return paging.page(Page[Contact], rows, order, to_schema)


async def _change(contacts: ContactRepository, value: str, values: dict[str, Any]) -> Contact:
    old = await lifecycle.find_for_change(
        contacts, RESOURCE, reference(value), value, naming_account=values.get("account_id")
    )
    return to_schema(await lifecycle.changed(contacts, RESOURCE, old, values))


async def update(contacts: ContactRepository, value: str, body: ContactUpdate) -> Contact:
    return await _change(contacts, value, contact_values(body, set(body.model_fields_set)))


async def replace(contacts: ContactRepository, value: str, body: ContactCreate) -> Contact:
    return await _change(contacts, value, contact_values(body, set(_ALL_FIELDS)))


async def delete(contacts: ContactRepository, value: str) -> None:
    old = await lifecycle.find_for_change(contacts, RESOURCE, reference(value), value)
    await lifecycle.deleted(contacts, RESOURCE, old)


async def restore(contacts: ContactRepository, value: str) -> Contact:
    """Undoes a soft delete; the account must be live, and the email free among live contacts."""
    ref = reference(value)
    old = await lifecycle.find_for_change(contacts, RESOURCE, ref, value, include_deleted=True)
    if old["deleted_at"] is None:
        return to_schema(old)
    if not await contacts.account_is_live(old["account_id"]):
        raise Conflict("The contact's account is deleted: restore the account first.")
    return to_schema(await lifecycle.restored(contacts, RESOURCE, old))

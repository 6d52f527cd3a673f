"""All SQL for contacts. Every statement starts from the tenant scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Table, func, or_
from sqlalchemy.exc import IntegrityError

from touchpoint.core.account_owned import AccountOwnedRepository
from touchpoint.core.errors import Conflict, invalid_field
from touchpoint.core.paging import SortOrder
from touchpoint.core.resources import violates
from touchpoint.models import contacts

COLUMNS = (
    contacts.c.id,
    contacts.c.uid,
    contacts.c.account_id,
    contacts.c.first_name,
    contacts.c.last_name,
    contacts.c.email,
    contacts.c.phone,
    contacts.c.title,
    contacts.c.contact_type,
    contacts.c.metadata,
    contacts.c.is_active,
    contacts.c.created_by.label("creator_id"),
    contacts.c.created_at,
    contacts.c.updated_at,
    contacts.c.deleted_at,
)
SORT_ORDERS = {
    name: SortOrder(name, contacts.c.created_at, contacts.c.id, descending=name.startswith("-"))
    for name in ("-createdAt", "createdAt")
}


@dataclass(frozen=True, slots=True)
class ContactFilters:
    account_id: int | None = None
    contact_types: Sequence[str] | None = None
    email: str | None = None
    q: str | None = None
    is_active: bool | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class ContactRepository(AccountOwnedRepository):
    table: ClassVar[Table] = contacts
    columns: ClassVar[tuple[Any, ...]] = COLUMNS
    returned_columns: ClassVar[tuple[Any, ...]] = COLUMNS

    def refusal(self, error: IntegrityError) -> Exception:
        if violates(error, "uq_contacts_live_email"):
            return Conflict("A live contact with this email exists already in the organization.")
        return invalid_field("accountId", "No live account has this id in the organization.")

    def conditions(self, filters: ContactFilters) -> list[ColumnElement[bool]]:
        column = contacts.c
        conditions = self.live_condition(filters.include_deleted)
        if filters.account_id is not None:
            conditions.append(column.account_id == filters.account_id)
        if filters.contact_types:
            conditions.append(column.contact_type.in_(filters.contact_types))
        if filters.email is not None:
            conditions.append(func.lower(column.email) == func.lower(filters.email))
        if filters.q:
            fields = (column.first_name, column.last_name, column.email)
            conditions.append(or_(*(self.contains_text(field, filters.q) for field in fields)))
        if filters.is_active is not None:
            conditions.append(column.is_active == filters.is_active)
        return conditions

    async def existing_ids(self, ids: Sequence[int]) -> set[int]:
        """Which of these ids are live contacts of the organization."""
        statement = self.scope.select(contacts, contacts.c.id).where(
            contacts.c.id.in_(ids), contacts.c.deleted_at.is_(None)
        )
        return set((await self.connection.execute(statement)).scalars().all())

    async def names_and_emails(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Current name and email of these contacts (deleted ones too: the link stays)."""
        statement = self.scope.select(
            contacts, contacts.c.id, contacts.c.first_name, contacts.c.last_name, contacts.c.email
        ).where(contacts.c.id.in_(ids))
        rows = (await self.connection.execute(statement)).all()
        return {row[0]: (" ".join(filter(None, (row[1], row[2]))), row[3]) for row in rows}

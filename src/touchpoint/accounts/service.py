"""Account rules: who may do what, uniqueness, and the delete/cascade/restore rules."""

from sqlalchemy import RowMapping

from touchpoint.accounts.repository import SORT_ORDERS, AccountFilters, AccountRepository
from touchpoint.accounts.schemas import (
    Account,
    AccountCreate,
    AccountListQuery,
    AccountUpdate,
    account_values,
)
from touchpoint.activities.repository import ActivityRepository
from touchpoint.contacts.repository import ContactRepository
from touchpoint.core import lifecycle
from touchpoint.core.account_owned import ACCOUNT, AccountOwnedRepository
from touchpoint.core.engagement import Engagement
from touchpoint.core.errors import Conflict
from touchpoint.core.history_records import HistoryRecords
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.permissions import require_manager, require_writer
from touchpoint.core.references import Reference, parse_reference

RESOURCE = ACCOUNT
# What an account's cascade deletes and its restore brings back, with their history names.
_DEPENDENTS: tuple[tuple[str, type[AccountOwnedRepository]], ...] = (
    ("activity", ActivityRepository),
    ("contact", ContactRepository),
)


def to_schema(row: RowMapping) -> Account:
    return Account.model_validate(row)


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


async def create(accounts: AccountRepository, body: AccountCreate) -> Account:
    values = account_values(body, set(AccountCreate.model_fields))
    return to_schema(await lifecycle.created(accounts, RESOURCE, values))


async def get(accounts: AccountRepository, value: str, include_deleted: bool = False) -> Account:
    ref = reference(value)
    return to_schema(await lifecycle.find_readable(accounts, RESOURCE, ref, value, include_deleted))


async def list_page(
    accounts: AccountRepository, query: AccountListQuery, paging: PageRequest
) -> Page[Account]:
    lifecycle.require_may_see_deleted(accounts.scope.principal, RESOURCE, query.include_deleted)
    order = SORT_ORDERS[query.sort]
    filters = AccountFilters(
        q=query.q,
        primary_domain=query.primary_domain,
        industry=query.industry,
        is_active=query.is_active,
        include_deleted=query.include_deleted,
        last_activity_before=query.last_activity_before,
    )
    conditions = accounts.conditions(filters)
    # The index orders by the stored figures, which time may have changed since.
    by_engagement = filters.last_activity_before is not None or order.name.endswith(
        "lastActivityAt"
    )
    read = accounts.list_page_by_engagement if by_engagement else accounts.list_page
    rows = await read(conditions, order, paging.after(order), paging.limit)
    return paging.page(Page[Account], rows, order, to_schema)


async def update(accounts: AccountRepository, value: str, body: AccountUpdate) -> Account:
    old = await lifecycle.find_for_change(accounts, RESOURCE, reference(value), value)
    return to_schema(await lifecycle.changed(accounts, RESOURCE, old, account_values(body)))


async def replace(accounts: AccountRepository, value: str, body: AccountCreate) -> Account:
    old = await lifecycle.find_for_change(accounts, RESOURCE, reference(value), value)
    values = account_values(body, set(AccountCreate.model_fields))
    return to_schema(await lifecycle.changed(accounts, RESOURCE, old, values))


async def delete(accounts: AccountRepository, value: str, cascade: bool) -> None:
    """Refused with 409 while live activities or contacts belong to it, unless cascade."""
    principal = accounts.scope.principal
    require_writer(principal)
    if cascade:
        require_manager(principal, "delete an account with cascade=true")
    old = await lifecycle.find_for_change(accounts, RESOURCE, reference(value), value)
    if not cascade and await accounts.has_live_dependents(old["id"]):
        raise Conflict(
            "The account has live activities or contacts: delete them first,"
            " or ask for ?cascade=true."
        )
    history = accounts.sibling(HistoryRecords)
    row = await lifecycle.deleted(accounts, RESOURCE, old)
    for resource, repository in _DEPENDENTS:
        ids = await accounts.sibling(repository).delete_for_account(row["id"], row["deleted_at"])
        await history.record_many(resource, ids, "delete", row["deleted_at"])
    await accounts.sibling(Engagement).refresh([row["id"]])


async def restore(accounts: AccountRepository, value: str) -> Account:
    """Undoes a soft delete, and with it the cascade that deleted others at the same instant."""
    ref = reference(value)
    old = await lifecycle.find_for_change(accounts, RESOURCE, ref, value, include_deleted=True)
    if old["deleted_at"] is None:
        return to_schema(old)
    history = accounts.sibling(HistoryRecords)
    row = await lifecycle.restored(accounts, RESOURCE, old)
    for resource, repository in _DEPENDENTS:
        dependents = accounts.sibling(repository)
        ids = await dependents.restore_for_account(row["id"], old["deleted_at"], row["updated_at"])
        await history.record_many(resource, ids, "restore", row["updated_at"])
    await accounts.sibling(Engagement).refresh([row["id"]])
    return await get(accounts, str(row["id"]))

"""Account rules: who may do what, uniqueness, and the delete/cascade/restore rules."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping
from ulid import ULID

from touchpoint.accounts.repository import AccountFilters, AccountRepository
from touchpoint.accounts.schemas import Account, AccountCreate, AccountUpdate, account_values
from touchpoint.activities.repository import ActivityRepository
from touchpoint.core.errors import Conflict, NotFound
from touchpoint.core.paging import Position, SortOrder
from touchpoint.core.permissions import creator_limit, explain_refused_change, require_manager
from touchpoint.core.references import Reference, parse_reference

RESOURCE = "account"


def to_schema(row: RowMapping) -> Account:
    return Account.model_validate(row)


def reference(value: str) -> Reference:
    return parse_reference(value, RESOURCE)


async def create(accounts: AccountRepository, body: AccountCreate) -> Account:
    principal = accounts.scope.principal
    creator_limit(principal)
    now = datetime.now(UTC)
    values = account_values(body, set(AccountCreate.model_fields))
    values.update(uid=str(ULID()), created_by=principal.user_id, created_at=now, updated_at=now)
    return to_schema(await accounts.insert(values))


async def get(accounts: AccountRepository, value: str, include_deleted: bool = False) -> Account:
    if include_deleted:
        require_manager(accounts.scope.principal, "read deleted accounts")
    row = await accounts.find(reference(value), include_deleted)
    if row is None:
        raise NotFound(f"No account has the id '{value}'.")
    return to_schema(row)


async def list_page(
    accounts: AccountRepository,
    filters: AccountFilters,
    order: SortOrder,
    after: Position | None,
    limit: int,
) -> Sequence[RowMapping]:
    if filters.include_deleted:
        require_manager(accounts.scope.principal, "list deleted accounts")
    return await accounts.list_page(filters, order, after, limit)


async def _change(accounts: AccountRepository, value: str, values: dict[str, Any]) -> Account:
    limit = creator_limit(accounts.scope.principal)
    ref = reference(value)
    if not values:
        return await get(accounts, value)
    values["updated_at"] = datetime.now(UTC)
    row = await accounts.update(ref, values, creator_id=limit)
    if row is None:
        raise explain_refused_change(await accounts.find(ref) is not None, RESOURCE)
    return to_schema(row)


async def update(accounts: AccountRepository, value: str, body: AccountUpdate) -> Account:
    return await _change(accounts, value, account_values(body))


async def replace(accounts: AccountRepository, value: str, body: AccountCreate) -> Account:
    return await _change(accounts, value, account_values(body, set(AccountCreate.model_fields)))


async def delete(
    accounts: AccountRepository, activities: ActivityRepository, value: str, cascade: bool
) -> None:
    principal = accounts.scope.principal
    limit = creator_limit(principal)
    if cascade:
        require_manager(principal, "delete an account with cascade=true")
    ref = reference(value)
    now = datetime.now(UTC)
    row = await accounts.soft_delete(ref, now, creator_id=limit, only_if_empty=not cascade)
    if row is None:
        await _explain_refused_delete(accounts, ref)
        return
    if cascade:
        await activities.soft_delete_for_account(row["id"], now)


async def _explain_refused_delete(accounts: AccountRepository, ref: Reference) -> None:
    existing = await accounts.find(ref)
    if existing is not None and await accounts.has_live_activities(existing["id"]):
        raise Conflict(
            "The account has live activities: delete them first, or ask for ?cascade=true."
        )
    raise explain_refused_change(existing is not None, RESOURCE)


async def restore(
    accounts: AccountRepository, activities: ActivityRepository, value: str
) -> Account:
    """Undoes a soft delete, and with it the cascade that deleted activities at the same instant."""
    limit = creator_limit(accounts.scope.principal)
    ref = reference(value)
    deleted = await accounts.find(ref, include_deleted=True)
    if deleted is None:
        raise NotFound(f"No account has the id '{value}'.")
    if deleted["deleted_at"] is None:
        return to_schema(deleted)
    now = datetime.now(UTC)
    values = {"deleted_at": None, "is_active": True, "updated_at": now}
    row = await accounts.update(ref, values, creator_id=limit, deleted=True)
    if row is None:
        raise explain_refused_change(True, RESOURCE)
    await activities.restore_for_account(row["id"], deleted["deleted_at"], now)
    return to_schema(row)

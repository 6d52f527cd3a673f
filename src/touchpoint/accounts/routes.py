"""HTTP handlers for /v1/accounts."""

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from touchpoint.accounts import service
from touchpoint.accounts.dependencies import Accounts
from touchpoint.accounts.schemas import Account, AccountCreate, AccountListQuery, AccountUpdate
from touchpoint.auth.dependencies import Cursors
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, prefix="/v1/accounts", tags=["accounts"])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_account(body: AccountCreate, accounts: Accounts, response: Response) -> Account:
    """Create an account; its primaryDomain must be unique among the organization's live ones."""
    account = await service.create(accounts, body)
    response.headers["Location"] = f"/v1/accounts/{account.id}"
    return account


@router.get("")
async def list_accounts(
    query: Annotated[AccountListQuery, Query()], accounts: Accounts, cursors: Cursors
) -> Page[Account]:
    """List accounts, newest first by default, one cursor-paged page at a time."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return await service.list_page(accounts, query, paging)


@router.get("/{account_id}")
async def get_account(
    account_id: str,
    accounts: Accounts,
    include_deleted: Annotated[bool, Query(alias="includeDeleted")] = False,
) -> Account:
    """Read one account by id or uid."""
    return await service.get(accounts, account_id, include_deleted)


@router.patch("/{account_id}")
async def update_account(account_id: str, body: AccountUpdate, accounts: Accounts) -> Account:
    """Change the fields sent; null clears an optional field."""
    return await service.update(accounts, account_id, body)


@router.put("/{account_id}")
async def replace_account(account_id: str, body: AccountCreate, accounts: Accounts) -> Account:
    """Replace an account: the create rules apply, and fields left out take their defaults."""
    return await service.replace(accounts, account_id, body)


@router.delete("/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_account(
    account_id: str,
    accounts: Accounts,
    cascade: Annotated[bool, Query(description="Also soft-delete its live activities.")] = False,
) -> None:
    """Soft-delete an account; refused with 409 while it has live activities, unless cascade."""
    await service.delete(accounts, account_id, cascade)


@router.post("/{account_id}/restore")
async def restore_account(account_id: str, accounts: Accounts) -> Account:
    """Undo a soft delete, with the activities its cascade deleted."""
    return await service.restore(accounts, account_id)

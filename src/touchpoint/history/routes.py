"""HTTP handlers for the change history of accounts, activities and contacts."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from touchpoint.accounts.dependencies import Accounts
from touchpoint.activities.dependencies import Activities
from touchpoint.auth.dependencies import Cursors
from touchpoint.contacts.dependencies import Contacts
from touchpoint.core.fields import WriteModel
from touchpoint.core.paging import (
    DEFAULT_PAGE_SIZE,
    CursorCodec,
    CursorParameter,
    Page,
    PageLimit,
    PageRequest,
)
from touchpoint.core.retries import RetryingRoute
from touchpoint.history import service
from touchpoint.history.dependencies import History
from touchpoint.history.repository import HistoryRepository
from touchpoint.history.schemas import HistoryEntry

router = APIRouter(route_class=RetryingRoute, tags=["history"])


class HistoryQuery(WriteModel):
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None


async def _page(
    repository: Any,
    history: HistoryRepository,
    resource: str,
    value: str,
    query: HistoryQuery,
    cursors: CursorCodec,
) -> Page[HistoryEntry]:
    paging = PageRequest(query.cursor, query.limit, cursors)
    return await service.history_of(repository, history, resource, value, paging)


@router.get("/v1/activities/{activity_id}/history", tags=["activities"])
async def activity_history(
    activity_id: str,
    query: Annotated[HistoryQuery, Query()],
    activities: Activities,
    history: History,
    cursors: Cursors,
) -> Page[HistoryEntry]:
    """Every create, change, delete and restore of the activity, newest first."""
    return await _page(activities, history, "activity", activity_id, query, cursors)


@router.get("/v1/accounts/{account_id}/history", tags=["accounts"])
async def account_history(
    account_id: str,
    query: Annotated[HistoryQuery, Query()],
    accounts: Accounts,
    history: History,
    cursors: Cursors,
) -> Page[HistoryEntry]:
    """Every create, change, delete and restore of the account, newest first."""
    return await _page(accounts, history, "account", account_id, query, cursors)


@router.get("/v1/contacts/{contact_id}/history", tags=["contacts"])
async def contact_history(
    contact_id: str,
    query: Annotated[HistoryQuery, Query()],
    contacts: Contacts,
    history: History,
    cursors: Cursors,
) -> Page[HistoryEntry]:
    """Every create, change, delete and restore of the contact, newest first."""
    return await _page(contacts, history, "contact", contact_id, query, cursors)

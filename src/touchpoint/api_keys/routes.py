"""HTTP handlers for /v1/api-keys."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from touchpoint.api_keys import service
from touchpoint.api_keys.repository import ApiKeyRepository
from touchpoint.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyListQuery
from touchpoint.auth.dependencies import Cursors, Tenant
from touchpoint.core.errors import NotFound
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.references import parse_reference
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, prefix="/v1/api-keys", tags=["api keys"])


async def api_key_repository(tenant: Tenant) -> ApiKeyRepository:
    return ApiKeyRepository(tenant.connection, tenant.scope)


ApiKeys = Annotated[ApiKeyRepository, Depends(api_key_repository)]


@router.get("")
async def list_api_keys(
    query: Annotated[ApiKeyListQuery, Query()], keys: ApiKeys, cursors: Cursors
) -> Page[ApiKey]:
    """The organization's API keys, newest first; never their secrets."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return await service.list_page(keys, query.include_revoked, paging)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_api_key(body: ApiKeyCreate, keys: ApiKeys, response: Response) -> ApiKeyCreated:
    """Create an API key; its secret is in this response only."""
    key = await service.create(keys, body)
    response.headers["Location"] = f"/v1/api-keys/{key.id}"
    return key


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_api_key(key_id: str, keys: ApiKeys) -> None:
    """Revoke an API key: the next request that uses it is refused with 401."""
    number = parse_reference(key_id, "API key").id
    if number is None:
        raise NotFound(f"No API key of this organization has the id '{key_id[:64]}'.")
    await service.revoke(keys, number)

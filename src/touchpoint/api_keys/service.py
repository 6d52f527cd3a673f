"""API key rules: only ADMIN and OWNER see and manage keys; a revoked key fails at once."""

from datetime import UTC, datetime

from sqlalchemy import RowMapping

from touchpoint.api_keys.repository import NEWEST_FIRST, ApiKeyRepository
from touchpoint.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated
from touchpoint.core.errors import NotFound, invalid_field
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.permissions import require_manager
from touchpoint.core.security import generate_api_key, hash_api_key


def to_schema(row: RowMapping) -> ApiKey:
    return ApiKey.model_validate(row)


async def list_page(
    keys: ApiKeyRepository, include_revoked: bool, paging: PageRequest
) -> Page[ApiKey]:
    require_manager(keys.scope.principal, "see API keys")
    rows = await keys.list_page(include_revoked, paging.after(NEWEST_FIRST), paging.limit)
    return paging.page(Page[ApiKey], rows, NEWEST_FIRST, to_schema)


async def create(keys: ApiKeyRepository, body: ApiKeyCreate) -> ApiKeyCreated:
    principal = keys.scope.principal
    require_manager(principal, "create API keys")
    now = datetime.now(UTC)
    if body.expires_at is not None and body.expires_at <= now:
        raise invalid_field("expiresAt", "Must be in the future.")
    secret = generate_api_key()
    row = await keys.insert(
        {
            "name": body.name,
            "key_hash": hash_api_key(secret),
            "key_prefix": secret[:12],
            "created_by": principal.user_id,
            "created_at": now,
            "expires_at": body.expires_at,
        }
    )
    return ApiKeyCreated.model_validate({**row, "key": secret})


async def revoke(keys: ApiKeyRepository, key_id: int) -> None:
    """Idempotent: revoking a revoked key succeeds and keeps the first revocation time."""
    require_manager(keys.scope.principal, "revoke API keys")
    if await keys.revoke(key_id, datetime.now(UTC)) is None and not await keys.exists(key_id):
        raise NotFound(f"No API key of this organization has the id '{key_id}'.")

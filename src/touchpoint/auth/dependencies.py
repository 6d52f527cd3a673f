"""FastAPI dependencies that turn the three headers into a principal and a tenant scope."""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from touchpoint.auth import service
from touchpoint.auth.service import Gate
from touchpoint.core.database import unit_of_work
from touchpoint.core.paging import CursorCodec
from touchpoint.core.settings import Settings
from touchpoint.core.tenancy import Principal, TenantScope

bearer_scheme = HTTPBearer(auto_error=False, description="An access token from /v1/auth/token.")
# Each header needs its own scheme name, or the second replaces the first in the OpenAPI document.
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    scheme_name="ApiKey",
    auto_error=False,
    description="The client application's API key.",
)
organization_scheme = APIKeyHeader(
    name="X-Org-Id",
    scheme_name="OrganizationId",
    auto_error=False,
    description="The id of the organization to act in.",
)


async def signing_secret(request: Request) -> str:
    """Loaded once per process: it never changes once stored, so caching it shares no state."""
    cached: str | None = getattr(request.app.state, "signing_secret", None)
    if cached is None:
        settings: Settings = request.app.state.settings
        engine: AsyncEngine = request.app.state.engine
        async with engine.begin() as connection:
            cached = await service.signing_secret(connection, settings.secret_key)
        request.app.state.signing_secret = cached
        request.app.state.cursor_codec = CursorCodec(cached)
    return cached


SigningSecret = Annotated[str, Depends(signing_secret)]


async def _connection_after_the_secret(
    _secret: SigningSecret,
    connection: Annotated[AsyncConnection, Depends(unit_of_work, scope="function")],
) -> AsyncConnection:
    """The request's unit of work, taken only once the signing secret is known.

    A cold worker reads the secret on a pooled connection of its own; a request holding its unit
    of work while waiting for that second connection would deadlock the pool as soon as as many
    requests arrive at once as it has connections. Every user of a connection needs the secret.
    """
    return connection


Connection = Annotated[AsyncConnection, Depends(_connection_after_the_secret, scope="function")]


async def current_principal(
    connection: Connection,
    secret_key: SigningSecret,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)],
    api_key: Annotated[str | None, Security(api_key_scheme)],
    organization_id: Annotated[str | None, Security(organization_scheme)],
) -> Principal:
    return await service.authenticate(
        connection,
        secret_key,
        token=bearer.credentials if bearer else None,
        api_key=api_key,
        organization_header=organization_id,
    )


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def tenant_scope(principal: CurrentPrincipal) -> TenantScope:
    return TenantScope(principal)


Scope = Annotated[TenantScope, Depends(tenant_scope)]


async def cursor_codec(request: Request, _secret: SigningSecret) -> CursorCodec:
    codec: CursorCodec = request.app.state.cursor_codec
    return codec


Cursors = Annotated[CursorCodec, Depends(cursor_codec)]


async def password_gate(request: Request) -> Gate:
    """Signing in holds no request-long connection: it takes short ones around the hash."""
    state = request.app.state
    return Gate(state.engine, state.password_hasher, state.failure_counter)


PasswordGate = Annotated[Gate, Depends(password_gate)]

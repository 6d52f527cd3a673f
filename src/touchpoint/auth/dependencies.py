"""The request's tenant: its unit of work and the tenant scope of the principal its three
headers name, solved as one dependency.

Every dependency FastAPI solves costs CPU on every request, so the headers are read here from
the request rather than through one security dependency each; `core/openapi.py` documents them
(`CREDENTIAL_SCHEMES`).
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.datastructures import State
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from touchpoint.auth import service
from touchpoint.auth.service import Gate
from touchpoint.core.database import unit_of_work
from touchpoint.core.paging import CursorCodec
from touchpoint.core.security import API_KEY_HEADER, ORGANIZATION_HEADER, bearer_token
from touchpoint.core.settings import Settings
from touchpoint.core.tenancy import TenantScope


async def signing_secret(state: State) -> str:
    """Loaded once per process: it never changes once stored, so caching it shares no state.

    A cold worker reads it on a pooled connection of its own, before the request takes its
    unit of work: holding one while waiting for a second would deadlock the pool as soon as as
    many requests arrive at once as it has connections.
    """
    cached: str | None = getattr(state, "signing_secret", None)
    if cached is None:
        settings: Settings = state.settings
        engine: AsyncEngine = state.engine
        async with engine.begin() as connection:
            cached = await service.signing_secret(connection, settings.secret_key)
        state.signing_secret = cached
        state.cursor_codec = CursorCodec(cached)
    return cached


async def request_signing_secret(request: Request) -> str:
    return await signing_secret(request.app.state)


SigningSecret = Annotated[str, Depends(request_signing_secret)]


@dataclass(frozen=True, slots=True)
class TenantUnit:
    """The request's unit of work, and the scope every tenant statement of it starts from."""

    connection: AsyncConnection
    scope: TenantScope


async def tenant_unit(request: Request) -> AsyncIterator[TenantUnit]:
    """401 for missing or bad credentials, 403 for a non-member; else the unit of work, which
    commits when the handler succeeds (before the answer is sent) and rolls back otherwise."""
    secret_key = await signing_secret(request.app.state)
    headers = request.headers
    async with unit_of_work(request.app.state.engine, request.method) as connection:
        principal = await service.authenticate(
            connection,
            secret_key,
            token=bearer_token(headers.get("authorization")),
            api_key=headers.get(API_KEY_HEADER),
            organization_header=headers.get(ORGANIZATION_HEADER),
        )
        yield TenantUnit(connection, TenantScope(principal))


Tenant = Annotated[TenantUnit, Depends(tenant_unit, scope="function")]


async def cursor_codec(request: Request) -> CursorCodec:
    await signing_secret(request.app.state)
    codec: CursorCodec = request.app.state.cursor_codec
    return codec


Cursors = Annotated[CursorCodec, Depends(cursor_codec)]


async def password_gate(request: Request) -> Gate:
    """Signing in holds no request-long connection: it takes short ones around the hash."""
    state = request.app.state
    return Gate(state.engine, state.password_hasher, state.failure_counter)


PasswordGate = Annotated[Gate, Depends(password_gate)]

"""Apps of their own over the test database: small pools, tight hash bounds, Redis counters."""

import asyncio
import os
import uuid
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
import redis.asyncio
import redis.exceptions
from fastapi import FastAPI

from tests.conftest import IN_CI
from touchpoint.app import create_app
from touchpoint.core.settings import Settings

REDIS_URL = os.environ.get("TOUCHPOINT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

AppFactory = Callable[..., Awaitable[FastAPI]]


def _redis_reachable() -> bool:
    async def probe() -> None:
        client = redis.asyncio.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
        try:
            await client.ping()
        finally:
            await client.aclose()

    try:
        asyncio.run(probe())
    except (OSError, redis.exceptions.RedisError):
        return False
    return True


REDIS_REACHABLE = _redis_reachable()


def require_redis() -> None:
    """Skips loudly on a developer machine without Redis; under CI a missing Redis fails."""
    if REDIS_REACHABLE:
        return
    message = f"Redis is not reachable at {REDIS_URL}"
    if IN_CI:
        pytest.fail(f"{message}: CI needs it.")
    warnings.warn(f"{message}: skipping the Redis-backed tests.", stacklevel=2)
    print(f"\n\n!!! {message}: skipping the Redis-backed tests !!!\n")
    pytest.skip(message)


@pytest.fixture
async def make_app(service: Any) -> AsyncIterator[AppFactory]:
    """Builds apps over the test database with the settings given; disposes them after."""
    apps: list[FastAPI] = []

    async def make(**settings: Any) -> FastAPI:
        app = create_app(Settings(database_url=service.database_url, **settings))
        apps.append(app)
        return app

    yield make
    for app in apps:
        await app.state.failure_counter.close()
        app.state.password_hasher.close()
        await app.state.engine.dispose()


def redis_settings() -> dict[str, Any]:
    """A key prefix of its own, so no test sees another's counts."""
    require_redis()
    return {"redis_url": REDIS_URL, "redis_key_prefix": f"touchpoint-test:{uuid.uuid4().hex}:"}


@pytest.fixture(params=["database", "redis"])
async def counted_app(
    request: pytest.FixtureRequest, service: Any, make_app: AppFactory
) -> FastAPI:
    """The app with failed sign-ins counted in the database, or in Redis."""
    if request.param == "database":
        app: FastAPI = service.app
        return app
    return await make_app(**redis_settings())


def client_for(app: FastAPI, *, refuse_server_errors: bool = True) -> httpx.AsyncClient:
    async def no_server_errors(response: httpx.Response) -> None:
        assert response.status_code < 500, f"{response.request.url} answered {response.status_code}"

    hooks = {"response": [no_server_errors]} if refuse_server_errors else {}
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://touchpoint.test",
        event_hooks=hooks,
        timeout=60,
    )

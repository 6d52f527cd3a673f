"""Every API test runs against both engines: a real PostgreSQL and a real SQLite file.

Each test gets fresh organizations, so tests are isolated without truncating anything.
"""

import asyncio
import os
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI

from tests.factories import Tenant, new_tenant
from touchpoint.app import create_app
from touchpoint.core.settings import Settings
from touchpoint.migrations import runner

POSTGRES_URL = os.environ.get(
    "TOUCHPOINT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _postgres_reachable() -> bool:
    async def probe() -> None:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=5)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


def _backends() -> list[str]:
    if _postgres_reachable():
        return ["sqlite", "postgresql"]
    message = f"PostgreSQL is not reachable at {POSTGRES_URL}"
    if IN_CI:
        raise pytest.UsageError(f"{message}: CI needs it.")
    warnings.warn(f"{message}: running the SQLite half of the suite ONLY.", stacklevel=1)
    print(f"\n\n!!! {message}: running the SQLite half of the suite ONLY !!!\n")
    return ["sqlite"]


BACKENDS = _backends()


@dataclass
class Service:
    """One running app over one freshly migrated database."""

    name: str
    app: FastAPI
    database_url: str


async def fresh_postgres_database(name: str | None = None) -> tuple[str, str]:
    """A new, empty database on the suite's PostgreSQL (replacing one of the same name): its
    name and URL."""
    name = name or f"touchpoint_test_{os.getpid()}"
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        # Commits need not wait for the disk here: losing a test database in a crash costs
        # nothing. tests/faults checks durability on clusters of its own, with the defaults.
        await admin.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    finally:
        await admin.close()
    return name, POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres_database(name: str) -> None:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session", params=BACKENDS)
async def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Service]:
    backend: str = request.param
    database_name = None
    if backend == "postgresql":
        database_name, url = await fresh_postgres_database()
    else:
        url = f"sqlite:///{Path(tmp_path_factory.mktemp('sqlite')) / 'touchpoint.db'}"
    # The schema is built the way production builds it: by running the migrations.
    await asyncio.to_thread(runner.upgrade, url)
    app = create_app(Settings(database_url=url, database_pool_size=20))
    yield Service(backend, app, url)
    app.state.password_hasher.close()
    await app.state.engine.dispose()
    if database_name:
        await drop_postgres_database(database_name)


async def _no_server_errors(response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.request.url} answered {response.status_code}"


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=service.app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://touchpoint.test",
        event_hooks={"response": [_no_server_errors]},
    ) as http:
        yield http


@pytest.fixture
async def tenant(service: Service) -> Tenant:
    """A fresh organization with its owner."""
    return await new_tenant(service.app)


@pytest.fixture
async def other_tenant(service: Service) -> Tenant:
    """A second organization, whose ids must never be visible to the first."""
    return await new_tenant(service.app)

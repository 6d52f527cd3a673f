"""Fixtures of the fault tests: real PostgreSQL, real `touchpoint serve` processes."""

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import POSTGRES_URL
from tests.faults.harness import Cluster, missing_prerequisite, throwaway_cluster


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
async def shared_postgres_database() -> AsyncIterator[str]:
    """A fresh database on the shared PostgreSQL of the suite, dropped afterwards."""
    name = f"touchpoint_faults_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        missing_prerequisite(f"PostgreSQL is not reachable at {POSTGRES_URL} ({error})")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(POSTGRES_URL, timeout=5)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    """A throwaway PostgreSQL cluster the test may stop and start."""
    with throwaway_cluster() as made:
        yield made


async def fetch_activities(database_url: str, organization_id: str) -> dict[str, str]:
    """Straight from the database: id -> title of the organization's activities."""
    connection = await asyncpg.connect(database_url, timeout=10)
    try:
        rows = await connection.fetch(
            "SELECT id, title FROM activities WHERE organization_id = $1", int(organization_id)
        )
    finally:
        await connection.close()
    return {str(row["id"]): row["title"] for row in rows}

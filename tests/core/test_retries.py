"""A deadlock or serialization failure is retried inside the service, then answered 503.

The failures here are real: a deadlock PostgreSQL detects between the service and a
transaction the test holds open, and errors PostgreSQL itself raises with the SQLSTATEs of a
serialization failure and a deadlock.
"""

import asyncio
from typing import Annotated

import asyncpg
import httpx
import pytest
from fastapi import Body, Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from tests.factories import PROBLEM_JSON, create_account, create_activity
from touchpoint.core.database import create_engine, request_unit_of_work
from touchpoint.core.problems import install_problem_handlers
from touchpoint.core.retries import MAX_ATTEMPTS, RetryingRoute
from touchpoint.core.settings import Settings

# The request's unit of work, as every route gets it (without the credentials around it).
Unit = Annotated[AsyncConnection, Depends(request_unit_of_work, scope="function")]

pytestmark = pytest.mark.usefixtures("postgresql_only")


@pytest.fixture
def postgresql_only(service):
    if service.name != "postgresql":
        pytest.skip("SQLite's writers are serial: it has no deadlocks to retry")


def failing_app(database_url: str, sqlstate: str, failures: int) -> tuple[FastAPI, list[str]]:
    """An app whose one route fails with `sqlstate` on its first `failures` attempts."""
    app = FastAPI()
    app.router.route_class = RetryingRoute
    app.state.engine = create_engine(Settings(database_url=database_url, database_pool_size=2))
    install_problem_handlers(app)
    attempts: list[str] = []

    @app.api_route("/echo", methods=["GET", "POST"])
    async def echo(connection: Unit, note: Annotated[str, Body(embed=True)] = "") -> str:
        attempts.append(note)
        if len(attempts) <= failures:
            raise_it = (
                f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{sqlstate}'; END $$"
            )
            await connection.execute(text(raise_it))
        return note

    return app, attempts


async def call(app: FastAPI, method: str, **kwargs) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://touchpoint.test") as http:
        response = await http.request(method, "/echo", **kwargs)
    await app.state.engine.dispose()
    return response


class TestRetriedFailures:
    @pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
    async def test_a_write_failing_once_is_answered_by_its_second_attempt(self, service, sqlstate):
        app, attempts = failing_app(service.database_url, sqlstate, failures=1)
        response = await call(app, "POST", json={"note": "the body, replayed"})
        assert response.status_code == 200, response.text
        assert response.json() == "the body, replayed"
        assert attempts == ["the body, replayed"] * 2

    async def test_a_write_failing_every_time_is_503_with_retry_after(self, service):
        app, attempts = failing_app(service.database_url, "40P01", failures=99)
        response = await call(app, "POST", json={"note": "n"})
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert int(response.headers["retry-after"]) >= 1
        assert len(attempts) == MAX_ATTEMPTS

    async def test_a_read_is_not_run_again(self, service):
        app, attempts = failing_app(service.database_url, "40001", failures=99)
        response = await call(app, "GET")
        assert response.status_code == 503
        assert len(attempts) == 1


class TestARealDeadlock:
    async def test_the_request_chosen_as_victim_runs_again_and_changes_once(
        self, service, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        holder = await asyncpg.connect(service.database_url.replace("+asyncpg", ""))
        try:
            # The test's side never gives up first, so the service's request is the victim.
            await holder.execute("SET deadlock_timeout = '20s'")
            transaction = holder.transaction()
            await transaction.start()
            await holder.execute(
                "SELECT 1 FROM activities WHERE id = $1 FOR UPDATE", int(activity["id"])
            )
            # The service locks the account, then waits for the activity the test holds...
            patch = asyncio.create_task(
                client.patch(
                    f"/v1/activities/{activity['id']}",
                    json={"title": "after"},
                    headers=tenant.headers,
                )
            )
            await asyncio.sleep(0.3)
            # ...and the test now waits for the account: a cycle, which PostgreSQL breaks.
            await holder.execute(
                "SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", int(account["id"])
            )
            await asyncio.sleep(0.2)
            await transaction.rollback()
            response = await asyncio.wait_for(patch, timeout=30)
        finally:
            await holder.close()
        assert response.status_code == 200, response.text
        assert response.json()["title"] == "after"
        history = await client.get(
            f"/v1/activities/{activity['id']}/history", headers=tenant.headers
        )
        assert [entry["action"] for entry in history.json()["data"]] == ["update", "create"]

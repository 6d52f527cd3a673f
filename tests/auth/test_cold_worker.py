"""A worker that has not loaded the signing secret yet reads it before it takes the request's
connection: a request never holds one pooled connection while waiting for a second."""

import asyncio

import httpx

from tests.factories import PASSWORD
from touchpoint.app import create_app
from touchpoint.core.settings import Settings

# Well under the pool's 10 s timeout: a request waiting for a second connection would hang.
BOUND = 5


async def _first_request_of_a_cold_worker(database_url, method, path, **kwargs):
    app = create_app(Settings(database_url=database_url, database_pool_size=1))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cold.test") as http:
            return await asyncio.wait_for(http.request(method, path, **kwargs), BOUND)
    finally:
        await app.state.engine.dispose()


class TestColdWorkerWithOnePooledConnection:
    async def test_an_authenticated_request_answers(self, service, tenant):
        response = await _first_request_of_a_cold_worker(
            service.database_url, "GET", "/v1/accounts", headers=tenant.headers
        )
        assert response.status_code == 200, response.text

    async def test_signing_in_answers(self, service, tenant):
        response = await _first_request_of_a_cold_worker(
            service.database_url,
            "POST",
            "/v1/auth/token",
            json={"email": tenant.email, "password": PASSWORD},
            headers={"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id},
        )
        assert response.status_code == 200, response.text

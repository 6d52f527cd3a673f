"""When the database cannot be reached, requests fail fast and retryably: 503, not 500."""

import httpx
import pytest

from tests.factories import PROBLEM_JSON
from touchpoint.app import create_app
from touchpoint.core.settings import Settings

# Port 1 on the loopback: nothing listens there, so every connection is refused at once.
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/touchpoint"
HEADERS = {"Authorization": "Bearer x.y.z", "X-API-Key": "tpk_x", "X-Org-Id": "1"}


@pytest.fixture
async def unreachable_client():
    app = create_app(Settings(database_url=UNREACHABLE, secret_key="s" * 32))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://touchpoint.test") as http:
        yield http
    await app.state.engine.dispose()


class TestDatabaseUnreachable:
    async def test_an_api_request_is_503_problem_json_with_retry_after(self, unreachable_client):
        response = await unreachable_client.get("/v1/activities", headers=HEADERS)
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.headers["retry-after"] == "1"
        assert response.json()["status"] == 503

    async def test_readiness_says_unavailable_while_liveness_stays_ok(self, unreachable_client):
        assert (await unreachable_client.get("/readyz")).status_code == 503
        assert (await unreachable_client.get("/healthz")).status_code == 200

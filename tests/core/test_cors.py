"""Browsers on other origins: only those in TOUCHPOINT_CORS_ORIGINS, none by default."""

import httpx
import pytest

from touchpoint.app import create_app
from touchpoint.core.settings import Settings

ALLOWED = "https://crm.example.com"
PREFLIGHT = {
    "Access-Control-Request-Method": "PATCH",
    "Access-Control-Request-Headers": "authorization, x-api-key, x-org-id, content-type",
}


@pytest.fixture
async def cors_client(service):
    """The same service, with one browser origin allowed."""
    app = create_app(Settings(database_url=service.database_url, cors_origins=[ALLOWED]))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://touchpoint.test") as http:
        yield http
    await app.state.engine.dispose()


class TestNoOriginByDefault:
    async def test_a_request_from_a_browser_origin_gets_no_cors_headers(self, client, tenant):
        response = await client.get("/v1/me", headers={**tenant.headers, "Origin": ALLOWED})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers

    async def test_a_preflight_is_not_approved(self, client):
        response = await client.options("/v1/activities", headers={"Origin": ALLOWED, **PREFLIGHT})
        assert "access-control-allow-origin" not in response.headers


class TestAnAllowedOrigin:
    async def test_its_preflight_allows_the_methods_and_the_three_credentials(self, cors_client):
        response = await cors_client.options(
            "/v1/activities/1", headers={"Origin": ALLOWED, **PREFLIGHT}
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ALLOWED
        assert "PATCH" in response.headers["access-control-allow-methods"]
        allowed_headers = response.headers["access-control-allow-headers"].lower()
        for header in ("authorization", "x-api-key", "x-org-id", "content-type"):
            assert header in allowed_headers
        assert "access-control-allow-credentials" not in response.headers

    async def test_its_requests_may_read_answers_and_their_location(self, cors_client, tenant):
        response = await cors_client.post(
            "/v1/accounts",
            json={"name": "Initech", "primaryDomain": "initech-cors.example"},
            headers={**tenant.headers, "Origin": ALLOWED},
        )
        assert response.status_code == 201, response.text
        assert response.headers["access-control-allow-origin"] == ALLOWED
        assert "location" in response.headers["access-control-expose-headers"].lower()

    async def test_its_errors_are_readable_too(self, cors_client):
        response = await cors_client.get("/v1/me", headers={"Origin": ALLOWED})
        assert response.status_code == 401
        assert response.headers["access-control-allow-origin"] == ALLOWED


class TestAnOriginNotAllowed:
    async def test_its_preflight_is_refused_and_its_answers_carry_no_cors_headers(
        self, cors_client, tenant
    ):
        other = "https://evil.example.net"
        preflight = await cors_client.options(
            "/v1/activities", headers={"Origin": other, **PREFLIGHT}
        )
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        response = await cors_client.get("/v1/me", headers={**tenant.headers, "Origin": other})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers

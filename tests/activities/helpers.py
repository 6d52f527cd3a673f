"""Helpers of the activity tests: what a tenant has stored, raw bodies, one read."""

from collections.abc import AsyncIterable
from datetime import datetime
from typing import Any

import httpx

from tests.factories import Tenant, list_all

ACTIVITIES = "/v1/activities"
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$"


def parse_utc(value: str) -> datetime:
    """A timestamp the service returned: always UTC, written with Z."""
    assert value.endswith("Z"), value
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def stored(client: httpx.AsyncClient, tenant: Tenant) -> list[dict[str, Any]]:
    """Every activity of the tenant, deleted ones too, as its owner sees them."""
    return await list_all(client, ACTIVITIES, tenant.headers, includeDeleted="true", limit=200)


async def assert_nothing_stored(client: httpx.AsyncClient, tenant: Tenant) -> None:
    assert await stored(client, tenant) == []


async def read(
    client: httpx.AsyncClient, headers: dict[str, str], activity_id: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(f"{ACTIVITIES}/{activity_id}", headers=headers, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def send_raw(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    content: str | bytes | AsyncIterable[bytes],
    content_type: str | None = "application/json",
    method: str = "POST",
    path: str = ACTIVITIES,
) -> httpx.Response:
    """A body sent as the given bytes, with the given content type (None: no header)."""
    sent = {**headers, **({"Content-Type": content_type} if content_type else {})}
    return await client.request(method, path, content=content, headers=sent)

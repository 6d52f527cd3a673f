"""Helpers for the API key tests."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.factories import list_all

API_KEYS = "/v1/api-keys"


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def from_now(**delta: float) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(**delta))


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


async def key_list(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    return await list_all(client, API_KEYS, headers, **params)


async def create_key(
    client: httpx.AsyncClient, headers: dict[str, str], **body: Any
) -> dict[str, Any]:
    response = await client.post(API_KEYS, json={"name": "integration", **body}, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def key_id_of(client: httpx.AsyncClient, headers: dict[str, str], secret: str) -> str:
    """The id of the organization's key whose secret is `secret` (matched by its prefix)."""
    rows = await key_list(client, headers, includeRevoked="true")
    (row,) = [row for row in rows if row["prefix"] == secret[:12]]
    key_id: str = row["id"]
    return key_id


def using_key(headers: dict[str, str], secret: str) -> dict[str, str]:
    return {**headers, "X-API-Key": secret}

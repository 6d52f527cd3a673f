"""Helpers for the change history tests."""

from datetime import datetime
from typing import Any

import httpx

from tests.factories import list_all

ENTRY_FIELDS = {"id", "action", "changedAt", "userId", "apiKeyId", "changes"}


def history_path(kind: str, resource_id: str) -> str:
    """kind: accounts, activities or contacts."""
    return f"/v1/{kind}/{resource_id}/history"


async def history(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str, resource_id: str
) -> list[dict[str, Any]]:
    return await list_all(client, history_path(kind, resource_id), headers)


async def actions(
    client: httpx.AsyncClient, headers: dict[str, str], kind: str, resource_id: str
) -> list[str]:
    """The actions of the resource's history, newest first."""
    return [entry["action"] for entry in await history(client, headers, kind, resource_id)]


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))

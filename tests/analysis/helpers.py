"""Helpers of the statistics and export tests: the two paths, a read of each, and activities
stored in bulk straight into the tenant's own organization (cheaper than one POST each)."""

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.factories import Tenant
from touchpoint.models import activities

STATS = "/v1/activities/stats"
EXPORT = "/v1/activities/export"


async def stats(
    client: httpx.AsyncClient, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    response = await client.get(STATS, params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def keyed(body: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    """(key, count) of each group, in the order answered."""
    return [(group["key"], group["count"]) for group in body["data"]]


async def store_activities(
    tenant: Tenant, account_id: str, instants: Iterable[datetime], **columns: Any
) -> None:
    """One live CALL of one minute at each instant, inserted in one statement: every column
    the API would set, so each reads back like any other activity."""
    now = datetime.now(UTC)
    user = int(tenant.user_id)
    rows = [
        {
            "uid": uuid.uuid4().hex[:26].upper(),
            "organization_id": int(tenant.org_id),
            "account_id": int(account_id),
            "created_by": user,
            "owner_id": user,
            "type": "CALL",
            "status": "PENDING",
            "activity_timestamp": instant,
            "duration": 1,
            "location": "Bulk",
            "participants": [],
            "attachment_urls": [],
            "metadata": {},
            "tags": [],
            "created_at": now,
            "updated_at": now,
            **columns,
        }
        for instant in instants
    ]
    async with tenant.app.state.engine.begin() as connection:
        await connection.execute(activities.insert(), rows)

"""Helpers for the member tests: the member list as the owner sees it, and adding by email."""

from typing import Any

import httpx

from tests.factories import list_all, unique

MEMBERS = "/v1/members"


async def member_list(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return await list_all(client, MEMBERS, headers)


async def roles(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    """{userId: role} of every member."""
    return {row["userId"]: row["role"] for row in await member_list(client, headers)}


def new_email() -> str:
    return unique("new-person") + "@example.com"


async def add_member(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    response = await client.post(MEMBERS, json={"email": email, "role": role}, headers=headers)
    assert response.status_code == 201, response.text
    added: dict[str, Any] = response.json()
    return added


async def token_for(
    client: httpx.AsyncClient, api_key: str, org_id: str, email: str, password: str
) -> httpx.Response:
    return await client.post(
        "/v1/auth/token",
        json={"email": email, "password": password},
        headers={"X-API-Key": api_key, "X-Org-Id": org_id},
    )


def signed_in(tenant: Any, access_token: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {access_token}",
        "X-API-Key": tenant.api_key,
        "X-Org-Id": tenant.org_id,
    }

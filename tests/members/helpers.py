"""Helpers for the member tests: the member list as the owner sees it, inviting, accepting."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
from sqlalchemy import update

from tests.factories import PASSWORD, list_all, unique
from touchpoint.models import invitations

MEMBERS = "/v1/members"
INVITATIONS = "/v1/members/invitations"
ACCEPT = "/v1/auth/accept-invitation"


async def member_list(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    return await list_all(client, MEMBERS, headers)


async def roles(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    """{userId: role} of every member."""
    return {row["userId"]: row["role"] for row in await member_list(client, headers)}


def new_email() -> str:
    return unique("new-person") + "@example.com"


async def invite(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    response = await client.post(MEMBERS, json={"email": email, "role": role}, headers=headers)
    assert response.status_code == 201, response.text
    invited: dict[str, Any] = response.json()
    return invited


async def accept(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    token: str,
    email: str,
    password: str = PASSWORD,
    **extra: Any,
) -> httpx.Response:
    """Accepts with the API key and organization of `headers` (an admin's of that org)."""
    body = {"invitationToken": token, "email": email, "password": password, **extra}
    key_headers = {"X-API-Key": headers["X-API-Key"], "X-Org-Id": headers["X-Org-Id"]}
    return await client.post(ACCEPT, json=body, headers=key_headers)


async def add_member(
    client: httpx.AsyncClient, headers: dict[str, str], email: str, role: str = "MEMBER"
) -> dict[str, Any]:
    """Invites the email and accepts: a new user gets PASSWORD, an existing one proves it."""
    invited = await invite(client, headers, email, role)
    response = await accept(client, headers, invited["invitationToken"], email)
    assert response.status_code == 200, response.text
    claims = jwt.decode(response.json()["accessToken"], options={"verify_signature": False})
    return {"userId": claims["sub"], "email": email.lower(), "role": role, "password": PASSWORD}


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


async def expire(service: Any, invitation_id: str) -> None:
    """Moves an invitation's expiry into the past, as seven days would."""
    async with service.app.state.engine.begin() as connection:
        await connection.execute(
            update(invitations)
            .where(invitations.c.id == int(invitation_id))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

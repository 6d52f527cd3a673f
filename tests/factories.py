"""Plain factory functions: tenants to act in, and valid bodies to start each test from."""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from touchpoint.auth import repository as identities
from touchpoint.auth import service as auth_service
from touchpoint.core.security import hash_password, issue_access_token

PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)
_sequence = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_sequence)}-{datetime.now(UTC).timestamp():.0f}"


@dataclass
class Tenant:
    """An organization with its owner's credentials; adds members of any role on demand."""

    app: FastAPI
    org_id: str
    user_id: str
    email: str
    api_key: str
    headers: dict[str, str]
    members: dict[str, dict[str, str]] = field(default_factory=dict)

    def headers_for(self, user_id: int) -> dict[str, str]:
        secret = self.app.state.signing_secret
        token = issue_access_token(user_id, secret, 3600)
        return {
            "Authorization": f"Bearer {token}",
            "X-API-Key": self.api_key,
            "X-Org-Id": self.org_id,
        }

    async def member(self, role: str) -> dict[str, str]:
        """Headers of a new user holding `role` in this organization."""
        engine: AsyncEngine = self.app.state.engine
        now = datetime.now(UTC)
        async with engine.begin() as connection:
            user_id = await identities.insert_user(
                connection, unique("member") + "@example.com", f"{role} person", _PASSWORD_HASH, now
            )
            await identities.insert_membership(connection, int(self.org_id), user_id, role, now)
        headers = self.headers_for(user_id)
        headers["X-User-Id"] = str(user_id)
        return headers


async def _signing_secret(app: FastAPI) -> str:
    secret: str | None = getattr(app.state, "signing_secret", None)
    if secret is None:
        from touchpoint.core.paging import CursorCodec

        async with app.state.engine.begin() as connection:
            secret = await auth_service.signing_secret(connection, app.state.settings.secret_key)
        app.state.signing_secret = secret
        app.state.cursor_codec = CursorCodec(secret)
    return secret


async def new_tenant(app: FastAPI) -> Tenant:
    secret = await _signing_secret(app)
    email = unique("owner") + "@example.com"
    async with app.state.engine.begin() as connection:
        made = await auth_service.bootstrap(
            connection,
            secret,
            3600,
            organization_name=unique("Org "),
            email=email,
            name="Owner Person",
            password=PASSWORD,
        )
    headers = {
        "Authorization": f"Bearer {made.access_token}",
        "X-API-Key": made.api_key,
        "X-Org-Id": str(made.organization_id),
    }
    return Tenant(app, str(made.organization_id), str(made.user_id), email, made.api_key, headers)


def account_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Globex Corporation",
        "primaryDomain": unique("globex") + ".com",
    }
    body.update(overrides)
    return body


def activity_body(account_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accountId": account_id,
        "activityTimestamp": "2026-03-02T09:30:00Z",
        "duration": 30,
        "location": "Room 4, Main Street 1",
    }
    body.update(overrides)
    return body


async def create_account(
    client: httpx.AsyncClient, headers: dict[str, str], **overrides: Any
) -> dict[str, Any]:
    response = await client.post("/v1/accounts", json=account_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def create_activity(
    client: httpx.AsyncClient, headers: dict[str, str], account_id: str, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/activities", json=activity_body(account_id, **overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


PROBLEM_JSON = "application/problem+json"


def assert_problem(response: httpx.Response, status: int, *fields: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem of `status`; with fields, `errors` names exactly them."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"]
    assert problem["title"]
    assert problem["detail"]
    if fields:
        assert {error["field"] for error in problem["errors"]} == set(fields), problem
    return problem


async def list_all(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any
) -> list[dict[str, Any]]:
    """Every row of a list, following nextCursor to the last page."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(path, params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        rows.extend(page["data"])
        cursor = page["nextCursor"]
        if cursor is None:
            return rows


def contact_body(account_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accountId": account_id,
        "firstName": "Grace",
        "lastName": "Hopper",
        "email": unique("grace") + "@example.com",
    }
    body.update(overrides)
    return body


async def create_contact(
    client: httpx.AsyncClient, headers: dict[str, str], account_id: str, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/v1/contacts", json=contact_body(account_id, **overrides), headers=headers
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created

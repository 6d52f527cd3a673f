"""POST and GET /v1/api-keys: the secret is shown once, at creation, and never listed."""

import asyncio
from datetime import UTC, datetime

import pytest

from tests.api_keys.helpers import (
    API_KEYS,
    create_key,
    from_now,
    key_id_of,
    key_list,
    parse,
    using_key,
)
from tests.factories import PASSWORD, assert_problem
from tests.members.helpers import token_for


class TestCreateRefusesBadBodies:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "x" * 256}, "name"),
            ({"name": None}, "name"),
            ({"name": "ci", "expiresAt": "2020-01-01T00:00:00Z"}, "expiresAt"),
            ({"name": "ci", "expiresAt": "2999-01-01T00:00:00"}, "expiresAt"),
            ({"name": "ci", "expiresAt": "tomorrow"}, "expiresAt"),
            ({"name": "ci", "key": "tpk_mine"}, "key"),
            ({"name": "ci", "scopes": ["read"]}, "scopes"),
            ({"name": "ci", "id": "5"}, "id"),
            ({"name": "ci", "revokedAt": None}, "revokedAt"),
        ],
    )
    async def test_a_bad_body_is_422_naming_the_field_and_creates_no_key(
        self, client, tenant, body, field
    ):
        before = await key_list(client, tenant.headers, includeRevoked="true")
        response = await client.post(API_KEYS, json=body, headers=tenant.headers)
        assert_problem(response, 422, field)
        assert await key_list(client, tenant.headers, includeRevoked="true") == before

    async def test_an_expiry_a_moment_ago_is_422(self, client, tenant):
        before = await key_list(client, tenant.headers)
        body = {"name": "ci", "expiresAt": from_now(seconds=-1)}
        assert_problem(
            await client.post(API_KEYS, json=body, headers=tenant.headers), 422, "expiresAt"
        )
        assert await key_list(client, tenant.headers) == before

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_create_or_list_keys(self, client, tenant, role):
        headers = await tenant.member(role)
        before = await key_list(client, tenant.headers)
        assert_problem(await client.post(API_KEYS, json={"name": "mine"}, headers=headers), 403)
        assert_problem(await client.get(API_KEYS, headers=headers), 403)
        assert await key_list(client, tenant.headers) == before

    async def test_unknown_list_parameters_are_422(self, client, tenant):
        response = await client.get(API_KEYS, params={"showSecret": "true"}, headers=tenant.headers)
        assert_problem(response, 422, "showSecret")


class TestCreate:
    async def test_the_secret_is_in_the_201_response_with_location(self, client, tenant):
        response = await client.post(
            API_KEYS, json={"name": "  CI pipeline "}, headers=tenant.headers
        )
        assert response.status_code == 201, response.text
        key = response.json()
        assert response.headers["Location"] == f"{API_KEYS}/{key['id']}"
        assert key["name"] == "CI pipeline"
        assert key["key"].startswith("tpk_")
        assert key["prefix"] == key["key"][:12]
        assert key["creatorId"] == tenant.user_id
        assert key["createdAt"].endswith("Z")
        assert (key["expiresAt"], key["lastUsedAt"], key["revokedAt"]) == (None, None, None)

    async def test_the_new_key_authenticates_requests_and_sign_in(self, client, tenant):
        key = await create_key(client, tenant.headers)
        response = await client.get("/v1/me", headers=using_key(tenant.headers, key["key"]))
        assert response.status_code == 200, response.text
        token = await token_for(client, key["key"], tenant.org_id, tenant.email, PASSWORD)
        assert token.status_code == 200, token.text

    async def test_an_admin_creates_and_lists_keys(self, client, tenant):
        admin = await tenant.member("ADMIN")
        key = await create_key(client, admin, name="admin's")
        assert key["creatorId"] == admin["X-User-Id"]
        assert key["id"] in [row["id"] for row in await key_list(client, admin)]

    async def test_a_key_with_a_future_expiry_works_and_shows_it(self, client, tenant):
        key = await create_key(client, tenant.headers, expiresAt="2999-01-01T01:00:00+01:00")
        assert key["expiresAt"] == "2999-01-01T00:00:00Z"
        response = await client.get("/v1/me", headers=using_key(tenant.headers, key["key"]))
        assert response.status_code == 200


class TestListNeverShowsSecrets:
    async def test_the_list_has_every_key_but_no_secret(self, client, tenant):
        created = [await create_key(client, tenant.headers, name=f"k{i}") for i in range(3)]
        response = await client.get(API_KEYS, headers=tenant.headers)
        assert response.status_code == 200
        for key in created:
            assert key["key"] not in response.text
        assert tenant.api_key not in response.text
        rows = response.json()["data"]
        assert all("key" not in row for row in rows)
        by_id = {row["id"]: row for row in rows}
        for key in created:
            assert by_id[key["id"]] == {k: v for k, v in key.items() if k != "key"}
        # The bootstrap key is listed too, and the list is newest first.
        assert [row["id"] for row in rows][:3] == [k["id"] for k in reversed(created)]
        assert rows[-1]["name"] == "bootstrap"

    async def test_pages_visit_every_key_once_newest_first(self, client, tenant):
        created = [await create_key(client, tenant.headers, name=f"k{i}") for i in range(4)]
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(API_KEYS, params=params, headers=tenant.headers)).json()
            assert len(page["data"]) <= 2
            seen += [row["id"] for row in page["data"]]
            if not (cursor := page["nextCursor"]):
                break
        bootstrap = await key_id_of(client, tenant.headers, tenant.api_key)
        assert seen == [k["id"] for k in reversed(created)] + [bootstrap]


class TestKeysBelongToOneOrganization:
    async def test_another_organizations_keys_are_not_listed(self, client, tenant, other_tenant):
        theirs = await create_key(client, other_tenant.headers)
        rows = await key_list(client, tenant.headers, includeRevoked="true")
        assert theirs["id"] not in [row["id"] for row in rows]
        assert [row["prefix"] for row in rows] == [tenant.api_key[:12]]

    async def test_a_key_used_with_another_organizations_id_is_401(
        self, client, tenant, other_tenant
    ):
        key = await create_key(client, tenant.headers)
        headers = {**other_tenant.headers, "X-API-Key": key["key"]}
        response = await client.get("/v1/me", headers=headers)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


class TestExpiry:
    async def test_an_expired_key_is_401_for_requests_and_sign_in(self, client, tenant):
        key = await create_key(client, tenant.headers, expiresAt=from_now(seconds=2))
        headers = using_key(tenant.headers, key["key"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        await asyncio.sleep((parse(key["expiresAt"]) - datetime.now(UTC)).total_seconds() + 0.1)
        response = await client.get("/v1/me", headers=headers)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        token = await token_for(client, key["key"], tenant.org_id, tenant.email, PASSWORD)
        assert_problem(token, 401)
        # Expired, not revoked: it is still listed, with its expiry.
        (row,) = [r for r in await key_list(client, tenant.headers) if r["id"] == key["id"]]
        assert (row["expiresAt"], row["revokedAt"]) == (key["expiresAt"], None)

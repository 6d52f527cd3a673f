"""POST /v1/auth/token, and that no password or API key is ever stored in clear."""

from datetime import UTC, datetime

import jwt
import pytest
from sqlalchemy import select, update

from tests.factories import PASSWORD, account_body, assert_problem, new_tenant
from touchpoint.auth import repository as identities
from touchpoint.models import api_keys, users

TOKEN_PATH = "/v1/auth/token"


def key_headers(tenant):
    return {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}


def assert_unauthorized(response):
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


class TestTokenRefusals:
    async def test_a_wrong_password_is_401(self, client, tenant):
        body = {"email": tenant.email, "password": PASSWORD + "!"}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant)))

    async def test_an_unknown_email_is_401_like_a_wrong_password(self, client, tenant):
        unknown = {"email": "nobody-" + tenant.email, "password": PASSWORD}
        wrong = {"email": tenant.email, "password": "wrong password"}
        first = await client.post(TOKEN_PATH, json=unknown, headers=key_headers(tenant))
        second = await client.post(TOKEN_PATH, json=wrong, headers=key_headers(tenant))
        assert_unauthorized(first)
        assert_unauthorized(second)
        assert first.json()["detail"] == second.json()["detail"]

    async def test_a_user_who_is_not_a_member_is_403(self, client, tenant, other_tenant):
        body = {"email": other_tenant.email, "password": PASSWORD}
        response = await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant))
        assert_problem(response, 403)

    @pytest.mark.parametrize("missing", ["X-API-Key", "X-Org-Id"])
    async def test_a_missing_key_or_org_is_401(self, client, tenant, missing):
        headers = {k: v for k, v in key_headers(tenant).items() if k != missing}
        body = {"email": tenant.email, "password": PASSWORD}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=headers))

    async def test_a_key_of_another_org_is_401(self, client, tenant, other_tenant):
        headers = {"X-API-Key": other_tenant.api_key, "X-Org-Id": tenant.org_id}
        body = {"email": tenant.email, "password": PASSWORD}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=headers))

    async def test_a_revoked_key_is_401(self, client, service, tenant):
        async with service.app.state.engine.begin() as connection:
            await connection.execute(
                update(api_keys)
                .where(api_keys.c.organization_id == int(tenant.org_id))
                .values(revoked_at=datetime.now(UTC))
            )
        body = {"email": tenant.email, "password": PASSWORD}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant)))

    async def test_a_disabled_user_is_401(self, client, service, tenant):
        async with service.app.state.engine.begin() as connection:
            await connection.execute(
                update(users).where(users.c.id == int(tenant.user_id)).values(is_active=False)
            )
        body = {"email": tenant.email, "password": PASSWORD}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant)))

    @pytest.mark.parametrize("org_id", ["abc", "-5", ""])
    async def test_a_malformed_org_id_is_401(self, client, tenant, org_id):
        headers = {"X-API-Key": tenant.api_key, "X-Org-Id": org_id}
        body = {"email": tenant.email, "password": PASSWORD}
        assert_unauthorized(await client.post(TOKEN_PATH, json=body, headers=headers))

    @pytest.mark.parametrize(
        ("body", "fields"),
        [
            ({}, ("email", "password")),
            ({"email": "a@example.com"}, ("password",)),
            ({"password": PASSWORD}, ("email",)),
            ({"email": "", "password": PASSWORD}, ("email",)),
            ({"email": "a@example.com", "password": ""}, ("password",)),
            ({"email": 5, "password": PASSWORD}, ("email",)),
            ({"email": "a@example.com", "password": ["x"]}, ("password",)),
            ({"email": "a\u0000@example.com", "password": PASSWORD}, ("email",)),
            ({"email": "a@example.com", "password": "p\u0000"}, ("password",)),
            ({"email": "a@example.com", "password": "x" * 1025}, ("password",)),
            ({"email": "a@example.com", "password": PASSWORD, "orgId": "1"}, ("orgId",)),
        ],
    )
    async def test_an_invalid_body_is_422_naming_each_field(self, client, tenant, body, fields):
        response = await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant))
        assert_problem(response, 422, *fields)

    @pytest.mark.parametrize("content", [b"[]", b"not json", b'"text"'])
    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant, content):
        headers = {**key_headers(tenant), "Content-Type": "application/json"}
        response = await client.post(TOKEN_PATH, content=content, headers=headers)
        assert_problem(response, 400)


class TestTokenIssued:
    async def test_the_token_has_the_contract_shape_and_works(self, client, tenant):
        body = {"email": tenant.email, "password": PASSWORD}
        response = await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant))
        assert response.status_code == 200, response.text
        issued = response.json()
        assert set(issued) == {"accessToken", "tokenType", "expiresIn"}
        assert issued["tokenType"] == "Bearer"
        assert issued["expiresIn"] == 3600
        claims = jwt.decode(issued["accessToken"], options={"verify_signature": False})
        assert claims["sub"] == tenant.user_id
        assert claims["exp"] - claims["iat"] == 3600
        headers = {**key_headers(tenant), "Authorization": f"Bearer {issued['accessToken']}"}
        listed = await client.get("/v1/accounts", headers=headers)
        assert listed.status_code == 200

    async def test_the_email_is_matched_in_any_case(self, client, tenant):
        body = {"email": tenant.email.upper(), "password": PASSWORD}
        response = await client.post(TOKEN_PATH, json=body, headers=key_headers(tenant))
        assert response.status_code == 200, response.text

    async def test_a_bearer_token_sent_along_is_not_needed(self, client, tenant):
        headers = {**key_headers(tenant), "Authorization": "Bearer garbage"}
        body = {"email": tenant.email, "password": PASSWORD}
        response = await client.post(TOKEN_PATH, json=body, headers=headers)
        assert response.status_code == 200

    async def test_a_user_of_two_orgs_signs_in_to_each_with_its_key(self, client, service):
        first = await new_tenant(service.app)
        second = await new_tenant(service.app)
        async with service.app.state.engine.begin() as connection:
            await identities.insert_membership(
                connection, int(second.org_id), int(first.user_id), "VIEWER", datetime.now(UTC)
            )
        body = {"email": first.email, "password": PASSWORD}
        response = await client.post(TOKEN_PATH, json=body, headers=key_headers(second))
        assert response.status_code == 200
        token = response.json()["accessToken"]
        headers = {**key_headers(second), "Authorization": f"Bearer {token}"}
        denied = await client.post("/v1/accounts", json=account_body(), headers=headers)
        assert_problem(denied, 403)


class TestSecretsAreNeverStoredInClear:
    async def test_the_password_is_stored_as_an_argon2id_hash(self, service, tenant):
        async with service.app.state.engine.connect() as connection:
            row = (
                await connection.execute(select(users).where(users.c.email == tenant.email))
            ).one()
        stored = row._mapping
        assert PASSWORD not in [str(value) for value in stored.values()]
        assert stored["password_hash"].startswith("$argon2id$")
        assert PASSWORD not in stored["password_hash"]

    async def test_the_api_key_is_stored_only_as_a_hash(self, service, tenant):
        async with service.app.state.engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(api_keys).where(api_keys.c.organization_id == int(tenant.org_id))
                )
            ).all()
        assert len(rows) == 1
        stored = rows[0]._mapping
        secret_part = tenant.api_key.removeprefix("tpk_")
        for value in stored.values():
            assert secret_part not in str(value)
        assert stored["key_hash"] != tenant.api_key
        assert len(stored["key_prefix"]) < len(tenant.api_key) // 2

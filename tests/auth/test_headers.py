"""The three headers on every /v1 endpoint: missing or bad is 401, a non-member is 403."""

import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import delete, update

from tests.factories import account_body, assert_problem, create_account
from touchpoint.models import api_keys, memberships, users

HEADERS = ("Authorization", "X-API-Key", "X-Org-Id")
TOKEN_PATH = "/v1/auth/token"
# The endpoints that take no bearer token, with what their bodies need besides email and password.
WITHOUT_BEARER = {TOKEN_PATH: {}, "/v1/auth/accept-invitation": {"invitationToken": "tpi_x"}}
CONTRACT_ENDPOINTS = {
    ("POST", "/v1/auth/token"),
    ("POST", "/v1/auth/accept-invitation"),
    ("POST", "/v1/accounts"),
    ("GET", "/v1/accounts"),
    ("GET", "/v1/accounts/{account_id}"),
    ("PATCH", "/v1/accounts/{account_id}"),
    ("PUT", "/v1/accounts/{account_id}"),
    ("DELETE", "/v1/accounts/{account_id}"),
    ("POST", "/v1/accounts/{account_id}/restore"),
    ("GET", "/v1/accounts/{account_id}/activities"),
    ("POST", "/v1/activities"),
    ("GET", "/v1/activities"),
    ("GET", "/v1/activities/{activity_id}"),
    ("PATCH", "/v1/activities/{activity_id}"),
    ("PUT", "/v1/activities/{activity_id}"),
    ("DELETE", "/v1/activities/{activity_id}"),
    ("POST", "/v1/activities/{activity_id}/restore"),
}


def v1_endpoints(app):
    """(method, path) of every API route, also inside routers included as a whole."""
    found = set()

    def walk(routes, prefix):
        for route in routes:
            included = getattr(route, "original_router", None)
            if included is not None:
                context = getattr(route, "include_context", None)
                walk(included.routes, prefix + getattr(context, "prefix", ""))
            elif isinstance(route, APIRoute):
                found.update((method, prefix + route.path_format) for method in route.methods)

    walk(app.routes, "")
    return {(method, path) for method, path in found if path.startswith("/v1/")}


def concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


BAD_KEY = "The API key is invalid, revoked or expired."
FOREIGN_KEY = "The API key does not belong to the organization in X-Org-Id."


def assert_unauthorized(response):
    problem = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    return problem


def token_for(service, user_id, *, secret=None, algorithm="HS256", **claims):
    now = datetime.now(UTC)
    payload = {
        "sub": str(user_id),
        "aud": "touchpoint",
        "iat": now,
        "exp": now + timedelta(hours=1),
        **claims,
    }
    payload = {key: value for key, value in payload.items() if value is not None}
    return jwt.encode(payload, secret or service.app.state.signing_secret, algorithm=algorithm)


async def run_sql(service, statement):
    async with service.app.state.engine.begin() as connection:
        await connection.execute(statement)


class TestEveryEndpointNeedsEveryHeader:
    def test_the_routes_include_every_endpoint_of_the_contract(self, service):
        assert v1_endpoints(service.app) >= CONTRACT_ENDPOINTS

    async def test_each_missing_header_is_401_with_www_authenticate(self, client, service, tenant):
        checked = 0
        failures = []
        for method, path in sorted(v1_endpoints(service.app)):
            needed = ("X-API-Key", "X-Org-Id") if path in WITHOUT_BEARER else HEADERS
            body = None
            if path in WITHOUT_BEARER:
                body = {"email": tenant.email, "password": "x", **WITHOUT_BEARER[path]}
            if body is None and method in ("POST", "PUT", "PATCH"):
                body = {}
            for missing in (*needed, "all"):
                headers = {k: v for k, v in tenant.headers.items() if missing not in (k, "all")}
                response = await client.request(method, concrete(path), json=body, headers=headers)
                checked += 1
                if response.status_code != 401 or not response.headers.get(
                    "www-authenticate", ""
                ).startswith("Bearer"):
                    failures.append((method, path, missing, response.status_code))
                else:
                    assert_unauthorized(response)
        assert failures == []
        assert checked >= 3 * len(CONTRACT_ENDPOINTS)

    async def test_a_write_without_credentials_changes_nothing(self, client, tenant):
        headers = {k: v for k, v in tenant.headers.items() if k != "Authorization"}
        response = await client.post("/v1/accounts", json=account_body(), headers=headers)
        assert_unauthorized(response)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []


class TestBadCredentials:
    @pytest.mark.parametrize(
        "authorization",
        [
            "Bearer garbage",
            "Bearer ",
            "Bearer a.b.c",
            "Basic dXNlcjpwYXNz",
            "garbage",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
        ],
    )
    async def test_a_malformed_authorization_is_401(self, client, tenant, authorization):
        headers = {**tenant.headers, "Authorization": authorization}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    @pytest.mark.parametrize(
        "claims",
        [
            {"exp": datetime.now(UTC) - timedelta(seconds=5)},
            {"exp": datetime(2000, 1, 1, tzinfo=UTC), "iat": datetime(1999, 12, 31, tzinfo=UTC)},
            {"aud": "someone-else"},
            {"aud": None},
            {"exp": None},
            {"sub": None},
            {"sub": "not-a-number"},
            {"sub": "999999999"},
            {"sub": "0"},
            {"sub": "9" * 19},
            {"sub": "9" * 40},
            {"sub": "\u00b2"},
            {"sub": 1},
        ],
    )
    async def test_an_expired_or_wrong_token_is_401(self, client, service, tenant, claims):
        token = token_for(service, tenant.user_id, **claims)
        headers = {**tenant.headers, "Authorization": f"Bearer {token}"}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_a_token_signed_with_another_secret_is_401(self, client, service, tenant):
        token = token_for(service, tenant.user_id, secret="not-the-secret-" * 4)
        headers = {**tenant.headers, "Authorization": f"Bearer {token}"}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_a_token_with_another_algorithm_is_401(self, client, service, tenant):
        token = token_for(service, tenant.user_id, algorithm="HS512")
        headers = {**tenant.headers, "Authorization": f"Bearer {token}"}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_a_crafted_token_with_the_right_secret_works(self, client, service, tenant):
        token = token_for(service, tenant.user_id)
        headers = {**tenant.headers, "Authorization": f"Bearer {token}"}
        assert (await client.get("/v1/accounts", headers=headers)).status_code == 200

    async def test_the_bearer_scheme_is_matched_in_any_case(self, client, tenant):
        token = tenant.headers["Authorization"].removeprefix("Bearer ")
        headers = {**tenant.headers, "Authorization": f"bearer {token}"}
        assert (await client.get("/v1/accounts", headers=headers)).status_code == 200

    @pytest.mark.parametrize("key", ["tpk_unknown", "garbage", "x" * 5000])
    async def test_an_unknown_api_key_is_401(self, client, tenant, key):
        headers = {**tenant.headers, "X-API-Key": key}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_a_revoked_api_key_is_401_at_once(self, client, service, tenant):
        assert (await client.get("/v1/accounts", headers=tenant.headers)).status_code == 200
        await run_sql(
            service,
            update(api_keys)
            .where(api_keys.c.organization_id == int(tenant.org_id))
            .values(revoked_at=datetime.now(UTC)),
        )
        assert_unauthorized(await client.get("/v1/accounts", headers=tenant.headers))
        response = await client.post("/v1/accounts", json=account_body(), headers=tenant.headers)
        assert_unauthorized(response)

    async def test_an_expired_api_key_is_401(self, client, service, tenant):
        await run_sql(
            service,
            update(api_keys)
            .where(api_keys.c.organization_id == int(tenant.org_id))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)),
        )
        assert_unauthorized(await client.get("/v1/accounts", headers=tenant.headers))

    async def test_an_api_key_expiring_later_still_works(self, client, service, tenant):
        await run_sql(
            service,
            update(api_keys)
            .where(api_keys.c.organization_id == int(tenant.org_id))
            .values(expires_at=datetime.now(UTC) + timedelta(days=1)),
        )
        assert (await client.get("/v1/accounts", headers=tenant.headers)).status_code == 200

    async def test_another_organizations_key_is_401(self, client, tenant, other_tenant):
        headers = {**tenant.headers, "X-API-Key": other_tenant.api_key}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_the_key_of_this_org_with_another_org_id_is_401(
        self, client, tenant, other_tenant
    ):
        await create_account(client, other_tenant.headers)
        headers = {**tenant.headers, "X-Org-Id": other_tenant.org_id}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))

    async def test_another_organizations_key_is_named_so(self, client, tenant, other_tenant):
        """The key is looked up in the X-Org-Id organization only; the refusal still says
        whose it is (a second query, on the failure path alone)."""
        for headers in (
            {**tenant.headers, "X-API-Key": other_tenant.api_key},
            {**tenant.headers, "X-Org-Id": other_tenant.org_id},
        ):
            problem = assert_unauthorized(await client.get("/v1/accounts", headers=headers))
            assert problem["detail"] == FOREIGN_KEY

    async def test_an_unknown_revoked_or_expired_key_is_named_so(
        self, client, service, tenant, other_tenant
    ):
        unknown = {**tenant.headers, "X-API-Key": "tpk_" + "0" * 43}
        problem = assert_unauthorized(await client.get("/v1/accounts", headers=unknown))
        assert problem["detail"] == BAD_KEY
        # Another organization's key that has expired is refused as expired, not as foreign.
        await run_sql(
            service,
            update(api_keys)
            .where(api_keys.c.organization_id == int(other_tenant.org_id))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)),
        )
        theirs = {**tenant.headers, "X-API-Key": other_tenant.api_key}
        problem = assert_unauthorized(await client.get("/v1/accounts", headers=theirs))
        assert problem["detail"] == BAD_KEY

    @pytest.mark.parametrize(
        "org_id",
        [
            "abc",
            "-1",
            "1.0",
            "1e3",
            " 1",
            "0x1",
            "\u00b2".encode("latin-1"),
            "9" * 40,
            "1; DROP TABLE users",
        ],
    )
    async def test_a_malformed_org_id_is_401(self, client, tenant, org_id):
        headers = {**tenant.headers, "X-Org-Id": org_id}
        assert_unauthorized(await client.get("/v1/accounts", headers=headers))


class TestMembership:
    async def test_a_valid_user_who_is_not_a_member_is_403(self, client, tenant, other_tenant):
        outsider = tenant.headers_for(int(other_tenant.user_id))
        assert_problem(await client.get("/v1/accounts", headers=outsider), 403)
        response = await client.post("/v1/accounts", json=account_body(), headers=outsider)
        assert_problem(response, 403)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []

    async def test_removing_a_membership_takes_effect_at_once(self, client, service, tenant):
        member = await tenant.member("ADMIN")
        assert (await client.get("/v1/accounts", headers=member)).status_code == 200
        await run_sql(
            service,
            delete(memberships).where(
                memberships.c.organization_id == int(tenant.org_id),
                memberships.c.user_id == int(member["X-User-Id"]),
            ),
        )
        assert_problem(await client.get("/v1/accounts", headers=member), 403)

    async def test_a_disabled_user_is_401(self, client, service, tenant):
        member = await tenant.member("ADMIN")
        await run_sql(
            service,
            update(users).where(users.c.id == int(member["X-User-Id"])).values(is_active=False),
        )
        assert_unauthorized(await client.get("/v1/accounts", headers=member))

"""DELETE /v1/api-keys/{id}: the key is revoked at once; the next request with it is 401."""

import pytest

from tests.api_keys.helpers import API_KEYS, create_key, key_id_of, key_list, parse, using_key
from tests.factories import PASSWORD, assert_problem
from tests.members.helpers import token_for


async def revoke(client, headers, key_id):
    return await client.delete(f"{API_KEYS}/{key_id}", headers=headers)


class TestRevokeOfAKeyNotHere:
    async def test_another_organizations_key_is_404_and_keeps_working(
        self, client, tenant, other_tenant
    ):
        theirs = await create_key(client, other_tenant.headers)
        assert_problem(await revoke(client, tenant.headers, theirs["id"]), 404)
        bootstrap = await key_id_of(client, other_tenant.headers, other_tenant.api_key)
        assert_problem(await revoke(client, tenant.headers, bootstrap), 404)
        headers = using_key(other_tenant.headers, theirs["key"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        assert (await client.get("/v1/me", headers=other_tenant.headers)).status_code == 200

    @pytest.mark.parametrize("key_id", ["999999999999", "tpk_abc", "0"])
    async def test_an_id_that_names_no_key_is_404(self, client, tenant, key_id):
        assert_problem(await revoke(client, tenant.headers, key_id), 404)

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_revoke_and_the_key_keeps_working(
        self, client, tenant, role
    ):
        key = await create_key(client, tenant.headers)
        headers = await tenant.member(role)
        before = await key_list(client, tenant.headers)
        assert_problem(await revoke(client, headers, key["id"]), 403)
        assert await key_list(client, tenant.headers) == before
        response = await client.get("/v1/me", headers=using_key(tenant.headers, key["key"]))
        assert response.status_code == 200


class TestRevokedAtOnce:
    async def test_the_next_request_with_a_revoked_key_is_401(self, client, tenant):
        key = await create_key(client, tenant.headers)
        headers = using_key(tenant.headers, key["key"])
        assert (await client.get("/v1/accounts", headers=headers)).status_code == 200
        response = await revoke(client, tenant.headers, key["id"])
        assert response.status_code == 204
        assert response.content == b""
        refused = await client.get("/v1/accounts", headers=headers)
        assert_problem(refused, 401)
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert_problem(
            await token_for(client, key["key"], tenant.org_id, tenant.email, PASSWORD), 401
        )
        # Other keys are untouched.
        assert (await client.get("/v1/accounts", headers=tenant.headers)).status_code == 200

    async def test_revoking_the_key_in_use_ends_it_after_that_request(self, client, tenant):
        admin = await tenant.member("ADMIN")
        key = await create_key(client, tenant.headers)
        headers = using_key(admin, key["key"])
        assert (await revoke(client, headers, key["id"])).status_code == 204
        assert_problem(await client.get("/v1/me", headers=headers), 401)

    async def test_a_revoked_key_is_hidden_unless_include_revoked(self, client, tenant):
        key = await create_key(client, tenant.headers)
        assert (await revoke(client, tenant.headers, key["id"])).status_code == 204
        assert key["id"] not in [row["id"] for row in await key_list(client, tenant.headers)]
        rows = await key_list(client, tenant.headers, includeRevoked="true")
        (row,) = [row for row in rows if row["id"] == key["id"]]
        assert row["revokedAt"] is not None
        assert parse(row["revokedAt"]) >= parse(key["createdAt"])
        assert "key" not in row

    async def test_revoking_again_succeeds_and_keeps_the_first_time(self, client, tenant):
        key = await create_key(client, tenant.headers)
        assert (await revoke(client, tenant.headers, key["id"])).status_code == 204
        first = await key_list(client, tenant.headers, includeRevoked="true")
        assert (await revoke(client, tenant.headers, key["id"])).status_code == 204
        assert await key_list(client, tenant.headers, includeRevoked="true") == first

    async def test_an_admin_revokes_a_key_the_owner_created(self, client, tenant):
        key = await create_key(client, tenant.headers)
        admin = await tenant.member("ADMIN")
        assert (await revoke(client, admin, key["id"])).status_code == 204
        assert_problem(await client.get("/v1/me", headers=using_key(admin, key["key"])), 401)

"""Who may change accounts, and that another organization's accounts do not exist."""

import pytest

from tests.factories import account_body, assert_problem, create_account, create_activity

# (method, path suffix after /v1/accounts/{id}, json body)
WRITES = [
    ("PATCH", "", {"industry": "Changed"}),
    ("PUT", "", None),
    ("DELETE", "", None),
    ("POST", "/restore", None),
]


async def read(client, headers, account_id):
    response = await client.get(f"/v1/accounts/{account_id}?includeDeleted=true", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def write(client, headers, method, account, suffix, body):
    if method == "PUT":
        body = account_body(name="Replaced")
    return await client.request(
        method, f"/v1/accounts/{account['id']}{suffix}", json=body, headers=headers
    )


class TestViewer:
    async def test_a_viewer_may_not_create(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        response = await client.post("/v1/accounts", json=account_body(), headers=viewer)
        assert_problem(response, 403)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []

    @pytest.mark.parametrize(("method", "suffix", "body"), WRITES)
    async def test_a_viewer_may_not_change_anything(self, client, tenant, method, suffix, body):
        viewer = await tenant.member("VIEWER")
        account = await create_account(client, tenant.headers)
        if suffix == "/restore":
            await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        before = await read(client, tenant.headers, account["id"])
        response = await write(client, viewer, method, account, suffix, body)
        assert_problem(response, 403)
        assert await read(client, tenant.headers, account["id"]) == before

    async def test_a_viewer_reads_and_lists(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        account = await create_account(client, tenant.headers)
        one = await client.get(f"/v1/accounts/{account['id']}", headers=viewer)
        assert one.json() == account
        listed = await client.get("/v1/accounts", headers=viewer)
        assert listed.json()["data"] == [account]


class TestMember:
    async def test_a_member_creates_accounts_of_its_own(self, client, tenant):
        member = await tenant.member("MEMBER")
        account = await create_account(client, member)
        assert account["creatorId"] == member["X-User-Id"]

    @pytest.mark.parametrize(("method", "suffix", "body"), WRITES)
    async def test_a_member_may_not_change_anothers_account(
        self, client, tenant, method, suffix, body
    ):
        member = await tenant.member("MEMBER")
        account = await create_account(client, tenant.headers)
        if suffix == "/restore":
            await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        before = await read(client, tenant.headers, account["id"])
        response = await write(client, member, method, account, suffix, body)
        assert_problem(response, 403)
        assert await read(client, tenant.headers, account["id"]) == before

    async def test_a_member_changes_deletes_and_restores_its_own_account(self, client, tenant):
        member = await tenant.member("MEMBER")
        account = await create_account(client, member)
        patched = await client.patch(
            f"/v1/accounts/{account['id']}", json={"industry": "Mine"}, headers=member
        )
        assert patched.status_code == 200
        assert patched.json()["industry"] == "Mine"
        put = await client.put(
            f"/v1/accounts/{account['id']}", json=account_body(name="Mine too"), headers=member
        )
        assert put.status_code == 200
        assert put.json()["name"] == "Mine too"
        deleted = await client.delete(f"/v1/accounts/{account['id']}", headers=member)
        assert deleted.status_code == 204
        restored = await client.post(f"/v1/accounts/{account['id']}/restore", headers=member)
        assert restored.status_code == 200
        assert restored.json()["deletedAt"] is None

    async def test_a_member_may_not_delete_its_account_while_it_has_activities(
        self, client, tenant
    ):
        member = await tenant.member("MEMBER")
        account = await create_account(client, member)
        await create_activity(client, member, account["id"])
        account = await read(client, tenant.headers, account["id"])
        response = await client.delete(f"/v1/accounts/{account['id']}", headers=member)
        assert_problem(response, 409)
        assert await read(client, tenant.headers, account["id"]) == account


class TestAdmin:
    @pytest.mark.parametrize("creator_role", ["OWNER", "MEMBER"])
    async def test_an_admin_changes_deletes_and_restores_any_account(
        self, client, tenant, creator_role
    ):
        admin = await tenant.member("ADMIN")
        creator = tenant.headers if creator_role == "OWNER" else await tenant.member("MEMBER")
        account = await create_account(client, creator)
        await create_activity(client, creator, account["id"])
        patched = await client.patch(
            f"/v1/accounts/{account['id']}", json={"industry": "Admin's"}, headers=admin
        )
        assert patched.status_code == 200
        put = await client.put(
            f"/v1/accounts/{account['id']}", json=account_body(name="Admin"), headers=admin
        )
        assert put.status_code == 200
        deleted = await client.delete(f"/v1/accounts/{account['id']}?cascade=true", headers=admin)
        assert deleted.status_code == 204
        restored = await client.post(f"/v1/accounts/{account['id']}/restore", headers=admin)
        assert restored.status_code == 200


class TestOtherOrganizationsAccountsDoNotExist:
    @pytest.mark.parametrize("key", ["id", "uid"])
    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [("GET", "", None), ("GET", "/activities", None), *WRITES],
    )
    async def test_every_verb_answers_404(
        self, client, tenant, other_tenant, key, method, suffix, body
    ):
        theirs = await create_account(client, other_tenant.headers)
        if suffix == "/restore":
            await client.delete(f"/v1/accounts/{theirs['id']}", headers=other_tenant.headers)
        before = await read(client, other_tenant.headers, theirs["id"])
        reference = {**theirs, "id": theirs[key]}
        if method == "PUT":
            body = account_body(name="Hijacked")
        response = await client.request(
            method, f"/v1/accounts/{reference['id']}{suffix}", json=body, headers=tenant.headers
        )
        assert_problem(response, 404)
        assert await read(client, other_tenant.headers, theirs["id"]) == before

    async def test_a_deleted_account_of_another_organization_is_404_even_to_include_deleted(
        self, client, tenant, other_tenant
    ):
        theirs = await create_account(client, other_tenant.headers)
        await client.delete(f"/v1/accounts/{theirs['id']}", headers=other_tenant.headers)
        response = await client.get(
            f"/v1/accounts/{theirs['id']}?includeDeleted=true", headers=tenant.headers
        )
        assert_problem(response, 404)

    async def test_their_timeline_is_404_even_with_activities(self, client, tenant, other_tenant):
        theirs = await create_account(client, other_tenant.headers)
        await create_activity(client, other_tenant.headers, theirs["id"])
        for reference in (theirs["id"], theirs["uid"]):
            response = await client.get(
                f"/v1/accounts/{reference}/activities", headers=tenant.headers
            )
            assert_problem(response, 404)

    async def test_lists_never_show_them(self, client, tenant, other_tenant):
        theirs = await create_account(client, other_tenant.headers, name="Secret Name")
        await client.delete(f"/v1/accounts/{theirs['id']}", headers=other_tenant.headers)
        also = await create_account(client, other_tenant.headers, name="Secret Live")
        mine = await create_account(client, tenant.headers)
        for params in (
            {},
            {"q": "Secret"},
            {"primaryDomain": also["primaryDomain"]},
            {"includeDeleted": "true"},
            {"isActive": "true"},
            {"sort": "createdAt"},
        ):
            response = await client.get("/v1/accounts", params=params, headers=tenant.headers)
            ids = [row["id"] for row in response.json()["data"]]
            assert theirs["id"] not in ids
            assert also["id"] not in ids
        everything = await client.get("/v1/accounts", headers=tenant.headers)
        assert everything.json()["data"] == [mine]

    async def test_a_member_of_another_org_gets_404_not_403(self, client, tenant, other_tenant):
        member = await tenant.member("MEMBER")
        theirs = await create_account(client, other_tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{theirs['id']}", json={"industry": "x"}, headers=member
        )
        assert_problem(response, 404)

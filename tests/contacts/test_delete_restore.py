"""DELETE and POST /restore on contacts: soft delete, idempotent restore, and its conflicts."""

from tests.factories import assert_problem, create_account, create_contact, list_all

CONTACTS = "/v1/contacts"


async def read(client, tenant, contact_id):
    response = await client.get(
        f"{CONTACTS}/{contact_id}", params={"includeDeleted": "true"}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def delete(client, tenant, contact_id):
    return await client.delete(f"{CONTACTS}/{contact_id}", headers=tenant.headers)


async def restore(client, tenant, contact_id):
    return await client.post(f"{CONTACTS}/{contact_id}/restore", headers=tenant.headers)


class TestDelete:
    async def test_delete_is_204_and_the_contact_leaves_reads_and_lists(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        response = await delete(client, tenant, contact["uid"])
        assert response.status_code == 204
        assert response.content == b""
        assert_problem(await client.get(f"{CONTACTS}/{contact['id']}", headers=tenant.headers), 404)
        assert await list_all(client, CONTACTS, tenant.headers) == []
        stored = await read(client, tenant, contact["id"])
        assert stored["isActive"] is False
        assert stored["deletedAt"] is not None
        assert stored["updatedAt"] == stored["deletedAt"]
        unchanged = {key: stored[key] for key in ("firstName", "email", "accountId", "createdAt")}
        assert unchanged == {key: contact[key] for key in unchanged}

    async def test_deleting_again_is_404_and_keeps_the_first_deletion(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await delete(client, tenant, contact["id"])
        first = await read(client, tenant, contact["id"])
        assert_problem(await delete(client, tenant, contact["id"]), 404)
        assert await read(client, tenant, contact["id"]) == first

    async def test_deleting_a_missing_contact_is_404(self, client, tenant):
        assert_problem(await delete(client, tenant, "424242424"), 404)

    async def test_deleting_a_contact_leaves_its_account_and_siblings(self, client, tenant):
        account = await create_account(client, tenant.headers)
        gone = await create_contact(client, tenant.headers, account["id"])
        kept = await create_contact(client, tenant.headers, account["id"])
        await delete(client, tenant, gone["id"])
        assert await list_all(client, CONTACTS, tenant.headers) == [kept]
        response = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert response.json() == account


class TestRestore:
    async def test_restore_brings_the_contact_back(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await delete(client, tenant, contact["id"])
        response = await restore(client, tenant, contact["uid"])
        assert response.status_code == 200, response.text
        restored = response.json()
        assert restored["isActive"] is True
        assert restored["deletedAt"] is None
        assert restored["updatedAt"] > contact["updatedAt"]
        assert restored == {**contact, "updatedAt": restored["updatedAt"]}
        assert await list_all(client, CONTACTS, tenant.headers) == [restored]

    async def test_restoring_a_live_contact_returns_it_unchanged(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        response = await restore(client, tenant, contact["id"])
        assert response.status_code == 200
        assert response.json() == contact
        assert await read(client, tenant, contact["id"]) == contact

    async def test_restoring_a_missing_contact_is_404(self, client, tenant):
        assert_problem(await restore(client, tenant, "424242424"), 404)

    async def test_restoring_while_the_email_is_taken_is_409_and_changes_nothing(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        first = await create_contact(client, tenant.headers, account["id"], email="x@example.com")
        await delete(client, tenant, first["id"])
        deleted = await read(client, tenant, first["id"])
        second = await create_contact(client, tenant.headers, account["id"], email="X@Example.com")
        assert_problem(await restore(client, tenant, first["id"]), 409)
        assert await read(client, tenant, first["id"]) == deleted
        assert await list_all(client, CONTACTS, tenant.headers) == [second]

    async def test_restoring_once_the_email_is_free_again_works(self, client, tenant):
        account = await create_account(client, tenant.headers)
        first = await create_contact(client, tenant.headers, account["id"], email="x@example.com")
        await delete(client, tenant, first["id"])
        second = await create_contact(client, tenant.headers, account["id"], email="x@example.com")
        await delete(client, tenant, second["id"])
        assert (await restore(client, tenant, first["id"])).status_code == 200
        assert_problem(await restore(client, tenant, second["id"]), 409)

    async def test_restoring_while_the_account_is_deleted_is_409(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await delete(client, tenant, contact["id"])
        response = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert response.status_code == 204
        deleted = await read(client, tenant, contact["id"])
        assert_problem(await restore(client, tenant, contact["id"]), 409)
        assert await read(client, tenant, contact["id"]) == deleted

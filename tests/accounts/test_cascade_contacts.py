"""Deleting an account with contacts: 409 without cascade, cascade deletes them, restore too."""

import pytest

from tests.factories import (
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)

CONTACTS = "/v1/contacts"


async def read(client, tenant, path):
    response = await client.get(path, params={"includeDeleted": "true"}, headers=tenant.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def delete_account(client, headers, account, cascade=False):
    params = {"cascade": "true"} if cascade else {}
    return await client.delete(f"/v1/accounts/{account['id']}", params=params, headers=headers)


async def restore_account(client, tenant, account):
    return await client.post(f"/v1/accounts/{account['id']}/restore", headers=tenant.headers)


class TestPlainDelete:
    async def test_an_account_with_a_live_contact_is_409_and_nothing_changes(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        assert_problem(await delete_account(client, tenant.headers, account), 409)
        assert await read(client, tenant, f"/v1/accounts/{account['id']}") == account
        assert await read(client, tenant, f"{CONTACTS}/{contact['id']}") == contact

    async def test_an_account_whose_contacts_are_all_deleted_may_be_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"{CONTACTS}/{contact['id']}", headers=tenant.headers)
        assert (await delete_account(client, tenant.headers, account)).status_code == 204

    async def test_another_accounts_contacts_do_not_block_the_delete(self, client, tenant):
        account = await create_account(client, tenant.headers)
        other = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, other["id"])
        assert (await delete_account(client, tenant.headers, account)).status_code == 204


class TestCascade:
    async def test_cascade_deletes_contacts_and_activities_at_the_same_instant(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        contacts = [await create_contact(client, tenant.headers, account["id"]) for _ in "ab"]
        activity = await create_activity(client, tenant.headers, account["id"])
        other = await create_account(client, tenant.headers)
        bystander = await create_contact(client, tenant.headers, other["id"])
        response = await delete_account(client, tenant.headers, account, cascade=True)
        assert response.status_code == 204
        deleted_at = (await read(client, tenant, f"/v1/accounts/{account['id']}"))["deletedAt"]
        assert deleted_at is not None
        for contact in contacts:
            stored = await read(client, tenant, f"{CONTACTS}/{contact['id']}")
            assert (stored["deletedAt"], stored["isActive"]) == (deleted_at, False)
        stored = await read(client, tenant, f"/v1/activities/{activity['id']}")
        assert stored["deletedAt"] == deleted_at
        assert await list_all(client, CONTACTS, tenant.headers) == [bystander]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_cascade_below_admin_is_403_and_nothing_changes(self, client, tenant, role):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        headers = await tenant.member(role)
        assert_problem(await delete_account(client, headers, account, cascade=True), 403)
        assert await read(client, tenant, f"/v1/accounts/{account['id']}") == account
        assert await read(client, tenant, f"{CONTACTS}/{contact['id']}") == contact

    async def test_a_contact_cannot_be_created_at_the_deleted_account(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, account["id"])
        await delete_account(client, tenant.headers, account, cascade=True)
        body = {"accountId": account["id"], "firstName": "A", "email": "late@example.com"}
        response = await client.post(CONTACTS, json=body, headers=tenant.headers)
        assert_problem(response, 422, "accountId")

    async def test_a_cascaded_contacts_email_is_free_while_it_is_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, account["id"], email="free@example.com")
        await delete_account(client, tenant.headers, account, cascade=True)
        other = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, other["id"], email="free@example.com")


class TestRestore:
    async def test_restore_brings_back_the_contacts_the_cascade_deleted_only(self, client, tenant):
        account = await create_account(client, tenant.headers)
        earlier = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"{CONTACTS}/{earlier['id']}", headers=tenant.headers)
        cascaded = await create_contact(client, tenant.headers, account["id"])
        await delete_account(client, tenant.headers, account, cascade=True)
        response = await restore_account(client, tenant, account)
        assert response.status_code == 200, response.text
        restored = await read(client, tenant, f"{CONTACTS}/{cascaded['id']}")
        assert (restored["isActive"], restored["deletedAt"]) == (True, None)
        assert restored == {**cascaded, "updatedAt": restored["updatedAt"]}
        still = await read(client, tenant, f"{CONTACTS}/{earlier['id']}")
        assert still["deletedAt"] is not None
        assert await list_all(client, CONTACTS, tenant.headers) == [restored]

    async def test_restore_while_a_cascaded_contacts_email_is_taken_is_409_and_changes_nothing(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"], email="t@example.com")
        await delete_account(client, tenant.headers, account, cascade=True)
        deleted_account = await read(client, tenant, f"/v1/accounts/{account['id']}")
        deleted_contact = await read(client, tenant, f"{CONTACTS}/{contact['id']}")
        other = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, other["id"], email="T@example.com")
        assert_problem(await restore_account(client, tenant, account), 409)
        assert await read(client, tenant, f"/v1/accounts/{account['id']}") == deleted_account
        assert await read(client, tenant, f"{CONTACTS}/{contact['id']}") == deleted_contact

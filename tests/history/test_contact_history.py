"""GET /v1/contacts/{id}/history: every create, change, delete and restore of a contact."""

import pytest

from tests.api_keys.helpers import create_key, using_key
from tests.factories import assert_problem, contact_body, create_account, create_contact
from tests.history.helpers import actions, history

CONTACTS = "/v1/contacts"


async def setup_contact(client, tenant, headers=None, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_contact(client, headers or tenant.headers, account["id"], **overrides)


class TestRejectedRequestsRecordNothing:
    @pytest.mark.parametrize(
        "body",
        [
            {"email": "nope"},
            {"firstName": ""},
            {"accountId": "999999999"},
            {"contactType": "FRIEND"},
            {"uid": "x"},
        ],
    )
    async def test_a_422_change_adds_no_entry(self, client, tenant, body):
        contact = await setup_contact(client, tenant)
        path = f"{CONTACTS}/{contact['id']}"
        assert_problem(await client.patch(path, json=body, headers=tenant.headers), 422)
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == ["create"]
        assert (await client.get(path, headers=tenant.headers)).json() == contact

    async def test_a_duplicate_email_409_adds_no_entry(self, client, tenant):
        taken = await setup_contact(client, tenant)
        contact = await setup_contact(client, tenant)
        path = f"{CONTACTS}/{contact['id']}"
        body = {"lastName": "Changed", "email": taken["email"]}
        assert_problem(await client.patch(path, json=body, headers=tenant.headers), 409)
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == ["create"]

    async def test_a_viewers_and_a_members_403_add_no_entry(self, client, tenant):
        contact = await setup_contact(client, tenant)
        path = f"{CONTACTS}/{contact['id']}"
        for role in ("VIEWER", "MEMBER"):
            headers = await tenant.member(role)
            assert_problem(await client.patch(path, json={"phone": "1"}, headers=headers), 403)
            assert_problem(await client.delete(path, headers=headers), 403)
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == ["create"]

    async def test_another_organizations_404_adds_no_entry(self, client, tenant, other_tenant):
        contact = await setup_contact(client, tenant)
        path = f"{CONTACTS}/{contact['id']}"
        assert_problem(
            await client.patch(path, json={"phone": "1"}, headers=other_tenant.headers), 404
        )
        assert_problem(await client.delete(path, headers=other_tenant.headers), 404)
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == ["create"]


class TestContactEntries:
    async def test_create_records_the_user_and_the_key(self, client, tenant):
        member = await tenant.member("MEMBER")
        key = await create_key(client, tenant.headers)
        contact = await setup_contact(client, tenant, using_key(member, key["key"]))
        (entry,) = await history(client, tenant.headers, "contacts", contact["id"])
        assert entry["action"] == "create"
        assert entry["changedAt"] == contact["createdAt"]
        assert (entry["userId"], entry["apiKeyId"]) == (member["X-User-Id"], key["id"])
        assert entry["changes"] is None

    async def test_a_patch_records_each_changed_field_with_camel_case_names(self, client, tenant):
        contact = await setup_contact(client, tenant)
        other_account = await create_account(client, tenant.headers)
        path = f"{CONTACTS}/{contact['id']}"
        change = {
            "accountId": other_account["id"],
            "lastName": None,
            "contactType": "EXECUTIVE",
            "firstName": contact["firstName"],
            "metadata": {"vip": True},
        }
        patched = await client.patch(path, json=change, headers=tenant.headers)
        assert patched.status_code == 200, patched.text
        entry = (await history(client, tenant.headers, "contacts", contact["id"]))[0]
        assert entry["action"] == "update"
        assert entry["changedAt"] == patched.json()["updatedAt"]
        assert entry["changes"] == {
            "accountId": {"old": contact["accountId"], "new": other_account["id"]},
            "lastName": {"old": "Hopper", "new": None},
            "contactType": {"old": "OTHER", "new": "EXECUTIVE"},
            "metadata": {"old": {}, "new": {"vip": True}},
        }

    async def test_a_put_with_the_same_values_records_nothing(self, client, tenant):
        contact = await setup_contact(client, tenant)
        body = contact_body(contact["accountId"], email=contact["email"])
        path = f"{CONTACTS}/{contact['id']}"
        assert (await client.put(path, json=body, headers=tenant.headers)).status_code == 200
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == ["create"]

    async def test_delete_and_restore_are_recorded_by_whoever_did_them(self, client, tenant):
        member = await tenant.member("MEMBER")
        admin = await tenant.member("ADMIN")
        contact = await setup_contact(client, tenant, member)
        path = f"{CONTACTS}/{contact['id']}"
        assert (await client.delete(path, headers=member)).status_code == 204
        assert (await client.post(f"{path}/restore", headers=admin)).status_code == 200
        entries = await history(client, tenant.headers, "contacts", contact["id"])
        assert [(e["action"], e["userId"]) for e in entries] == [
            ("restore", admin["X-User-Id"]),
            ("delete", member["X-User-Id"]),
            ("create", member["X-User-Id"]),
        ]

    async def test_a_409_restore_under_a_deleted_account_adds_no_entry(self, client, tenant):
        contact = await setup_contact(client, tenant)
        path = f"{CONTACTS}/{contact['id']}"
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        account_path = f"/v1/accounts/{contact['accountId']}"
        assert (await client.delete(account_path, headers=tenant.headers)).status_code == 204
        assert_problem(await client.post(f"{path}/restore", headers=tenant.headers), 409)
        assert await actions(client, tenant.headers, "contacts", contact["id"]) == [
            "delete",
            "create",
        ]

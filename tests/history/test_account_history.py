"""GET /v1/accounts/{id}/history, and the entries an account's cascade leaves on what it touches."""

import pytest

from tests.factories import (
    account_body,
    assert_problem,
    create_account,
    create_activity,
    create_contact,
)
from tests.history.helpers import actions, history

ACCOUNTS = "/v1/accounts"


class TestRejectedRequestsRecordNothing:
    @pytest.mark.parametrize(
        "body", [{"name": ""}, {"primaryDomain": "not a domain"}, {"name": None}, {"owner": "x"}]
    )
    async def test_a_422_change_adds_no_entry(self, client, tenant, body):
        account = await create_account(client, tenant.headers)
        path = f"{ACCOUNTS}/{account['id']}"
        assert_problem(await client.patch(path, json=body, headers=tenant.headers), 422)
        assert await actions(client, tenant.headers, "accounts", account["id"]) == ["create"]
        assert (await client.get(path, headers=tenant.headers)).json() == account

    async def test_a_duplicate_domain_409_adds_no_entry(self, client, tenant):
        taken = await create_account(client, tenant.headers)
        account = await create_account(client, tenant.headers)
        path = f"{ACCOUNTS}/{account['id']}"
        body = {"name": "Renamed", "primaryDomain": taken["primaryDomain"]}
        assert_problem(await client.patch(path, json=body, headers=tenant.headers), 409)
        assert await actions(client, tenant.headers, "accounts", account["id"]) == ["create"]
        assert (await client.get(path, headers=tenant.headers)).json()["name"] == account["name"]

    async def test_a_409_delete_of_an_account_with_live_activities_adds_no_entry(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        assert_problem(
            await client.delete(f"{ACCOUNTS}/{account['id']}", headers=tenant.headers), 409
        )
        assert await actions(client, tenant.headers, "accounts", account["id"]) == ["create"]
        assert await actions(client, tenant.headers, "activities", activity["id"]) == ["create"]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_refused_cascade_adds_no_entry_anywhere(self, client, tenant, role):
        headers = await tenant.member(role)
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        contact = await create_contact(client, tenant.headers, account["id"])
        response = await client.delete(
            f"{ACCOUNTS}/{account['id']}", params={"cascade": "true"}, headers=headers
        )
        assert_problem(response, 403)
        for kind, row in (("accounts", account), ("activities", activity), ("contacts", contact)):
            assert await actions(client, tenant.headers, kind, row["id"]) == ["create"]


class TestAccountEntries:
    async def test_create_change_delete_and_restore_are_recorded_newest_first(self, client, tenant):
        account = await create_account(client, tenant.headers)
        path = f"{ACCOUNTS}/{account['id']}"
        change = {
            "primaryDomain": "Renamed-Example.ORG.",
            "website": "https://renamed.example.org",
            "name": account["name"],
            "metadata": {"tier": "gold"},
        }
        patched = await client.patch(path, json=change, headers=tenant.headers)
        assert patched.status_code == 200, patched.text
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        assert (await client.post(f"{path}/restore", headers=tenant.headers)).status_code == 200
        entries = await history(client, tenant.headers, "accounts", account["id"])
        assert [e["action"] for e in entries] == ["restore", "delete", "update", "create"]
        assert entries[-1]["changedAt"] == account["createdAt"]
        assert entries[2]["changedAt"] == patched.json()["updatedAt"]
        assert entries[2]["changes"] == {
            "primaryDomain": {"old": account["primaryDomain"], "new": "renamed-example.org"},
            "website": {"old": None, "new": "https://renamed.example.org"},
            "metadata": {"old": {}, "new": {"tier": "gold"}},
        }
        assert {e["userId"] for e in entries} == {tenant.user_id}

    async def test_a_put_records_the_fields_it_cleared(self, client, tenant):
        account = await create_account(client, tenant.headers, industry="Steel")
        body = account_body(primaryDomain=account["primaryDomain"], name=account["name"])
        path = f"{ACCOUNTS}/{account['id']}"
        assert (await client.put(path, json=body, headers=tenant.headers)).status_code == 200
        entry = (await history(client, tenant.headers, "accounts", account["id"]))[0]
        assert (entry["action"], entry["changes"]) == (
            "update",
            {"industry": {"old": "Steel", "new": None}},
        )


class TestCascade:
    async def test_a_cascade_delete_records_an_entry_for_each_live_activity_and_contact(
        self, client, tenant
    ):
        admin = await tenant.member("ADMIN")
        account = await create_account(client, tenant.headers)
        activities = [
            await create_activity(client, tenant.headers, account["id"]) for _ in range(2)
        ]
        contacts = [await create_contact(client, tenant.headers, account["id"]) for _ in range(2)]
        response = await client.delete(
            f"{ACCOUNTS}/{account['id']}", params={"cascade": "true"}, headers=admin
        )
        assert response.status_code == 204
        (account_delete, _) = await history(client, tenant.headers, "accounts", account["id"])
        for kind, rows in (("activities", activities), ("contacts", contacts)):
            for row in rows:
                entries = await history(client, tenant.headers, kind, row["id"])
                assert [e["action"] for e in entries] == ["delete", "create"]
                assert entries[0]["changedAt"] == account_delete["changedAt"]
                assert entries[0]["userId"] == admin["X-User-Id"]
                assert entries[0]["apiKeyId"] == account_delete["apiKeyId"]
                assert entries[0]["changes"] is None

    async def test_a_restore_records_entries_only_for_what_the_cascade_deleted(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        earlier = await create_activity(client, tenant.headers, account["id"])
        cascaded = await create_activity(client, tenant.headers, account["id"])
        contact = await create_contact(client, tenant.headers, account["id"])
        path = f"{ACCOUNTS}/{account['id']}"
        assert (
            await client.delete(f"/v1/activities/{earlier['id']}", headers=tenant.headers)
        ).status_code == 204
        deleted = await client.delete(path, params={"cascade": "true"}, headers=tenant.headers)
        assert deleted.status_code == 204
        assert (await client.post(f"{path}/restore", headers=tenant.headers)).status_code == 200
        (account_restore, *_) = await history(client, tenant.headers, "accounts", account["id"])
        assert account_restore["action"] == "restore"
        for kind, row in (("activities", cascaded), ("contacts", contact)):
            entries = await history(client, tenant.headers, kind, row["id"])
            assert [e["action"] for e in entries] == ["restore", "delete", "create"]
            assert entries[0]["changedAt"] == account_restore["changedAt"]
        # Deleted before the cascade: it stays deleted, and its history has no second delete.
        assert await actions(client, tenant.headers, "activities", earlier["id"]) == [
            "delete",
            "create",
        ]

    async def test_a_cascade_over_an_account_with_nothing_live_records_only_the_account(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        assert (
            await client.delete(f"/v1/activities/{activity['id']}", headers=tenant.headers)
        ).status_code == 204
        path = f"{ACCOUNTS}/{account['id']}"
        assert (
            await client.delete(path, params={"cascade": "true"}, headers=tenant.headers)
        ).status_code == 204
        assert await actions(client, tenant.headers, "accounts", account["id"]) == [
            "delete",
            "create",
        ]
        assert await actions(client, tenant.headers, "activities", activity["id"]) == [
            "delete",
            "create",
        ]


class TestARolledBackRequestRecordsNothing:
    async def test_a_restore_refused_midway_leaves_no_entry_on_anything(self, client, tenant):
        """The account's restore is written and recorded first; the cascade then finds a
        restored contact's email taken: 409, and the account's entry goes with the rollback."""
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        contact = await create_contact(client, tenant.headers, account["id"])
        path = f"{ACCOUNTS}/{account['id']}"
        deleted = await client.delete(path, params={"cascade": "true"}, headers=tenant.headers)
        assert deleted.status_code == 204
        elsewhere = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, elsewhere["id"], email=contact["email"])
        assert_problem(await client.post(f"{path}/restore", headers=tenant.headers), 409)
        for kind, row in (("accounts", account), ("activities", activity), ("contacts", contact)):
            assert await actions(client, tenant.headers, kind, row["id"]) == ["delete", "create"]
        still = await client.get(path, params={"includeDeleted": "true"}, headers=tenant.headers)
        assert still.json()["deletedAt"] is not None

"""Writes that lock more than one row, racing an account's cascade delete (and its restore).

Every write path locks the account first, then its activities and contacts, so no pair of them
can deadlock; a deadlock or serialization failure that happens anyway is retried by the
service. Each race runs for 20 rounds: no answer is a 5xx (the `client` fixture fails the test
on one), every answer is one the contract allows, and afterwards no live activity or contact
belongs to a deleted account.
"""

import asyncio

import pytest

from tests.factories import (
    activity_body,
    contact_body,
    create_account,
    create_activity,
    create_contact,
    list_all,
)

ROUNDS = 20
CHILDREN = 10


async def cascade_delete(client, headers, account_id):
    return await client.delete(
        f"/v1/accounts/{account_id}", params={"cascade": "true"}, headers=headers
    )


async def assert_no_live_child_of_a_deleted_account(client, tenant):
    accounts = await list_all(client, "/v1/accounts", tenant.headers, includeDeleted="true")
    deleted = {account["id"] for account in accounts if account["deletedAt"] is not None}
    for path in ("/v1/activities", "/v1/contacts"):
        live = await list_all(client, path, tenant.headers, limit=200)
        orphans = [row["id"] for row in live if row["accountId"] in deleted]
        assert orphans == [], f"live rows of deleted accounts under {path}: {orphans}"


class TestChangesRacingACascadeDelete:
    async def test_puts_of_its_activities_never_fail_and_leave_no_live_orphan(self, client, tenant):
        for _ in range(ROUNDS):
            account = await create_account(client, tenant.headers)
            children = [
                await create_activity(client, tenant.headers, account["id"])
                for _ in range(CHILDREN)
            ]
            puts = [
                client.put(
                    f"/v1/activities/{child['id']}",
                    json=activity_body(account["id"], duration=45),
                    headers=tenant.headers,
                )
                for child in children
            ]
            *answers, deleted = await asyncio.gather(
                *puts, cascade_delete(client, tenant.headers, account["id"])
            )
            assert deleted.status_code == 204, deleted.text
            # Before the delete: 200. After it: the activity is gone (404), or, if the put found
            # it first, the account it names is (422).
            assert {answer.status_code for answer in answers} <= {200, 404, 422}
        await assert_no_live_child_of_a_deleted_account(client, tenant)

    @pytest.mark.parametrize("path", ["/v1/activities", "/v1/contacts"])
    async def test_patches_moving_children_between_accounts_leave_no_live_orphan(
        self, client, tenant, path
    ):
        make = create_activity if path == "/v1/activities" else create_contact
        for _ in range(ROUNDS):
            doomed = await create_account(client, tenant.headers)
            kept = await create_account(client, tenant.headers)
            children = [await make(client, tenant.headers, doomed["id"]) for _ in range(CHILDREN)]
            # Half move to the account that stays, half name the doomed one again.
            patches = [
                client.patch(
                    f"{path}/{child['id']}",
                    json={"accountId": (kept if index % 2 else doomed)["id"]},
                    headers=tenant.headers,
                )
                for index, child in enumerate(children)
            ]
            *answers, deleted = await asyncio.gather(
                *patches, cascade_delete(client, tenant.headers, doomed["id"])
            )
            assert deleted.status_code == 204, deleted.text
            assert {answer.status_code for answer in answers} <= {200, 404, 422}
            for answer in answers:
                if answer.status_code == 200:
                    assert answer.json()["accountId"] in (doomed["id"], kept["id"])
        await assert_no_live_child_of_a_deleted_account(client, tenant)

    async def test_creates_racing_the_delete_land_before_it_or_are_refused(self, client, tenant):
        for _ in range(ROUNDS):
            account = await create_account(client, tenant.headers)
            await create_activity(client, tenant.headers, account["id"])
            creates = [
                client.post("/v1/activities", json=activity_body(account["id"]), headers=headers)
                for headers in [tenant.headers] * (CHILDREN // 2)
            ] + [
                client.post("/v1/contacts", json=contact_body(account["id"]), headers=headers)
                for headers in [tenant.headers] * (CHILDREN // 2)
            ]
            *answers, deleted = await asyncio.gather(
                *creates, cascade_delete(client, tenant.headers, account["id"])
            )
            assert deleted.status_code == 204, deleted.text
            assert {answer.status_code for answer in answers} <= {201, 422}
        await assert_no_live_child_of_a_deleted_account(client, tenant)


class TestRestoresRacingACascadeDelete:
    @pytest.mark.parametrize("path", ["/v1/activities", "/v1/contacts"])
    async def test_restoring_children_while_their_account_is_deleted_leaves_no_live_orphan(
        self, client, tenant, path
    ):
        make = create_activity if path == "/v1/activities" else create_contact
        for _ in range(ROUNDS):
            account = await create_account(client, tenant.headers)
            children = [await make(client, tenant.headers, account["id"]) for _ in range(CHILDREN)]
            for child in children[: CHILDREN // 2]:
                response = await client.delete(f"{path}/{child['id']}", headers=tenant.headers)
                assert response.status_code == 204
            restores = [
                client.post(f"{path}/{child['id']}/restore", headers=tenant.headers)
                for child in children[: CHILDREN // 2]
            ]
            *answers, deleted = await asyncio.gather(
                *restores, cascade_delete(client, tenant.headers, account["id"])
            )
            assert deleted.status_code == 204, deleted.text
            # Restored before the delete (which then deletes it again), or refused after it.
            assert {answer.status_code for answer in answers} <= {200, 409}
        await assert_no_live_child_of_a_deleted_account(client, tenant)

    async def test_an_account_restore_racing_changes_of_its_children_never_fails(
        self, client, tenant
    ):
        for _ in range(ROUNDS):
            account = await create_account(client, tenant.headers)
            children = [
                await create_activity(client, tenant.headers, account["id"])
                for _ in range(CHILDREN)
            ]
            assert (await cascade_delete(client, tenant.headers, account["id"])).status_code == 204
            changes = [
                client.post(f"/v1/activities/{child['id']}/restore", headers=tenant.headers)
                for child in children
            ]
            *answers, restored = await asyncio.gather(
                *changes,
                client.post(f"/v1/accounts/{account['id']}/restore", headers=tenant.headers),
            )
            assert restored.status_code == 200, restored.text
            assert {answer.status_code for answer in answers} <= {200, 409}
        await assert_no_live_child_of_a_deleted_account(client, tenant)

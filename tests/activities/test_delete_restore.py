"""DELETE /v1/activities/{id} (soft) and POST /v1/activities/{id}/restore."""

import pytest

from tests.activities.helpers import ACTIVITIES, parse_utc, read
from tests.factories import activity_body, assert_problem, create_account, create_activity


async def one_activity(client, tenant, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, tenant.headers, account["id"], **overrides)


async def delete(client, headers, reference):
    return await client.delete(f"{ACTIVITIES}/{reference}", headers=headers)


async def restore(client, headers, reference):
    return await client.post(f"{ACTIVITIES}/{reference}/restore", headers=headers)


async def listed_ids(client, headers, path=ACTIVITIES, **params):
    response = await client.get(path, params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


class TestSoftDelete:
    @pytest.mark.parametrize("by", ["id", "uid"])
    async def test_delete_answers_204_without_a_body(self, client, tenant, by):
        created = await one_activity(client, tenant)
        response = await delete(client, tenant.headers, created[by])
        assert response.status_code == 204
        assert response.content == b""

    async def test_a_deleted_activity_is_404_to_every_verb(self, client, tenant):
        created = await one_activity(client, tenant)
        await delete(client, tenant.headers, created["id"])
        path = f"{ACTIVITIES}/{created['id']}"
        body = activity_body(created["accountId"])
        for response in (
            await client.get(path, headers=tenant.headers),
            await client.get(f"{ACTIVITIES}/{created['uid']}", headers=tenant.headers),
            await client.patch(path, json={"title": "x"}, headers=tenant.headers),
            await client.patch(path, json={}, headers=tenant.headers),
            await client.put(path, json=body, headers=tenant.headers),
            await client.delete(path, headers=tenant.headers),
        ):
            assert_problem(response, 404)
        deleted = await read(client, tenant.headers, created["id"], includeDeleted="true")
        assert deleted["title"] is None

    async def test_a_deleted_activity_leaves_lists_and_the_timeline(self, client, tenant):
        created = await one_activity(client, tenant)
        kept = await create_activity(client, tenant.headers, created["accountId"])
        await delete(client, tenant.headers, created["id"])
        assert await listed_ids(client, tenant.headers) == [kept["id"]]
        timeline = f"/v1/accounts/{created['accountId']}/activities"
        assert await listed_ids(client, tenant.headers, timeline) == [kept["id"]]
        assert await listed_ids(client, tenant.headers, isActive="false") == []

    async def test_the_owner_sees_it_with_include_deleted(self, client, tenant):
        created = await one_activity(client, tenant)
        await delete(client, tenant.headers, created["id"])
        rows = (
            await client.get(ACTIVITIES, params={"includeDeleted": "true"}, headers=tenant.headers)
        ).json()["data"]
        assert [row["id"] for row in rows] == [created["id"]]
        (deleted,) = rows
        assert deleted["isActive"] is False
        assert parse_utc(deleted["deletedAt"]) >= parse_utc(created["updatedAt"])
        assert deleted["updatedAt"] == deleted["deletedAt"]
        unchanged = ("title", "duration", "location", "createdAt", "uid")
        assert {key: deleted[key] for key in unchanged} == {key: created[key] for key in unchanged}

    async def test_deleting_an_unknown_activity_is_404(self, client, tenant):
        await one_activity(client, tenant)
        assert_problem(await delete(client, tenant.headers, "9223372036854775807"), 404)
        assert_problem(await delete(client, tenant.headers, "not-an-id"), 404)


class TestRestore:
    async def test_restore_brings_a_deleted_activity_back(self, client, tenant):
        created = await one_activity(client, tenant)
        await delete(client, tenant.headers, created["id"])
        response = await restore(client, tenant.headers, created["id"])
        assert response.status_code == 200, response.text
        restored = response.json()
        assert (restored["isActive"], restored["deletedAt"]) == (True, None)
        assert parse_utc(restored["updatedAt"]) > parse_utc(created["updatedAt"])
        assert await read(client, tenant.headers, created["id"]) == restored
        assert await listed_ids(client, tenant.headers) == [created["id"]]

    async def test_restore_by_uid_works(self, client, tenant):
        created = await one_activity(client, tenant)
        await delete(client, tenant.headers, created["uid"])
        response = await restore(client, tenant.headers, created["uid"].lower())
        assert response.status_code == 200
        assert response.json()["id"] == created["id"]

    async def test_restoring_a_live_activity_returns_it_unchanged(self, client, tenant):
        created = await one_activity(client, tenant)
        for _ in range(2):
            response = await restore(client, tenant.headers, created["id"])
            assert response.status_code == 200
            assert response.json() == created
        assert await read(client, tenant.headers, created["id"]) == created

    async def test_restore_is_409_while_the_account_is_deleted(self, client, tenant):
        created = await one_activity(client, tenant)
        await delete(client, tenant.headers, created["id"])
        account_path = f"/v1/accounts/{created['accountId']}"
        assert (await client.delete(account_path, headers=tenant.headers)).status_code == 204
        assert_problem(await restore(client, tenant.headers, created["id"]), 409)
        deleted = await read(client, tenant.headers, created["id"], includeDeleted="true")
        assert deleted["deletedAt"] is not None
        # Once the account is back, the activity can follow.
        restored_account = await client.post(f"{account_path}/restore", headers=tenant.headers)
        assert restored_account.status_code == 200
        assert (await restore(client, tenant.headers, created["id"])).status_code == 200

    async def test_restore_is_409_after_a_cascading_account_delete(self, client, tenant):
        created = await one_activity(client, tenant)
        response = await client.delete(
            f"/v1/accounts/{created['accountId']}",
            params={"cascade": "true"},
            headers=tenant.headers,
        )
        assert response.status_code == 204
        gone = await client.get(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        assert_problem(gone, 404)
        assert_problem(await restore(client, tenant.headers, created["id"]), 409)
        assert await listed_ids(client, tenant.headers) == []

    async def test_restoring_an_unknown_activity_is_404(self, client, tenant):
        assert_problem(await restore(client, tenant.headers, "9223372036854775807"), 404)
        assert_problem(await restore(client, tenant.headers, "nope"), 404)

    async def test_a_restored_activity_can_be_deleted_again(self, client, tenant):
        created = await one_activity(client, tenant)
        for _ in range(2):
            assert (await delete(client, tenant.headers, created["id"])).status_code == 204
            assert (await restore(client, tenant.headers, created["id"])).status_code == 200
        assert await listed_ids(client, tenant.headers) == [created["id"]]

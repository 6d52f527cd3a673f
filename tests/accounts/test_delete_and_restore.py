"""DELETE and restore: soft delete, the 409 while activities live, cascade, and its undo."""

import pytest

from tests.factories import assert_problem, create_account, create_activity


async def read_account(client, headers, account_id):
    response = await client.get(f"/v1/accounts/{account_id}?includeDeleted=true", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def read_activity(client, headers, activity_id):
    response = await client.get(
        f"/v1/activities/{activity_id}?includeDeleted=true", headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


class TestDelete:
    async def test_delete_is_204_and_the_account_leaves_reads_and_lists(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.delete(f"/v1/accounts/{account['uid']}", headers=tenant.headers)
        assert response.status_code == 204
        assert response.content == b""
        assert_problem(
            await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers), 404
        )
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []
        stored = await read_account(client, tenant.headers, account["id"])
        assert stored["isActive"] is False
        assert stored["deletedAt"] is not None

    async def test_deleting_again_is_404(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        again = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert_problem(again, 404)

    async def test_deleting_a_missing_account_is_404(self, client, tenant):
        assert_problem(await client.delete("/v1/accounts/424242424", headers=tenant.headers), 404)

    async def test_an_account_with_live_activities_is_409_and_nothing_changes(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        # Read again: the activity has changed the account's engagement figures.
        account = await read_account(client, tenant.headers, account["id"])
        response = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert_problem(response, 409)
        assert await read_account(client, tenant.headers, account["id"]) == account
        assert await read_activity(client, tenant.headers, activity["id"]) == activity

    @pytest.mark.parametrize(("cascade", "status"), [("false", 409), ("0", 422), ("yes", 422)])
    async def test_cascade_false_is_the_same_as_no_cascade(self, client, tenant, cascade, status):
        # A boolean in a query string is `true` or `false`, as the OpenAPI document says.
        account = await create_account(client, tenant.headers)
        await create_activity(client, tenant.headers, account["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade={cascade}", headers=tenant.headers
        )
        assert_problem(response, status)

    async def test_an_account_whose_activities_are_all_deleted_may_be_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        gone = await client.delete(f"/v1/activities/{activity['id']}", headers=tenant.headers)
        assert gone.status_code == 204
        response = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert response.status_code == 204

    async def test_cascade_soft_deletes_its_activities_at_the_same_instant(self, client, tenant):
        account = await create_account(client, tenant.headers)
        other = await create_account(client, tenant.headers)
        first = await create_activity(client, tenant.headers, account["id"])
        second = await create_activity(client, tenant.headers, account["id"])
        bystander = await create_activity(client, tenant.headers, other["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=true", headers=tenant.headers
        )
        assert response.status_code == 204
        deleted_at = (await read_account(client, tenant.headers, account["id"]))["deletedAt"]
        for activity in (first, second):
            stored = await read_activity(client, tenant.headers, activity["id"])
            assert stored["deletedAt"] == deleted_at
            assert stored["isActive"] is False
            gone = await client.get(f"/v1/activities/{activity['id']}", headers=tenant.headers)
            assert_problem(gone, 404)
        assert await read_activity(client, tenant.headers, bystander["id"]) == bystander
        listed = await client.get("/v1/activities", headers=tenant.headers)
        assert [row["id"] for row in listed.json()["data"]] == [bystander["id"]]

    async def test_cascade_on_an_account_without_activities_just_deletes_it(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=true", headers=tenant.headers
        )
        assert response.status_code == 204

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_cascade_below_admin_is_403_and_nothing_changes(self, client, tenant, role):
        headers = await tenant.member(role)
        owner_of = headers if role == "MEMBER" else tenant.headers
        account = await create_account(client, owner_of)
        activity = await create_activity(client, owner_of, account["id"])
        account = await read_account(client, tenant.headers, account["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=true", headers=headers
        )
        assert_problem(response, 403)
        assert await read_account(client, tenant.headers, account["id"]) == account
        assert await read_activity(client, tenant.headers, activity["id"]) == activity

    async def test_an_invalid_cascade_value_is_422(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=sure", headers=tenant.headers
        )
        assert_problem(response, 422, "cascade")
        assert await read_account(client, tenant.headers, account["id"]) == account


class TestRestore:
    async def test_restore_brings_back_the_account(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        response = await client.post(
            f"/v1/accounts/{account['uid']}/restore", headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        restored = response.json()
        assert restored["isActive"] is True
        assert restored["deletedAt"] is None
        assert restored["id"] == account["id"]
        again = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert again.json() == restored

    async def test_restoring_a_live_account_returns_it_unchanged(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.post(
            f"/v1/accounts/{account['id']}/restore", headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json() == account

    async def test_restoring_a_missing_account_is_404(self, client, tenant):
        response = await client.post("/v1/accounts/31415926/restore", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_restore_brings_back_exactly_what_the_cascade_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        earlier = await create_activity(client, tenant.headers, account["id"])
        cascaded = await create_activity(client, tenant.headers, account["id"])
        gone = await client.delete(f"/v1/activities/{earlier['id']}", headers=tenant.headers)
        assert gone.status_code == 204
        earlier_deleted = await read_activity(client, tenant.headers, earlier["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=true", headers=tenant.headers
        )
        assert response.status_code == 204
        restored = await client.post(
            f"/v1/accounts/{account['id']}/restore", headers=tenant.headers
        )
        assert restored.status_code == 200
        back = await client.get(f"/v1/activities/{cascaded['id']}", headers=tenant.headers)
        assert back.status_code == 200
        assert back.json()["deletedAt"] is None
        assert back.json()["isActive"] is True
        assert_problem(
            await client.get(f"/v1/activities/{earlier['id']}", headers=tenant.headers), 404
        )
        assert await read_activity(client, tenant.headers, earlier["id"]) == earlier_deleted
        timeline = await client.get(
            f"/v1/accounts/{account['id']}/activities", headers=tenant.headers
        )
        assert [row["id"] for row in timeline.json()["data"]] == [cascaded["id"]]

    async def test_restore_is_409_when_a_live_account_took_the_domain(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        deleted = await read_account(client, tenant.headers, account["id"])
        usurper = await create_account(
            client, tenant.headers, primaryDomain=account["primaryDomain"]
        )
        response = await client.post(
            f"/v1/accounts/{account['id']}/restore", headers=tenant.headers
        )
        assert_problem(response, 409)
        assert await read_account(client, tenant.headers, account["id"]) == deleted
        assert await read_account(client, tenant.headers, usurper["id"]) == usurper

    async def test_a_refused_restore_restores_none_of_the_cascaded_activities(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        await client.delete(f"/v1/accounts/{account['id']}?cascade=true", headers=tenant.headers)
        deleted_activity = await read_activity(client, tenant.headers, activity["id"])
        await create_account(client, tenant.headers, primaryDomain=account["primaryDomain"])
        response = await client.post(
            f"/v1/accounts/{account['id']}/restore", headers=tenant.headers
        )
        assert_problem(response, 409)
        assert await read_activity(client, tenant.headers, activity["id"]) == deleted_activity

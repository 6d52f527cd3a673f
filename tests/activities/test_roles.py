"""Roles: VIEWER reads; MEMBER creates and changes its own; ADMIN and OWNER change anything."""

import pytest

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import activity_body, assert_problem, create_account, create_activity


def requests_changing(activity):
    """Every request that asks to change `activity` (method, path, body), no-ops included."""
    path = f"{ACTIVITIES}/{activity['id']}"
    return [
        ("PATCH", path, {"title": "changed"}),
        ("PATCH", path, {}),
        ("PUT", path, activity_body(activity["accountId"], title="changed")),
        ("POST", f"{path}/restore", None),
        ("DELETE", path, None),
    ]


async def send(client, headers, method, path, body):
    return await client.request(method, path, json=body, headers=headers)


async def owned_activity(client, tenant, headers=None):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, headers or tenant.headers, account["id"])


class TestViewer:
    async def test_a_viewer_reads_one_and_lists(self, client, tenant):
        created = await owned_activity(client, tenant)
        viewer = await tenant.member("VIEWER")
        assert await read(client, viewer, created["id"]) == created
        response = await client.get(ACTIVITIES, headers=viewer)
        assert [row["id"] for row in response.json()["data"]] == [created["id"]]
        timeline = await client.get(
            f"/v1/accounts/{created['accountId']}/activities", headers=viewer
        )
        assert timeline.status_code == 200

    async def test_a_viewer_may_not_create(self, client, tenant):
        account = await create_account(client, tenant.headers)
        viewer = await tenant.member("VIEWER")
        response = await client.post(ACTIVITIES, json=activity_body(account["id"]), headers=viewer)
        assert_problem(response, 403)
        assert await stored(client, tenant) == []

    async def test_a_viewer_may_not_change_delete_or_restore(self, client, tenant):
        created = await owned_activity(client, tenant)
        viewer = await tenant.member("VIEWER")
        for method, path, body in requests_changing(created):
            assert_problem(await send(client, viewer, method, path, body), 403)
        assert await stored(client, tenant) == [created]

    async def test_a_viewer_may_not_restore_a_deleted_activity(self, client, tenant):
        created = await owned_activity(client, tenant)
        await client.delete(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        viewer = await tenant.member("VIEWER")
        response = await client.post(f"{ACTIVITIES}/{created['id']}/restore", headers=viewer)
        assert_problem(response, 403)
        (still_deleted,) = await stored(client, tenant)
        assert still_deleted["isActive"] is False


class TestMember:
    async def test_a_member_creates_changes_and_deletes_its_own(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await owned_activity(client, tenant, member)
        assert created["creatorId"] == member["X-User-Id"]
        path = f"{ACTIVITIES}/{created['id']}"
        patched = await client.patch(path, json={"title": "mine"}, headers=member)
        assert (patched.status_code, patched.json()["title"]) == (200, "mine")
        replaced = await client.put(path, json=activity_body(created["accountId"]), headers=member)
        assert (replaced.status_code, replaced.json()["title"]) == (200, None)
        assert (await client.delete(path, headers=member)).status_code == 204
        restored = await client.post(f"{path}/restore", headers=member)
        assert (restored.status_code, restored.json()["isActive"]) == (200, True)

    @pytest.mark.parametrize("creator_role", ["OWNER", "MEMBER", "ADMIN"])
    async def test_a_member_may_not_change_what_another_created(self, client, tenant, creator_role):
        creator = tenant.headers if creator_role == "OWNER" else await tenant.member(creator_role)
        created = await owned_activity(client, tenant, creator)
        member = await tenant.member("MEMBER")
        for method, path, body in requests_changing(created):
            response = await send(client, member, method, path, body)
            assert_problem(response, 403)
        assert await stored(client, tenant) == [created]

    async def test_a_member_may_not_restore_what_another_created(self, client, tenant):
        created = await owned_activity(client, tenant)
        await client.delete(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        member = await tenant.member("MEMBER")
        response = await client.post(f"{ACTIVITIES}/{created['id']}/restore", headers=member)
        assert_problem(response, 403)
        (still_deleted,) = await stored(client, tenant)
        assert still_deleted["deletedAt"] is not None

    async def test_a_member_reads_and_lists_what_others_created(self, client, tenant):
        created = await owned_activity(client, tenant)
        member = await tenant.member("MEMBER")
        assert await read(client, member, created["uid"]) == created
        response = await client.get(ACTIVITIES, headers=member)
        assert [row["id"] for row in response.json()["data"]] == [created["id"]]

    async def test_a_member_may_attach_its_own_activity_to_any_live_account(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await owned_activity(client, tenant, member)
        owners_account = await create_account(client, tenant.headers, name="Owner's")
        response = await client.patch(
            f"{ACTIVITIES}/{created['id']}",
            json={"accountId": owners_account["id"]},
            headers=member,
        )
        assert (response.status_code, response.json()["account"]) == (200, "Owner's")


class TestAdminAndOwner:
    @pytest.mark.parametrize("role", ["ADMIN", "OWNER"])
    async def test_a_manager_changes_deletes_and_restores_anyones(self, client, tenant, role):
        member = await tenant.member("MEMBER")
        created = await owned_activity(client, tenant, member)
        manager = tenant.headers if role == "OWNER" else await tenant.member(role)
        path = f"{ACTIVITIES}/{created['id']}"
        patched = await client.patch(path, json={"title": "by manager"}, headers=manager)
        assert (patched.status_code, patched.json()["title"]) == (200, "by manager")
        replaced = await client.put(
            path, json=activity_body(created["accountId"], duration=9), headers=manager
        )
        assert (replaced.status_code, replaced.json()["duration"]) == (200, 9)
        assert replaced.json()["creatorId"] == member["X-User-Id"]
        assert (await client.delete(path, headers=manager)).status_code == 204
        restored = await client.post(f"{path}/restore", headers=manager)
        assert (restored.status_code, restored.json()["isActive"]) == (200, True)

    async def test_an_admin_creates_as_itself(self, client, tenant):
        admin = await tenant.member("ADMIN")
        created = await owned_activity(client, tenant, admin)
        assert (created["creatorId"], created["creator"]) == (admin["X-User-Id"], "ADMIN person")


class TestCredentials:
    @pytest.mark.parametrize("missing", ["Authorization", "X-API-Key", "X-Org-Id"])
    async def test_every_endpoint_needs_all_three_headers(self, client, tenant, missing):
        created = await owned_activity(client, tenant)
        headers = {k: v for k, v in tenant.headers.items() if k != missing}
        path = f"{ACTIVITIES}/{created['id']}"
        for method, url, body in [
            ("GET", ACTIVITIES, None),
            ("POST", ACTIVITIES, activity_body(created["accountId"])),
            ("GET", path, None),
            *requests_changing(created),
            ("GET", f"/v1/accounts/{created['accountId']}/activities", None),
        ]:
            response = await send(client, headers, method, url, body)
            assert_problem(response, 401)
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert await stored(client, tenant) == [created]

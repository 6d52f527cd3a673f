"""GET /v1/activities/{id}/history: every create, change, delete and restore, newest first."""

import pytest

from tests.api_keys.helpers import create_key, key_id_of, using_key
from tests.factories import (
    activity_body,
    assert_problem,
    create_account,
    create_activity,
    create_contact,
)
from tests.history.helpers import ENTRY_FIELDS, actions, history, parse

ACTIVITIES = "/v1/activities"


async def setup_activity(client, tenant, headers=None):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, headers or tenant.headers, account["id"])


class TestRejectedRequestsRecordNothing:
    @pytest.mark.parametrize(
        "body",
        [
            {"duration": -1},
            {"location": None},
            {"id": "5"},
            {"nickname": "x"},
            {"participants": [{"contactId": "999999999"}]},
            {"title": "fine", "participants": [{"userId": "999999999"}]},
        ],
    )
    async def test_a_422_change_adds_no_entry_and_changes_nothing(self, client, tenant, body):
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        before = await history(client, tenant.headers, "activities", activity["id"])
        assert_problem(await client.patch(path, json=body, headers=tenant.headers), 422)
        assert await history(client, tenant.headers, "activities", activity["id"]) == before
        assert (await client.get(path, headers=tenant.headers)).json() == activity

    async def test_a_viewers_403_adds_no_entry(self, client, tenant):
        activity = await setup_activity(client, tenant)
        viewer = await tenant.member("VIEWER")
        path = f"{ACTIVITIES}/{activity['id']}"
        before = await history(client, tenant.headers, "activities", activity["id"])
        for method, body in [
            ("PATCH", {"title": "no"}),
            ("DELETE", None),
            ("PUT", activity_body(activity["accountId"])),
        ]:
            assert_problem(await client.request(method, path, json=body, headers=viewer), 403)
        assert await history(client, tenant.headers, "activities", activity["id"]) == before

    async def test_a_members_403_on_anothers_activity_adds_no_entry(self, client, tenant):
        activity = await setup_activity(client, tenant)
        member = await tenant.member("MEMBER")
        path = f"{ACTIVITIES}/{activity['id']}"
        before = await history(client, tenant.headers, "activities", activity["id"])
        assert_problem(await client.patch(path, json={"title": "mine"}, headers=member), 403)
        assert_problem(await client.delete(path, headers=member), 403)
        assert await history(client, tenant.headers, "activities", activity["id"]) == before

    async def test_another_organizations_404_adds_no_entry(self, client, tenant, other_tenant):
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        before = await history(client, tenant.headers, "activities", activity["id"])
        assert_problem(
            await client.patch(path, json={"title": "x"}, headers=other_tenant.headers), 404
        )
        assert_problem(await client.delete(path, headers=other_tenant.headers), 404)
        assert await history(client, tenant.headers, "activities", activity["id"]) == before

    async def test_a_409_restore_under_a_deleted_account_adds_no_entry(self, client, tenant):
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        account_path = f"/v1/accounts/{activity['accountId']}"
        assert (await client.delete(account_path, headers=tenant.headers)).status_code == 204
        before = await history(client, tenant.headers, "activities", activity["id"])
        assert_problem(await client.post(f"{path}/restore", headers=tenant.headers), 409)
        assert await history(client, tenant.headers, "activities", activity["id"]) == before


class TestCreate:
    async def test_create_records_when_who_and_through_which_key(self, client, tenant):
        member = await tenant.member("MEMBER")
        key = await create_key(client, tenant.headers)
        activity = await setup_activity(client, tenant, using_key(member, key["key"]))
        (entry,) = await history(client, tenant.headers, "activities", activity["id"])
        assert set(entry) == ENTRY_FIELDS
        assert entry["action"] == "create"
        assert entry["changedAt"] == activity["createdAt"]
        assert entry["userId"] == member["X-User-Id"]
        assert entry["apiKeyId"] == key["id"]
        assert entry["changes"] is None


class TestUpdate:
    async def test_a_patch_records_each_changed_field_old_and_new_as_the_api_shows_them(
        self, client, tenant
    ):
        activity = await setup_activity(client, tenant)
        other_account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, other_account["id"])
        change = {
            "accountId": int(other_account["id"]),
            "activityTimestamp": "2026-03-02T12:00:00+02:00",
            "duration": 45,
            "status": "COMPLETED",
            "title": "Kick-off",
            "participants": [{"contactId": contact["id"]}],
            "metadata": {"stage": 2},
        }
        path = f"{ACTIVITIES}/{activity['id']}"
        patched = await client.patch(path, json=change, headers=tenant.headers)
        assert patched.status_code == 200, patched.text
        entry = (await history(client, tenant.headers, "activities", activity["id"]))[0]
        assert entry["action"] == "update"
        assert entry["changedAt"] == patched.json()["updatedAt"]
        assert entry["changes"] == {
            "accountId": {"old": activity["accountId"], "new": other_account["id"]},
            "activityTimestamp": {"old": "2026-03-02T09:30:00Z", "new": "2026-03-02T10:00:00Z"},
            "duration": {"old": 30, "new": 45},
            "status": {"old": "PENDING", "new": "COMPLETED"},
            "completedAt": {"old": None, "new": patched.json()["completedAt"]},
            "title": {"old": None, "new": "Kick-off"},
            "participants": {"old": [], "new": [{"contactId": contact["id"]}]},
            "metadata": {"old": {}, "new": {"stage": 2}},
        }

    async def test_fields_sent_with_their_current_value_are_not_recorded(self, client, tenant):
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        same = {"duration": 30, "activityTimestamp": "2026-03-02T11:30:00+02:00", "title": "New"}
        assert (await client.patch(path, json=same, headers=tenant.headers)).status_code == 200
        entry = (await history(client, tenant.headers, "activities", activity["id"]))[0]
        assert entry["changes"] == {"title": {"old": None, "new": "New"}}

    async def test_a_change_to_nothing_new_records_nothing(self, client, tenant):
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        for body in ({}, {"duration": 30}, {"type": None}):
            assert (await client.patch(path, json=body, headers=tenant.headers)).status_code == 200
        put = await client.put(
            path, json=activity_body(activity["accountId"]), headers=tenant.headers
        )
        assert put.status_code == 200
        assert await actions(client, tenant.headers, "activities", activity["id"]) == ["create"]

    async def test_a_put_records_only_what_it_changed(self, client, tenant):
        activity = await create_activity(
            client,
            tenant.headers,
            (await create_account(client, tenant.headers))["id"],
            title="Old",
        )
        body = activity_body(activity["accountId"], type="MEETING")
        path = f"{ACTIVITIES}/{activity['id']}"
        assert (await client.put(path, json=body, headers=tenant.headers)).status_code == 200
        entry = (await history(client, tenant.headers, "activities", activity["id"]))[0]
        assert entry["changes"] == {
            "type": {"old": "CALL", "new": "MEETING"},
            "title": {"old": "Old", "new": None},
        }

    async def test_null_resetting_a_default_records_the_default_as_new(self, client, tenant):
        activity = await create_activity(
            client,
            tenant.headers,
            (await create_account(client, tenant.headers))["id"],
            status="CANCELLED",
        )
        path = f"{ACTIVITIES}/{activity['id']}"
        assert (
            await client.patch(path, json={"status": None}, headers=tenant.headers)
        ).status_code == 200
        entry = (await history(client, tenant.headers, "activities", activity["id"]))[0]
        assert entry["changes"] == {"status": {"old": "CANCELLED", "new": "PENDING"}}


class TestDeleteAndRestore:
    async def test_the_whole_life_is_recorded_newest_first_with_each_actor(self, client, tenant):
        admin = await tenant.member("ADMIN")
        activity = await setup_activity(client, tenant)
        path = f"{ACTIVITIES}/{activity['id']}"
        assert (await client.patch(path, json={"title": "a"}, headers=admin)).status_code == 200
        assert (await client.delete(path, headers=admin)).status_code == 204
        restored = await client.post(f"{path}/restore", headers=tenant.headers)
        assert restored.status_code == 200
        entries = await history(client, tenant.headers, "activities", activity["id"])
        assert [e["action"] for e in entries] == ["restore", "delete", "update", "create"]
        assert [e["userId"] for e in entries] == [
            tenant.user_id,
            admin["X-User-Id"],
            admin["X-User-Id"],
            tenant.user_id,
        ]
        owner_key = await key_id_of(client, tenant.headers, tenant.api_key)
        assert {e["apiKeyId"] for e in entries} == {owner_key}
        assert entries[0]["changes"] is None
        assert entries[1]["changes"] is None
        times = [parse(e["changedAt"]) for e in entries]
        assert times == sorted(times, reverse=True)
        assert entries[0]["changedAt"] == restored.json()["updatedAt"]

    async def test_restoring_a_live_activity_records_nothing(self, client, tenant):
        activity = await setup_activity(client, tenant)
        response = await client.post(
            f"{ACTIVITIES}/{activity['id']}/restore", headers=tenant.headers
        )
        assert response.status_code == 200
        assert await actions(client, tenant.headers, "activities", activity["id"]) == ["create"]

    async def test_a_member_deleting_its_own_activity_is_recorded_as_that_member(
        self, client, tenant
    ):
        member = await tenant.member("MEMBER")
        activity = await setup_activity(client, tenant, member)
        assert (
            await client.delete(f"{ACTIVITIES}/{activity['id']}", headers=member)
        ).status_code == 204
        entries = await history(client, tenant.headers, "activities", activity["id"])
        assert [(e["action"], e["userId"]) for e in entries] == [
            ("delete", member["X-User-Id"]),
            ("create", member["X-User-Id"]),
        ]

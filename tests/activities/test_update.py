"""PATCH and PUT /v1/activities/{id}: what changes, what resets, and what is refused."""

import json

import pytest

from tests.activities.helpers import ACTIVITIES, parse_utc, read, send_raw
from tests.factories import activity_body, assert_problem, create_account, create_activity

FULL = {
    "type": "TRAINING",
    "status": "COMPLETED",
    "participants": [{"email": "ann@example.com", "name": "Ann"}],
    "attachmentUrls": ["https://example.com/deck.pdf"],
    "title": "Onboarding",
    "description": "Two hours.",
    "metadata": {"room": 4},
}
DEFAULTS = {
    "type": "CALL",
    "category": "COMMUNICATION",
    "status": "PENDING",
    "participants": [],
    "attachmentUrls": [],
    "title": None,
    "description": None,
    "metadata": {},
}


async def full_activity(client, tenant):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, tenant.headers, account["id"], **FULL)


async def patch(client, headers, activity, body):
    return await client.patch(f"{ACTIVITIES}/{activity['id']}", json=body, headers=headers)


async def put(client, headers, activity, body):
    return await client.put(f"{ACTIVITIES}/{activity['id']}", json=body, headers=headers)


def changed_fields(before, after):
    return {key for key in before if before[key] != after[key]}


class TestPatchChanges:
    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"duration": 45}, {"duration": 45}),
            ({"location": "  Zoom  "}, {"location": "Zoom"}),
            ({"title": "Renamed"}, {"title": "Renamed"}),
            ({"description": "More."}, {"description": "More."}),
            # Leaving COMPLETED clears when it was completed.
            ({"status": "CANCELLED"}, {"status": "CANCELLED", "completedAt": None}),
            ({"outcome": "demo booked"}, {"outcome": "demo booked"}),
            ({"visibility": "PRIVATE"}, {"visibility": "PRIVATE"}),
            ({"remindAt": "2026-04-01T08:00:00Z"}, {"remindAt": "2026-04-01T08:00:00Z"}),
            ({"type": "EMAIL"}, {"type": "EMAIL", "category": "COMMUNICATION"}),
            (
                {"activityTimestamp": "2026-04-01T08:00:00-04:00"},
                {"activityTimestamp": "2026-04-01T12:00:00Z"},
            ),
            (
                {"participants": [{"email": "new@example.com"}]},
                {"participants": [{"email": "new@example.com"}]},
            ),
            ({"attachmentUrls": []}, {"attachmentUrls": []}),
            ({"metadata": {"other": True}}, {"metadata": {"other": True}}),
            ({"isActive": False}, {"isActive": False}),
        ],
    )
    async def test_patch_changes_only_the_given_fields(self, client, tenant, body, expected):
        before = await full_activity(client, tenant)
        response = await patch(client, tenant.headers, before, body)
        assert response.status_code == 200, response.text
        after = response.json()
        assert changed_fields(before, after) == {*expected, "updatedAt"}
        assert {key: after[key] for key in expected} == expected
        assert await read(client, tenant.headers, before["id"]) == after

    async def test_patch_moves_updated_at_forward_and_keeps_created_at(self, client, tenant):
        before = await full_activity(client, tenant)
        after = (await patch(client, tenant.headers, before, {"duration": 1})).json()
        assert after["createdAt"] == before["createdAt"]
        assert parse_utc(after["updatedAt"]) > parse_utc(before["updatedAt"])

    async def test_patch_by_uid_changes_the_same_activity(self, client, tenant):
        before = await full_activity(client, tenant)
        path = f"{ACTIVITIES}/{before['uid'].lower()}"
        response = await client.patch(path, json={"title": "By uid"}, headers=tenant.headers)
        assert response.status_code == 200
        assert (await read(client, tenant.headers, before["id"]))["title"] == "By uid"

    async def test_an_empty_patch_changes_nothing(self, client, tenant):
        before = await full_activity(client, tenant)
        response = await patch(client, tenant.headers, before, {})
        assert response.status_code == 200
        assert response.json() == before
        assert await read(client, tenant.headers, before["id"]) == before

    async def test_null_clears_title_and_description(self, client, tenant):
        before = await full_activity(client, tenant)
        body = {"title": None, "description": None}
        after = (await patch(client, tenant.headers, before, body)).json()
        assert (after["title"], after["description"]) == (None, None)
        assert changed_fields(before, after) == {"title", "description", "updatedAt"}

    @pytest.mark.parametrize(
        ("field", "default"),
        [
            ("type", "CALL"),
            ("status", "PENDING"),
            ("participants", []),
            ("attachmentUrls", []),
            ("metadata", {}),
        ],
    )
    async def test_null_resets_a_defaulted_field(self, client, tenant, field, default):
        before = await full_activity(client, tenant)
        after = (await patch(client, tenant.headers, before, {field: None})).json()
        assert after[field] == default
        assert (await read(client, tenant.headers, before["id"]))[field] == default

    async def test_account_id_moves_the_activity_to_another_live_account(self, client, tenant):
        before = await full_activity(client, tenant)
        target = await create_account(client, tenant.headers, name="Umbrella")
        after = (await patch(client, tenant.headers, before, {"accountId": target["id"]})).json()
        assert (after["accountId"], after["account"]) == (target["id"], "Umbrella")
        listed = await client.get(
            ACTIVITIES, params={"accountId": target["id"]}, headers=tenant.headers
        )
        assert [row["id"] for row in listed.json()["data"]] == [before["id"]]


class TestPatchRefusals:
    async def assert_refused(self, client, tenant, body, status, *fields):
        before = await full_activity(client, tenant)
        response = await patch(client, tenant.headers, before, body)
        assert_problem(response, status, *fields)
        assert await read(client, tenant.headers, before["id"]) == before

    @pytest.mark.parametrize(
        "field", ["accountId", "activityTimestamp", "duration", "location", "isActive"]
    )
    async def test_null_on_a_required_field_is_422(self, client, tenant, field):
        await self.assert_refused(client, tenant, {field: None}, 422, field)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"duration": -1}, "duration"),
            ({"duration": 10081}, "duration"),
            ({"duration": "30"}, "duration"),
            ({"location": "   "}, "location"),
            ({"title": "t" * 256}, "title"),
            ({"type": "call"}, "type"),
            ({"activityTimestamp": "2026-03-02T09:30:00"}, "activityTimestamp"),
            ({"attachmentUrls": ["ftp://example.com/x"]}, "attachmentUrls[0]"),
            ({"participants": [{"email": "a@example.com"}, {}]}, "participants[1]"),
            ({"metadata": {"a": "\x00"}}, "metadata"),
            ({"isActive": "no"}, "isActive"),
            ({"isActive": 0}, "isActive"),
            ({"isActive": "true"}, "isActive"),
            ({"colour": "red"}, "colour"),
            ({"id": "1"}, "id"),
            ({"uid": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}, "uid"),
            ({"category": "BUSINESS"}, "category"),
            ({"creatorId": "1"}, "creatorId"),
            ({"createdAt": "2026-03-02T09:30:00Z"}, "createdAt"),
            ({"deletedAt": None}, "deletedAt"),
        ],
    )
    async def test_a_bad_field_is_422_and_changes_nothing(self, client, tenant, body, field):
        await self.assert_refused(client, tenant, {"title": "changed", **body}, 422, field)

    async def test_another_organizations_account_is_refused_like_a_missing_one(
        self, client, tenant, other_tenant
    ):
        foreign = await create_account(client, other_tenant.headers)
        before = await full_activity(client, tenant)
        missing = await patch(client, tenant.headers, before, {"accountId": "9223372036854775807"})
        response = await patch(client, tenant.headers, before, {"accountId": foreign["id"]})
        assert assert_problem(response, 422, "accountId") == missing.json()
        assert await read(client, tenant.headers, before["id"]) == before

    async def test_a_deleted_account_is_refused(self, client, tenant):
        target = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{target['id']}", headers=tenant.headers)
        await self.assert_refused(client, tenant, {"accountId": target["id"]}, 422, "accountId")

    @pytest.mark.parametrize(
        ("content", "content_type", "status"),
        [
            ('{"title": ', "application/json", 400),
            ('["title"]', "application/json", 400),
            ("null", "application/json", 400),
            ('{"title": "x"}', "text/plain", 415),
        ],
    )
    async def test_a_body_that_is_not_a_json_object_is_refused(
        self, client, tenant, content, content_type, status
    ):
        before = await full_activity(client, tenant)
        path = f"{ACTIVITIES}/{before['id']}"
        response = await send_raw(client, tenant.headers, content, content_type, "PATCH", path)
        assert_problem(response, status)
        assert await read(client, tenant.headers, before["id"]) == before

    async def test_patching_an_unknown_activity_is_404(self, client, tenant):
        response = await client.patch(
            f"{ACTIVITIES}/9223372036854775807", json={"title": "x"}, headers=tenant.headers
        )
        assert_problem(response, 404)


class TestPut:
    async def test_put_replaces_and_resets_what_it_leaves_out(self, client, tenant):
        before = await full_activity(client, tenant)
        body = activity_body(before["accountId"], duration=5, location="Lobby")
        response = await put(client, tenant.headers, before, body)
        assert response.status_code == 200, response.text
        after = response.json()
        assert {key: after[key] for key in DEFAULTS} == DEFAULTS
        assert (after["duration"], after["location"]) == (5, "Lobby")
        kept = ["id", "uid", "creatorId", "creator", "creatorEmail", "createdAt", "isActive"]
        assert {key: after[key] for key in kept} == {key: before[key] for key in kept}
        assert parse_utc(after["updatedAt"]) > parse_utc(before["updatedAt"])
        assert await read(client, tenant.headers, before["uid"]) == after

    async def test_put_sets_every_field_it_is_given(self, client, tenant):
        before = await full_activity(client, tenant)
        target = await create_account(client, tenant.headers, name="Hooli")
        body = activity_body(
            target["id"],
            activityTimestamp="2026-05-05T05:05:05+05:00",
            type="CHAT",
            status="CANCELLED",
            title="New",
            metadata={"v": 2},
        )
        after = (await put(client, tenant.headers, before, body)).json()
        expected = {**body, "activityTimestamp": "2026-05-05T00:05:05Z", "account": "Hooli"}
        assert {key: after[key] for key in expected} == expected

    async def test_put_applies_the_create_rules(self, client, tenant):
        before = await full_activity(client, tenant)
        response = await put(client, tenant.headers, before, {"title": "only a title"})
        assert_problem(response, 422, "accountId", "activityTimestamp", "duration", "location")
        assert await read(client, tenant.headers, before["id"]) == before

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"isActive": True}, "isActive"),
            ({"id": "1"}, "id"),
            ({"duration": 10081}, "duration"),
            ({"accountId": "9223372036854775807"}, "accountId"),
            ({"colour": "red"}, "colour"),
        ],
    )
    async def test_put_refuses_what_create_refuses(self, client, tenant, overrides, field):
        before = await full_activity(client, tenant)
        body = {**activity_body(before["accountId"]), **overrides}
        assert_problem(await put(client, tenant.headers, before, body), 422, field)
        assert await read(client, tenant.headers, before["id"]) == before

    async def test_put_keeps_is_active(self, client, tenant):
        before = await full_activity(client, tenant)
        await patch(client, tenant.headers, before, {"isActive": False})
        after = await put(client, tenant.headers, before, activity_body(before["accountId"]))
        assert after.json()["isActive"] is False

    async def test_put_on_an_unknown_activity_is_404(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.put(
            f"{ACTIVITIES}/9223372036854775807",
            json=activity_body(account["id"]),
            headers=tenant.headers,
        )
        assert_problem(response, 404)

    async def test_put_with_a_malformed_body_is_400(self, client, tenant):
        before = await full_activity(client, tenant)
        path = f"{ACTIVITIES}/{before['id']}"
        text = json.dumps(activity_body(before["accountId"]))[:-1]
        response = await send_raw(client, tenant.headers, text, method="PUT", path=path)
        assert_problem(response, 400)
        assert await read(client, tenant.headers, before["id"]) == before


class TestIsActiveOnlyByPatch:
    async def test_is_active_is_refused_on_create(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = activity_body(account["id"], isActive=False)
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, "isActive")

    async def test_is_active_set_by_patch_keeps_the_activity_readable(self, client, tenant):
        before = await full_activity(client, tenant)
        await patch(client, tenant.headers, before, {"isActive": False})
        after = await read(client, tenant.headers, before["id"])
        assert (after["isActive"], after["deletedAt"]) == (False, None)
        back = (await patch(client, tenant.headers, before, {"isActive": True})).json()
        assert back["isActive"] is True

"""Follow-up fields of an activity: owner, visibility, outcome, remindAt, followUpOfId and
completedAt, with their rules, unhappy paths first."""

import pytest

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import activity_body, assert_problem, create_account, create_activity


async def an_account(client, tenant):
    return (await create_account(client, tenant.headers))["id"]


class TestRefusedAndNothingWritten:
    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("ownerId", "abc"),
            ("ownerId", 0),
            ("ownerId", "99999999999"),
            ("visibility", "SECRET"),
            ("visibility", "private"),
            ("visibility", None),
            ("outcome", "x" * 256),
            ("outcome", 7),
            ("outcome", "nul\x00"),
            ("remindAt", "tomorrow"),
            ("remindAt", "2026-03-02T09:30:00"),
            ("followUpOfId", "abc"),
            ("followUpOfId", "99999999999"),
        ],
    )
    async def test_a_bad_value_is_a_422_naming_the_field(self, client, tenant, field, value):
        account_id = await an_account(client, tenant)
        body = activity_body(account_id, **{field: value})
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, field)
        assert await stored(client, tenant) == []

    async def test_an_owner_from_another_organization_is_refused(
        self, client, tenant, other_tenant
    ):
        account_id = await an_account(client, tenant)
        body = activity_body(account_id, ownerId=other_tenant.user_id)
        assert_problem(
            await client.post(ACTIVITIES, json=body, headers=tenant.headers), 422, "ownerId"
        )
        assert await stored(client, tenant) == []

    async def test_following_up_another_organizations_activity_is_refused(
        self, client, tenant, other_tenant
    ):
        theirs = await create_activity(
            client, other_tenant.headers, await an_account(client, other_tenant)
        )
        body = activity_body(await an_account(client, tenant), followUpOfId=theirs["id"])
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, "followUpOfId")
        assert await stored(client, tenant) == []

    async def test_following_up_a_deleted_activity_is_refused(self, client, tenant):
        account_id = await an_account(client, tenant)
        first = await create_activity(client, tenant.headers, account_id)
        assert (
            await client.delete(f"{ACTIVITIES}/{first['id']}", headers=tenant.headers)
        ).status_code == 204
        body = activity_body(account_id, followUpOfId=first["id"])
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, "followUpOfId")

    async def test_following_up_a_private_activity_one_cannot_see_is_refused(self, client, tenant):
        account_id = await an_account(client, tenant)
        hidden = await create_activity(client, tenant.headers, account_id, visibility="PRIVATE")
        member = await tenant.member("MEMBER")
        body = activity_body(account_id, followUpOfId=hidden["id"])
        assert_problem(
            await client.post(ACTIVITIES, json=body, headers=member), 422, "followUpOfId"
        )

    async def test_an_activity_cannot_follow_up_itself(self, client, tenant):
        created = await create_activity(client, tenant.headers, await an_account(client, tenant))
        path = f"{ACTIVITIES}/{created['id']}"
        response = await client.patch(
            path, json={"followUpOfId": created["id"]}, headers=tenant.headers
        )
        assert_problem(response, 422, "followUpOfId")
        assert await read(client, tenant.headers, created["id"]) == created


class TestDefaultsAndValues:
    async def test_the_creator_owns_it_by_default(self, client, tenant):
        created = await create_activity(client, tenant.headers, await an_account(client, tenant))
        assert created["ownerId"] == tenant.user_id == created["creatorId"]
        assert created["owner"] == created["creator"]
        assert created["ownerEmail"] == tenant.email
        assert created["visibility"] == "ORGANIZATION"
        assert created["outcome"] is None
        assert created["remindAt"] is None
        assert created["followUpOfId"] is None
        assert created["completedAt"] is None

    async def test_another_member_can_own_it(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await create_activity(
            client, tenant.headers, await an_account(client, tenant), ownerId=member["X-User-Id"]
        )
        assert created["ownerId"] == member["X-User-Id"]
        assert created["owner"] == "MEMBER person"
        assert await read(client, tenant.headers, created["id"]) == created

    async def test_the_values_are_kept_and_read_back(self, client, tenant):
        account_id = await an_account(client, tenant)
        first = await create_activity(client, tenant.headers, account_id)
        created = await create_activity(
            client,
            tenant.headers,
            account_id,
            outcome="x" * 255,
            remindAt="2026-03-03T08:00:00+01:00",
            followUpOfId=first["id"],
            visibility="PRIVATE",
        )
        assert created["outcome"] == "x" * 255
        assert created["remindAt"] == "2026-03-03T07:00:00Z"
        assert created["followUpOfId"] == first["id"]
        assert created["visibility"] == "PRIVATE"
        assert await read(client, tenant.headers, created["id"]) == created

    async def test_null_owner_on_patch_gives_it_back_to_the_creator(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await create_activity(
            client, tenant.headers, await an_account(client, tenant), ownerId=member["X-User-Id"]
        )
        path = f"{ACTIVITIES}/{created['id']}"
        response = await client.patch(path, json={"ownerId": None}, headers=tenant.headers)
        assert response.json()["ownerId"] == tenant.user_id


class TestCompletedAt:
    async def test_created_completed_it_is_stamped(self, client, tenant):
        created = await create_activity(
            client, tenant.headers, await an_account(client, tenant), status="COMPLETED"
        )
        assert created["completedAt"] is not None

    async def test_set_when_completed_kept_while_completed_cleared_when_it_leaves(
        self, client, tenant
    ):
        created = await create_activity(client, tenant.headers, await an_account(client, tenant))
        path = f"{ACTIVITIES}/{created['id']}"
        done = (
            await client.patch(path, json={"status": "COMPLETED"}, headers=tenant.headers)
        ).json()
        assert done["completedAt"] is not None
        again = (
            await client.patch(
                path, json={"status": "COMPLETED", "title": "t"}, headers=tenant.headers
            )
        ).json()
        assert again["completedAt"] == done["completedAt"]
        reopened = (
            await client.patch(path, json={"status": "PENDING"}, headers=tenant.headers)
        ).json()
        assert reopened["completedAt"] is None


class TestOwnersMayChange:
    async def test_a_member_changes_what_it_owns_but_did_not_create(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await create_activity(
            client, tenant.headers, await an_account(client, tenant), ownerId=member["X-User-Id"]
        )
        path = f"{ACTIVITIES}/{created['id']}"
        response = await client.patch(path, json={"title": "mine now"}, headers=member)
        assert response.status_code == 200, response.text
        assert response.json()["title"] == "mine now"

    async def test_a_member_that_neither_created_nor_owns_it_is_refused(self, client, tenant):
        member = await tenant.member("MEMBER")
        created = await create_activity(client, tenant.headers, await an_account(client, tenant))
        path = f"{ACTIVITIES}/{created['id']}"
        assert_problem(await client.patch(path, json={"title": "no"}, headers=member), 403)
        assert_problem(await client.delete(path, headers=member), 403)
        assert await read(client, tenant.headers, created["id"]) == created

    async def test_filter_by_owner_me(self, client, tenant):
        member = await tenant.member("MEMBER")
        account_id = await an_account(client, tenant)
        mine = await create_activity(
            client, tenant.headers, account_id, ownerId=member["X-User-Id"]
        )
        await create_activity(client, tenant.headers, account_id)
        response = await client.get(ACTIVITIES, params={"ownerId": "me"}, headers=member)
        assert [row["id"] for row in response.json()["data"]] == [mine["id"]]
        by_id = await client.get(
            ACTIVITIES, params={"ownerId": member["X-User-Id"]}, headers=tenant.headers
        )
        assert [row["id"] for row in by_id.json()["data"]] == [mine["id"]]

    @pytest.mark.parametrize("value", ["you", "", "0", "-1", "99999999999999999999"])
    async def test_a_bad_owner_filter_is_a_422(self, client, tenant, value):
        response = await client.get(ACTIVITIES, params={"ownerId": value}, headers=tenant.headers)
        assert_problem(response, 422, "ownerId")

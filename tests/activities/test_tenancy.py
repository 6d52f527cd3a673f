"""Tenancy: another organization's activities are never seen, changed or named."""

import pytest

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import (
    activity_body,
    assert_problem,
    create_account,
    create_activity,
    create_contact,
)


async def foreign_activity(client, other_tenant, **overrides):
    account = await create_account(client, other_tenant.headers)
    return await create_activity(client, other_tenant.headers, account["id"], **overrides)


def every_verb(activity, reference):
    path = f"{ACTIVITIES}/{reference}"
    return [
        ("GET", path, None),
        ("PATCH", path, {"title": "hijacked"}),
        ("PATCH", path, {}),
        ("PUT", path, activity_body(activity["accountId"], title="hijacked")),
        ("DELETE", path, None),
        ("POST", f"{path}/restore", None),
    ]


class TestForeignActivities:
    @pytest.mark.parametrize("by", ["id", "uid"])
    async def test_another_organizations_activity_is_404_to_every_verb(
        self, client, tenant, other_tenant, by
    ):
        foreign = await foreign_activity(client, other_tenant)
        for method, path, body in every_verb(foreign, foreign[by]):
            response = await client.request(method, path, json=body, headers=tenant.headers)
            problem = assert_problem(response, 404)
            assert "errors" not in problem
        assert await stored(client, other_tenant) == [foreign]

    async def test_a_foreign_404_is_the_same_as_a_missing_ones(self, client, tenant, other_tenant):
        foreign = await foreign_activity(client, other_tenant)
        own = await create_activity(
            client, tenant.headers, (await create_account(client, tenant.headers))["id"]
        )
        # A missing id of the same shape: one past the highest id either organization holds.
        missing_id = str(max(int(foreign["id"]), int(own["id"])) + 1000)
        for method, path, body in every_verb(foreign, foreign["id"]):
            seen = await client.request(method, path, json=body, headers=tenant.headers)
            missing_path = path.replace(foreign["id"], missing_id)
            missing = await client.request(method, missing_path, json=body, headers=tenant.headers)
            assert seen.status_code == missing.status_code == 404
            assert {**seen.json(), "detail": "", "instance": ""} == {
                **missing.json(),
                "detail": "",
                "instance": "",
            }

    async def test_a_foreign_deleted_activity_stays_deleted(self, client, tenant, other_tenant):
        foreign = await foreign_activity(client, other_tenant)
        path = f"{ACTIVITIES}/{foreign['id']}"
        assert (await client.delete(path, headers=other_tenant.headers)).status_code == 204
        assert_problem(await client.post(f"{path}/restore", headers=tenant.headers), 404)
        response = await client.get(path, params={"includeDeleted": "true"}, headers=tenant.headers)
        assert_problem(response, 404)
        (still_deleted,) = await stored(client, other_tenant)
        assert still_deleted["isActive"] is False


class TestListsStayWithinTheOrganization:
    async def test_each_organization_lists_only_its_own(self, client, tenant, other_tenant):
        mine = await create_activity(
            client, tenant.headers, (await create_account(client, tenant.headers))["id"]
        )
        theirs = await foreign_activity(client, other_tenant)
        assert [row["id"] for row in await stored(client, tenant)] == [mine["id"]]
        assert [row["id"] for row in await stored(client, other_tenant)] == [theirs["id"]]

    async def test_include_deleted_shows_no_foreign_rows(self, client, tenant, other_tenant):
        theirs = await foreign_activity(client, other_tenant)
        await client.delete(f"{ACTIVITIES}/{theirs['id']}", headers=other_tenant.headers)
        await foreign_activity(client, other_tenant)
        assert await stored(client, tenant) == []

    async def test_filters_naming_foreign_ids_find_nothing(self, client, tenant, other_tenant):
        their_account = await create_account(client, other_tenant.headers)
        their_contact = await create_contact(client, other_tenant.headers, their_account["id"])
        theirs = await create_activity(
            client,
            other_tenant.headers,
            their_account["id"],
            participants=[{"contactId": their_contact["id"]}],
        )
        await create_activity(
            client, tenant.headers, (await create_account(client, tenant.headers))["id"]
        )
        for query in (
            {"accountId": theirs["accountId"]},
            {"createdBy": other_tenant.user_id},
            {"contactId": their_contact["id"]},
        ):
            response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
            assert response.status_code == 200
            assert response.json() == {"data": [], "nextCursor": None}

    async def test_a_foreign_accounts_timeline_is_404(self, client, tenant, other_tenant):
        theirs = await foreign_activity(client, other_tenant)
        path = f"/v1/accounts/{theirs['accountId']}/activities"
        assert_problem(await client.get(path, headers=tenant.headers), 404)
        assert (await client.get(path, headers=other_tenant.headers)).status_code == 200

    async def test_a_foreign_cursor_reads_only_own_rows(self, client, tenant, other_tenant):
        # Theirs happen in March, ours in February: after their first row (newest first) come
        # their other two and all of ours, unless the list is scoped to the caller.
        for day in (3, 2, 1):
            await foreign_activity(
                client, other_tenant, activityTimestamp=f"2026-03-0{day}T09:00:00Z"
            )
        account = await create_account(client, tenant.headers)
        ours = [
            await create_activity(
                client, tenant.headers, account["id"], activityTimestamp=f"2026-02-0{day}T09:00:00Z"
            )
            for day in (3, 2, 1)
        ]
        page = await client.get(ACTIVITIES, params={"limit": 1}, headers=other_tenant.headers)
        cursor = page.json()["nextCursor"]
        response = await client.get(
            ACTIVITIES, params={"cursor": cursor, "limit": 10}, headers=tenant.headers
        )
        # A cursor holds a position only: in another organization it reads that one's rows.
        assert response.status_code == 200, response.text
        assert [row["id"] for row in response.json()["data"]] == [row["id"] for row in ours]


class TestForeignReferencesInBodies:
    async def test_a_foreign_account_cannot_receive_an_activity(self, client, tenant, other_tenant):
        foreign_account = await create_account(client, other_tenant.headers)
        own = await create_activity(
            client, tenant.headers, (await create_account(client, tenant.headers))["id"]
        )
        path = f"{ACTIVITIES}/{own['id']}"
        for method, body in (
            ("POST", activity_body(foreign_account["id"])),
            ("PUT", activity_body(foreign_account["id"])),
            ("PATCH", {"accountId": foreign_account["id"]}),
        ):
            url = ACTIVITIES if method == "POST" else path
            response = await client.request(method, url, json=body, headers=tenant.headers)
            assert_problem(response, 422, "accountId")
        assert await stored(client, tenant) == [own]
        assert await read(client, tenant.headers, own["id"]) == own
        assert await stored(client, other_tenant) == []

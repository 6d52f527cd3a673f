"""Tags on activities: their rules, the `tag` filter, and GET /v1/tags."""

import pytest

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import assert_problem, create_account, create_activity, list_all

TAGS = "/v1/tags"


async def tagged(client, tenant, account_id, *tags, **overrides):
    return await create_activity(client, tenant.headers, account_id, tags=list(tags), **overrides)


async def listed(client, headers, **params):
    return [row["id"] for row in await list_all(client, ACTIVITIES, headers, **params)]


class TestRefusedTags:
    @pytest.mark.parametrize(
        ("tags", "field"),
        [
            ([""], "tags[0]"),
            (["   "], "tags[0]"),
            (["x" * 51], "tags[0]"),
            (["ok", "a\tb"], "tags[1]"),
            (["a\u0085b"], "tags[0]"),
            (["a,b"], "tags[0]"),
            (["bell\u0007"], "tags[0]"),
            ([f"tag{n}" for n in range(21)], "tags"),
            ([7], "tags[0]"),
            ("sales", "tags"),
            ({"a": 1}, "tags"),
        ],
    )
    async def test_a_bad_tag_is_a_422_naming_it_and_nothing_is_stored(
        self, client, tenant, tags, field
    ):
        account = await create_account(client, tenant.headers)
        body = {
            "accountId": account["id"],
            "activityTimestamp": "2026-03-02T09:30:00Z",
            "duration": 30,
            "location": "Zoom",
            "tags": tags,
        }
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        problem = assert_problem(response, 422)
        assert [error["field"] for error in problem["errors"]] == [field]
        assert await stored(client, tenant) == []

    async def test_twenty_one_tags_by_a_patch_are_refused_and_the_old_ones_stay(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        activity = await tagged(client, tenant, account["id"], "kept")
        path = f"{ACTIVITIES}/{activity['id']}"
        response = await client.patch(
            path, json={"tags": [f"t{n}" for n in range(21)]}, headers=tenant.headers
        )
        assert_problem(response, 422, "tags")
        assert (await read(client, tenant.headers, activity["id"]))["tags"] == ["kept"]


class TestStoredTags:
    async def test_tags_are_trimmed_lower_case_each_once_in_the_order_first_given(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        activity = await tagged(client, tenant, account["id"], " Renewal ", "VIP", "renewal", "vip")
        assert activity["tags"] == ["renewal", "vip"]
        assert (await read(client, tenant.headers, activity["id"]))["tags"] == ["renewal", "vip"]

    async def test_twenty_distinct_after_duplicates_are_removed_are_accepted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        given = [f"tag{n}" for n in range(20)] + [f"TAG{n}" for n in range(5)]
        activity = await tagged(client, tenant, account["id"], *given)
        assert activity["tags"] == [f"tag{n}" for n in range(20)]

    async def test_fifty_characters_after_trimming_are_accepted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await tagged(client, tenant, account["id"], "  " + "é" * 50 + "  ")
        assert activity["tags"] == ["é" * 50]

    async def test_no_tags_by_default_and_null_in_a_patch_clears_them(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        assert activity["tags"] == []
        tagged_one = await tagged(client, tenant, account["id"], "a")
        path = f"{ACTIVITIES}/{tagged_one['id']}"
        response = await client.patch(path, json={"tags": None}, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert response.json()["tags"] == []

    async def test_a_tag_change_is_in_the_history(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await tagged(client, tenant, account["id"], "a")
        path = f"{ACTIVITIES}/{activity['id']}"
        await client.patch(path, json={"tags": ["a", "B"]}, headers=tenant.headers)
        response = await client.get(f"{path}/history", headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert response.json()["data"][0]["changes"] == {"tags": {"old": ["a"], "new": ["a", "b"]}}


class TestTagFilter:
    async def test_any_of_the_tags_matches_ignoring_case(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        renewal = await tagged(client, tenant, account, "renewal")
        vip = await tagged(client, tenant, account, "vip", "other")
        await tagged(client, tenant, account, "churn")
        await create_activity(client, tenant.headers, account)
        found = await listed(client, tenant.headers, tag="RENEWAL,Vip")
        assert sorted(found) == sorted([renewal["id"], vip["id"]])
        assert await listed(client, tenant.headers, tag="renew") == []

    async def test_the_filter_combines_with_the_others_and_the_timeline(self, client, tenant):
        first = (await create_account(client, tenant.headers))["id"]
        second = (await create_account(client, tenant.headers))["id"]
        call = await tagged(client, tenant, first, "vip", type="CALL")
        await tagged(client, tenant, first, "vip", type="EMAIL")
        await tagged(client, tenant, second, "vip", type="CALL")
        assert await listed(client, tenant.headers, tag="vip", type="CALL", accountId=first) == [
            call["id"]
        ]
        timeline = await list_all(
            client, f"/v1/accounts/{first}/activities", tenant.headers, tag="vip", type="CALL"
        )
        assert [row["id"] for row in timeline] == [call["id"]]

    @pytest.mark.parametrize("value", ["", "a,,b", "x" * 51, "a\u0007"])
    async def test_a_bad_tag_filter_is_a_422(self, client, tenant, value):
        response = await client.get(ACTIVITIES, params={"tag": value}, headers=tenant.headers)
        assert_problem(response, 422, "tag")

    async def test_another_organizations_tags_find_nothing(self, client, tenant, other_tenant):
        account = (await create_account(client, other_tenant.headers))["id"]
        await tagged(client, other_tenant, account, "secret-deal")
        assert await listed(client, tenant.headers, tag="secret-deal") == []


class TestTagList:
    async def test_tags_in_use_most_used_first_then_by_name(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await tagged(client, tenant, account, "b", "a")
        await tagged(client, tenant, account, "c", "a")
        await tagged(client, tenant, account, "a")
        response = await client.get(TAGS, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "data": [
                {"tag": "a", "count": 3},
                {"tag": "b", "count": 1},
                {"tag": "c", "count": 1},
            ]
        }

    async def test_prefix_ignores_case_and_wildcards_are_literal(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await tagged(client, tenant, account, "renewal", "rent", "re_x", "ref%")
        response = await client.get(TAGS, params={"prefix": "REN"}, headers=tenant.headers)
        assert [row["tag"] for row in response.json()["data"]] == ["renewal", "rent"]
        response = await client.get(TAGS, params={"prefix": "re_"}, headers=tenant.headers)
        assert [row["tag"] for row in response.json()["data"]] == ["re_x"]
        response = await client.get(TAGS, params={"prefix": "ref%"}, headers=tenant.headers)
        assert [row["tag"] for row in response.json()["data"]] == ["ref%"]

    async def test_deleted_activities_do_not_count_until_restored(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        activity = await tagged(client, tenant, account, "gone")
        path = f"{ACTIVITIES}/{activity['id']}"
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        assert (await client.get(TAGS, headers=tenant.headers)).json()["data"] == []
        assert (await client.post(f"{path}/restore", headers=tenant.headers)).status_code == 200
        assert (await client.get(TAGS, headers=tenant.headers)).json()["data"] == [
            {"tag": "gone", "count": 1}
        ]

    async def test_private_activities_count_only_for_who_may_see_them(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await tagged(client, tenant, account, "hush", visibility="PRIVATE")
        member = await tenant.member("MEMBER")
        assert (await client.get(TAGS, headers=member)).json()["data"] == []
        admin = await tenant.member("ADMIN")
        assert (await client.get(TAGS, headers=admin)).json()["data"] == [
            {"tag": "hush", "count": 1}
        ]

    async def test_another_organizations_tags_are_not_listed(self, client, tenant, other_tenant):
        account = (await create_account(client, other_tenant.headers))["id"]
        await tagged(client, other_tenant, account, "theirs")
        assert (await client.get(TAGS, headers=tenant.headers)).json()["data"] == []

    async def test_limit_keeps_the_most_used(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await tagged(client, tenant, account, "x", "y")
        await tagged(client, tenant, account, "y")
        response = await client.get(TAGS, params={"limit": 1}, headers=tenant.headers)
        assert response.json()["data"] == [{"tag": "y", "count": 2}]

    @pytest.mark.parametrize(
        ("name", "value"), [("prefix", ""), ("prefix", "x" * 51), ("limit", "0"), ("limit", "201")]
    )
    async def test_a_bad_parameter_is_a_422_naming_it(self, client, tenant, name, value):
        response = await client.get(TAGS, params={name: value}, headers=tenant.headers)
        assert_problem(response, 422, name)

"""GET /v1/activities/stats: the list's activities, counted and summed in groups.

The figures must be exactly those of the activities GET /v1/activities would list for the same
caller and filters: the same privacy, tenancy and deleted rows."""

import pytest

from tests.activities.test_privacy import private_setup
from tests.analysis.helpers import STATS, keyed, stats
from tests.factories import (
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)

ACTIVITIES = "/v1/activities"


class TestRefused:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("groupBy", "colour"),
            ("groupBy", ""),
            ("groupBy", "Type"),
            ("groupBy", "type,"),
            ("groupBy", "type, status"),
            ("groupBy", "type,type"),
            ("groupBy", "day,type,day"),
            ("groupBy", "type,status,day,week"),
            ("tz", "Mars/Olympus"),
            ("tz", ""),
            ("tz", "x" * 65),
            ("tz", " UTC"),
            ("tz", "../../etc/passwd"),
            ("type", "PHONE"),
            ("status", "DONE"),
            ("from", "yesterday"),
            ("to", "2026-01-01T00:00:00"),
            ("accountId", "abc"),
            ("accountId", "0"),
            ("ownerId", "you"),
            ("createdBy", "-1"),
            ("isActive", "yes"),
            ("tag", ""),
            ("q", ""),
        ],
    )
    async def test_a_bad_parameter_is_a_422_naming_it(self, client, tenant, name, value):
        params = {"groupBy": "type", name: value}
        response = await client.get(STATS, params=params, headers=tenant.headers)
        assert_problem(response, 422, name)

    async def test_group_by_is_required(self, client, tenant):
        response = await client.get(STATS, headers=tenant.headers)
        assert_problem(response, 422, "groupBy")

    @pytest.mark.parametrize("name", ["limit", "cursor", "sort", "format", "colour"])
    async def test_paging_order_and_unknown_parameters_are_refused(self, client, tenant, name):
        params = {"groupBy": "type", name: "1"}
        response = await client.get(STATS, params=params, headers=tenant.headers)
        assert_problem(response, 422, name)

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_for_managers_only(self, client, tenant, role):
        headers = await tenant.member(role)
        params = {"groupBy": "type", "includeDeleted": "true"}
        assert_problem(await client.get(STATS, params=params, headers=headers), 403)

    async def test_credentials_are_required(self, client, tenant):
        headers = {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}
        response = await client.get(STATS, params={"groupBy": "type"}, headers=headers)
        assert_problem(response, 401)


class TestFigures:
    async def test_count_sum_and_average_per_group(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        for kind, duration in [("CALL", 10), ("CALL", 10), ("CALL", 11), ("EMAIL", 5)]:
            await create_activity(client, tenant.headers, account, type=kind, duration=duration)
        body = await stats(client, tenant.headers, groupBy="type")
        assert body["data"] == [
            {"key": {"type": "CALL"}, "count": 3, "totalDuration": 31, "averageDuration": 10.33},
            {"key": {"type": "EMAIL"}, "count": 1, "totalDuration": 5, "averageDuration": 5.0},
        ]
        assert body["total"] == {"count": 4, "totalDuration": 36, "averageDuration": 9.0}

    async def test_an_average_half_way_rounds_up(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        for duration in [1, 0, 0, 0, 0, 0, 0, 0]:
            await create_activity(client, tenant.headers, account, duration=duration)
        body = await stats(client, tenant.headers, groupBy="status")
        assert body["data"][0]["averageDuration"] == 0.13

    async def test_nothing_matching_is_no_group_and_zero_totals(self, client, tenant):
        body = await stats(client, tenant.headers, groupBy="type,day")
        assert body == {
            "data": [],
            "total": {"count": 0, "totalDuration": 0, "averageDuration": None},
        }

    async def test_category_follows_the_type(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        for kind in ["CALL", "EMAIL", "MEETING", "CHAT", "SITE_VISIT", "REVIEW", "TRAINING"]:
            await create_activity(client, tenant.headers, account, type=kind)
        body = await stats(client, tenant.headers, groupBy="category")
        assert keyed(body) == [({"category": "BUSINESS"}, 3), ({"category": "COMMUNICATION"}, 4)]
        listed = await list_all(client, ACTIVITIES, tenant.headers, limit=200)
        by_category = {}
        for row in listed:
            by_category[row["category"]] = by_category.get(row["category"], 0) + 1
        assert by_category == {"BUSINESS": 3, "COMMUNICATION": 4}

    async def test_several_keys_sort_by_the_first_then_the_next(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        for kind, status in [
            ("EMAIL", "PENDING"),
            ("CALL", "PENDING"),
            ("CALL", "COMPLETED"),
            ("TRAINING", "CANCELLED"),
            ("CALL", "PENDING"),
        ]:
            await create_activity(client, tenant.headers, account, type=kind, status=status)
        body = await stats(client, tenant.headers, groupBy="status,type")
        assert keyed(body) == [
            ({"status": "CANCELLED", "type": "TRAINING"}, 1),
            ({"status": "COMPLETED", "type": "CALL"}, 1),
            ({"status": "PENDING", "type": "CALL"}, 2),
            ({"status": "PENDING", "type": "EMAIL"}, 1),
        ]

    async def test_ids_are_strings_sorted_as_strings(self, client, tenant):
        member = await tenant.member("MEMBER")
        accounts = [(await create_account(client, tenant.headers))["id"] for _ in range(3)]
        for account in accounts:
            await create_activity(client, tenant.headers, account, ownerId=member["X-User-Id"])
        await create_activity(client, member, accounts[0])
        body = await stats(client, tenant.headers, groupBy="accountId,ownerId,createdBy")
        keys = [group["key"] for group in body["data"]]
        assert all(isinstance(value, str) for key in keys for value in key.values())
        assert {key["accountId"] for key in keys} == set(accounts)
        assert {key["ownerId"] for key in keys} == {member["X-User-Id"]}
        assert {key["createdBy"] for key in keys} == {tenant.user_id, member["X-User-Id"]}
        as_tuples = [(k["accountId"], k["ownerId"], k["createdBy"]) for k in keys]
        assert as_tuples == sorted(as_tuples)

    async def test_tags_count_each_activity_once_per_tag_and_untagged_last(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account, tags=["Renewal", "q4"], duration=10)
        await create_activity(client, tenant.headers, account, tags=["renewal"], duration=20)
        await create_activity(client, tenant.headers, account, duration=40)
        body = await stats(client, tenant.headers, groupBy="tag")
        assert [(g["key"], g["count"], g["totalDuration"]) for g in body["data"]] == [
            ({"tag": "q4"}, 1, 10),
            ({"tag": "renewal"}, 2, 30),
            ({"tag": None}, 1, 40),
        ]
        assert body["total"] == {"count": 3, "totalDuration": 70, "averageDuration": 23.33}

    async def test_tags_sort_by_code_point_on_both_engines(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        tags = ["b", "a-b", "ab", "a b", "éa", "zz", "a_b", "10", "9"]
        await create_activity(client, tenant.headers, account, tags=tags)
        body = await stats(client, tenant.headers, groupBy="tag")
        assert [group["key"]["tag"] for group in body["data"]] == sorted(tags)


class TestTheListsFilters:
    @pytest.fixture
    async def world(self, client, tenant):
        """Two accounts, a contact, a member; activities of several kinds, one deleted."""
        member = await tenant.member("MEMBER")
        first = (await create_account(client, tenant.headers))["id"]
        second = (await create_account(client, tenant.headers))["id"]
        contact = (await create_contact(client, tenant.headers, first))["id"]
        owner = tenant.headers
        for account, overrides in [
            (first, {"type": "EMAIL", "tags": ["renewal"], "title": "Quarterly review"}),
            (first, {"participants": [{"contactId": contact}], "status": "COMPLETED"}),
            (first, {"activityTimestamp": "2026-05-01T10:00:00Z", "ownerId": member["X-User-Id"]}),
            (second, {"type": "MEETING", "tags": ["demo", "renewal"]}),
            (second, {"activityTimestamp": "2025-12-31T23:59:59Z", "visibility": "PRIVATE"}),
        ]:
            await create_activity(client, owner, account, **overrides)
        await create_activity(client, member, second, title="by the member")
        gone = await create_activity(client, owner, second, type="REVIEW")
        await client.delete(f"{ACTIVITIES}/{gone['id']}", headers=owner)
        return {"first": first, "second": second, "contact": contact, "member": member}

    @pytest.mark.parametrize(
        "filters",
        [
            {},
            {"type": "EMAIL,MEETING"},
            {"status": "COMPLETED"},
            {"from": "2026-04-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"},
            {"tag": "RENEWAL"},
            {"q": "quarter"},
            {"ownerId": "me"},
            {"visibility": "PRIVATE"},
            {"includeDeleted": "true"},
            {"isActive": "false", "includeDeleted": "true"},
            {"accountId": "first"},
            {"contactId": "contact"},
            {"createdBy": "member"},
        ],
    )
    async def test_it_counts_exactly_what_the_list_lists(self, client, tenant, world, filters):
        names = {"first": world["first"], "contact": world["contact"]}
        names["member"] = world["member"]["X-User-Id"]
        params = {name: names.get(value, value) for name, value in filters.items()}
        listed = await list_all(client, ACTIVITIES, tenant.headers, limit=200, **params)
        body = await stats(client, tenant.headers, groupBy="accountId", **params)
        assert body["total"]["count"] == len(listed)
        assert body["total"]["totalDuration"] == sum(row["duration"] for row in listed)
        expected = {}
        for row in listed:
            expected[row["accountId"]] = expected.get(row["accountId"], 0) + 1
        assert {group["key"]["accountId"]: group["count"] for group in body["data"]} == expected

    async def test_another_organizations_account_gives_nothing(
        self, client, tenant, other_tenant, world
    ):
        body = await stats(client, other_tenant.headers, groupBy="type", accountId=world["first"])
        assert body["data"] == []
        assert body["total"]["count"] == 0

    async def test_another_organizations_activities_are_never_counted(
        self, client, tenant, other_tenant, world
    ):
        other_account = (await create_account(client, other_tenant.headers))["id"]
        await create_activity(client, other_tenant.headers, other_account)
        body = await stats(client, other_tenant.headers, groupBy="accountId")
        assert keyed(body) == [({"accountId": other_account}, 1)]


class TestPrivateActivities:
    @pytest.mark.parametrize("who", ["creator", "owner", "participant", "ADMIN", "OWNER"])
    async def test_they_count_for_those_who_may_see_them(self, client, tenant, who):
        activity, account, people = await private_setup(client, tenant)
        headers = people.get(who) or (
            tenant.headers if who == "OWNER" else await tenant.member(who)
        )
        body = await stats(client, headers, groupBy="tag,accountId")
        tag = activity["tags"][0]
        assert keyed(body) == [({"tag": tag, "accountId": account["id"]}, 1)]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_they_are_not_counted_for_anyone_else(self, client, tenant, role):
        activity, account, _ = await private_setup(client, tenant)
        await create_activity(client, tenant.headers, account["id"], tags=["public"])
        outsider = await tenant.member(role)
        for group_by in ["tag", "accountId", "ownerId", "createdBy", "type,day"]:
            body = await stats(client, outsider, groupBy=group_by)
            assert body["total"]["count"] == 1, group_by
            assert activity["tags"][0] not in str(body)

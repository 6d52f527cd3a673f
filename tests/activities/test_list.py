"""GET /v1/activities and an account's timeline: filters, sort orders and cursor paging."""

import base64

import pytest

from tests.activities.helpers import ACTIVITIES, parse_utc
from tests.factories import (
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)

SORTS = ["-activityTimestamp", "activityTimestamp", "-createdAt", "createdAt"]


async def listed(client, headers, path=ACTIVITIES, **params):
    """The ids on the first page of a list (200 rows at most)."""
    response = await client.get(path, params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["nextCursor"] is None
    return [row["id"] for row in page["data"]]


def at(hour, minute=0):
    return f"2026-03-02T{hour:02d}:{minute:02d}:00Z"


class TestListFilters:
    async def test_an_empty_organization_lists_nothing(self, client, tenant):
        response = await client.get(ACTIVITIES, headers=tenant.headers)
        assert response.status_code == 200
        assert response.json() == {"data": [], "nextCursor": None}

    async def test_account_id_keeps_that_accounts_activities(self, client, tenant):
        first = await create_account(client, tenant.headers)
        second = await create_account(client, tenant.headers)
        mine = await create_activity(client, tenant.headers, first["id"])
        await create_activity(client, tenant.headers, second["id"])
        assert await listed(client, tenant.headers, accountId=first["id"]) == [mine["id"]]

    async def test_contact_id_keeps_activities_with_that_participant(self, client, tenant):
        account = await create_account(client, tenant.headers)
        seven = await create_contact(client, tenant.headers, account["id"])
        eight = await create_contact(client, tenant.headers, account["id"])
        with_seven = await create_activity(
            client,
            tenant.headers,
            account["id"],
            participants=[{"email": "a@example.com"}, {"contactId": seven["id"], "name": "Seven"}],
        )
        await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": eight["id"]}]
        )
        # A member whose user id equals the contact's id is another person.
        await create_activity(
            client, tenant.headers, account["id"], participants=[{"userId": tenant.user_id}]
        )
        await create_activity(client, tenant.headers, account["id"])
        assert await listed(client, tenant.headers, contactId=seven["id"]) == [with_seven["id"]]
        assert await listed(client, tenant.headers, contactId="999999") == []

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ({"type": "EMAIL"}, {"EMAIL"}),
            ({"type": "EMAIL,TRAINING"}, {"EMAIL", "TRAINING"}),
            ({"type": ["EMAIL", "CALL"]}, {"EMAIL", "CALL"}),
            ({"status": "COMPLETED"}, {"COMPLETED"}),
            ({"status": "COMPLETED,CANCELLED"}, {"COMPLETED", "CANCELLED"}),
        ],
    )
    async def test_type_and_status_keep_one_or_a_set(self, client, tenant, query, expected):
        account = await create_account(client, tenant.headers)
        pairs = [("CALL", "PENDING"), ("EMAIL", "COMPLETED"), ("TRAINING", "CANCELLED")]
        for activity_type, status in pairs:
            await create_activity(
                client, tenant.headers, account["id"], type=activity_type, status=status
            )
        key = "type" if "type" in query else "status"
        rows = await list_all(client, ACTIVITIES, tenant.headers, **query)
        assert {row[key] for row in rows} == expected
        assert len(rows) == len(expected)

    @pytest.mark.parametrize(
        ("query", "expected_hours"),
        [
            ({"from": at(10)}, [11, 10]),
            ({"to": at(11)}, [10, 9]),
            ({"from": at(10), "to": at(11)}, [10]),
            ({"from": "2026-03-02T12:00:00+02:00"}, [11, 10]),
            ({"from": "2026-03-02T10:00:00.000001Z"}, [11]),
            ({"to": "2026-03-02T09:00:00Z"}, []),
            ({"from": at(11), "to": at(10)}, []),
        ],
    )
    async def test_from_is_inclusive_and_to_exclusive(self, client, tenant, query, expected_hours):
        account = await create_account(client, tenant.headers)
        by_hour = {}
        for hour in (9, 10, 11):
            created = await create_activity(
                client, tenant.headers, account["id"], activityTimestamp=at(hour)
            )
            by_hour[hour] = created["id"]
        expected = [by_hour[hour] for hour in expected_hours]
        assert await listed(client, tenant.headers, **query) == expected

    async def test_created_by_keeps_that_users_activities(self, client, tenant):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        theirs = await create_activity(client, member, account["id"])
        mine = await create_activity(client, tenant.headers, account["id"])
        assert await listed(client, tenant.headers, createdBy=member["X-User-Id"]) == [theirs["id"]]
        assert await listed(client, tenant.headers, createdBy=tenant.user_id) == [mine["id"]]

    async def test_is_active_keeps_activities_in_that_state(self, client, tenant):
        account = await create_account(client, tenant.headers)
        active = await create_activity(client, tenant.headers, account["id"])
        paused = await create_activity(client, tenant.headers, account["id"])
        response = await client.patch(
            f"{ACTIVITIES}/{paused['id']}", json={"isActive": False}, headers=tenant.headers
        )
        assert response.status_code == 200
        assert await listed(client, tenant.headers, isActive="false") == [paused["id"]]
        assert await listed(client, tenant.headers, isActive="true") == [active["id"]]

    @pytest.mark.parametrize("role", ["OWNER", "ADMIN"])
    async def test_include_deleted_shows_deleted_rows_to_managers(self, client, tenant, role):
        account = await create_account(client, tenant.headers)
        live = await create_activity(client, tenant.headers, account["id"], activityTimestamp=at(9))
        gone = await create_activity(client, tenant.headers, account["id"], activityTimestamp=at(8))
        await client.delete(f"{ACTIVITIES}/{gone['id']}", headers=tenant.headers)
        headers = tenant.headers if role == "OWNER" else await tenant.member(role)
        assert await listed(client, headers) == [live["id"]]
        assert await listed(client, headers, includeDeleted="true") == [live["id"], gone["id"]]
        assert await listed(client, headers, includeDeleted="true", isActive="false") == [
            gone["id"]
        ]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_403_below_admin(self, client, tenant, role):
        headers = await tenant.member(role)
        response = await client.get(ACTIVITIES, params={"includeDeleted": "true"}, headers=headers)
        assert_problem(response, 403)
        assert await listed(client, headers, includeDeleted="false") == []

    async def test_filters_combine(self, client, tenant):
        first = await create_account(client, tenant.headers)
        second = await create_account(client, tenant.headers)
        match = await create_activity(client, tenant.headers, first["id"], type="EMAIL")
        await create_activity(client, tenant.headers, first["id"], type="CALL")
        await create_activity(client, tenant.headers, second["id"], type="EMAIL")
        query = {"accountId": first["id"], "type": "EMAIL", "createdBy": tenant.user_id}
        assert await listed(client, tenant.headers, **query) == [match["id"]]


class TestListRefusals:
    @pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", "1.5", ""])
    async def test_a_limit_out_of_range_is_422(self, client, tenant, limit):
        response = await client.get(ACTIVITIES, params={"limit": limit}, headers=tenant.headers)
        assert_problem(response, 422, "limit")

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"sort": "title"}, "sort"),
            ({"sort": "-id"}, "sort"),
            ({"sort": "activitytimestamp"}, "sort"),
            ({"type": "call"}, "type"),
            ({"type": "CALL,NAP"}, "type"),
            # Exactly what the OpenAPI document says: values of the enum, comma-separated.
            ({"type": "EMAIL, TRAINING"}, "type"),
            ({"type": "EMAIL,,CALL"}, "type"),
            ({"type": ""}, "type"),
            ({"isActive": "1"}, "isActive"),
            ({"includeDeleted": "yes"}, "includeDeleted"),
            ({"status": "DONE"}, "status"),
            ({"from": "2026-03-02"}, "from"),
            ({"from": "2026-03-02T09:30:00"}, "from"),
            ({"to": "yesterday"}, "to"),
            ({"to": "2026-13-02T09:30:00Z"}, "to"),
            ({"accountId": "abc"}, "accountId"),
            ({"accountId": "9223372036854775808"}, "accountId"),
            ({"contactId": "0"}, "contactId"),
            ({"createdBy": "me"}, "createdBy"),
            ({"isActive": "maybe"}, "isActive"),
            ({"includeDeleted": "yes please"}, "includeDeleted"),
            ({"acountId": "1"}, "acountId"),
            ({"account_id": "1"}, "account_id"),
        ],
    )
    async def test_a_bad_query_parameter_is_422_naming_it(self, client, tenant, query, field):
        response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
        assert_problem(response, 422, field)

    async def test_every_bad_parameter_is_named_at_once(self, client, tenant):
        query = {"limit": "0", "sort": "x", "from": "now"}
        response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
        assert_problem(response, 422, "limit", "sort", "from")

    @pytest.mark.parametrize(
        "cursor", ["garbage", "a.b", "a.b.c", ".", "e30.AAAAAAAAAAAAAAAA", "é.ü", "x" * 3000]
    )
    async def test_a_cursor_the_service_did_not_issue_is_400(self, client, tenant, cursor):
        response = await client.get(ACTIVITIES, params={"cursor": cursor}, headers=tenant.headers)
        assert_problem(response, 400)

    async def test_a_tampered_cursor_is_400(self, client, tenant):
        cursor = await issued_cursor(client, tenant)
        body, signature = cursor.split(".")
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        forged = base64.urlsafe_b64encode(payload.replace(b"2026", b"2027")).decode().rstrip("=")
        for bad in (f"{forged}.{signature}", f"{body}.{signature[::-1]}", cursor[:-2]):
            response = await client.get(ACTIVITIES, params={"cursor": bad}, headers=tenant.headers)
            assert_problem(response, 400)

    async def test_a_cursor_of_another_sort_is_400(self, client, tenant):
        cursor = await issued_cursor(client, tenant)
        query = {"cursor": cursor, "sort": "createdAt", "limit": 1}
        response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
        assert_problem(response, 400)


async def issued_cursor(client, tenant):
    account = await create_account(client, tenant.headers)
    for _ in range(2):
        await create_activity(client, tenant.headers, account["id"])
    response = await client.get(ACTIVITIES, params={"limit": 1}, headers=tenant.headers)
    cursor = response.json()["nextCursor"]
    assert cursor
    return cursor


class TestListSortAndPaging:
    async def seed(self, client, tenant, count):
        """`count` activities created in an order unlike their activityTimestamp order."""
        account = await create_account(client, tenant.headers)
        made = []
        for index in range(count):
            hour, minute = 8 + (index * 7) % 5, index % 3  # repeats force the id tiebreak
            made.append(
                await create_activity(
                    client, tenant.headers, account["id"], activityTimestamp=at(hour, minute)
                )
            )
        return made

    @staticmethod
    def ordered(made, sort):
        key = "activityTimestamp" if "activityTimestamp" in sort else "createdAt"
        rows = sorted(made, key=lambda row: (parse_utc(row[key]), int(row["id"])))
        ids = [row["id"] for row in rows]
        return ids[::-1] if sort.startswith("-") else ids

    @pytest.mark.parametrize("sort", SORTS)
    async def test_each_sort_orders_by_its_key_then_id(self, client, tenant, sort):
        made = await self.seed(client, tenant, 9)
        assert await listed(client, tenant.headers, sort=sort) == self.ordered(made, sort)

    async def test_the_default_sort_is_newest_activity_first(self, client, tenant):
        made = await self.seed(client, tenant, 9)
        assert await listed(client, tenant.headers) == self.ordered(made, "-activityTimestamp")

    @pytest.mark.parametrize("sort", SORTS)
    async def test_paging_visits_every_row_once_in_order(self, client, tenant, sort):
        made = await self.seed(client, tenant, 25)
        seen, cursor, pages = [], None, 0
        while True:
            query = {"limit": 4, "sort": sort, **({"cursor": cursor} if cursor else {})}
            response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            pages += 1
            assert len(page["data"]) == (4 if pages < 7 else 1)
            seen.extend(row["id"] for row in page["data"])
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert pages == 7
        assert seen == self.ordered(made, sort)

    @pytest.mark.parametrize(("count", "limit"), [(8, 4), (1, 1), (3, 200)])
    async def test_the_last_page_has_no_next_cursor(self, client, tenant, count, limit):
        await self.seed(client, tenant, count)
        cursor, pages = None, []
        while True:
            query = {"limit": limit, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(ACTIVITIES, params=query, headers=tenant.headers)).json()
            pages.append(len(page["data"]))
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert sum(pages) == count
        assert pages[-1] > 0

    async def test_limit_bounds_1_and_200_are_accepted(self, client, tenant):
        await self.seed(client, tenant, 3)
        one = await client.get(ACTIVITIES, params={"limit": 1}, headers=tenant.headers)
        assert len(one.json()["data"]) == 1
        assert one.json()["nextCursor"]
        most = await client.get(ACTIVITIES, params={"limit": 200}, headers=tenant.headers)
        assert (len(most.json()["data"]), most.json()["nextCursor"]) == (3, None)

    async def test_the_default_page_holds_50(self, client, tenant):
        await self.seed(client, tenant, 51)
        page = (await client.get(ACTIVITIES, headers=tenant.headers)).json()
        assert len(page["data"]) == 50
        assert page["nextCursor"]


class TestAccountTimeline:
    async def test_the_timeline_lists_only_that_accounts_activities(self, client, tenant):
        account = await create_account(client, tenant.headers)
        other = await create_account(client, tenant.headers)
        late = await create_activity(
            client, tenant.headers, account["id"], activityTimestamp=at(11)
        )
        early = await create_activity(
            client, tenant.headers, account["id"], activityTimestamp=at(9)
        )
        await create_activity(client, tenant.headers, other["id"])
        for reference in (account["id"], account["uid"], account["uid"].lower()):
            path = f"/v1/accounts/{reference}/activities"
            assert await listed(client, tenant.headers, path) == [late["id"], early["id"]]

    async def test_the_timeline_takes_the_lists_filters_and_paging(self, client, tenant):
        account = await create_account(client, tenant.headers)
        for activity_type in ("CALL", "EMAIL", "EMAIL", "EMAIL"):
            await create_activity(client, tenant.headers, account["id"], type=activity_type)
        path = f"/v1/accounts/{account['id']}/activities"
        rows = await list_all(client, path, tenant.headers, type="EMAIL", limit=2)
        assert [row["type"] for row in rows] == ["EMAIL"] * 3
        response = await client.get(path, params={"limit": 0}, headers=tenant.headers)
        assert_problem(response, 422, "limit")

    async def test_an_account_without_activities_has_an_empty_timeline(self, client, tenant):
        account = await create_account(client, tenant.headers)
        path = f"/v1/accounts/{account['id']}/activities"
        assert await listed(client, tenant.headers, path) == []

    @pytest.mark.parametrize(
        "reference", ["9223372036854775807", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "x"]
    )
    async def test_an_unknown_account_is_404(self, client, tenant, reference):
        response = await client.get(f"/v1/accounts/{reference}/activities", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_another_organizations_account_is_404(self, client, tenant, other_tenant):
        foreign = await create_account(client, other_tenant.headers)
        await create_activity(client, other_tenant.headers, foreign["id"])
        for reference in (foreign["id"], foreign["uid"]):
            path = f"/v1/accounts/{reference}/activities"
            assert_problem(await client.get(path, headers=tenant.headers), 404)

    async def test_a_deleted_account_is_404(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await create_activity(client, tenant.headers, account["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}", params={"cascade": "true"}, headers=tenant.headers
        )
        assert response.status_code == 204
        path = f"/v1/accounts/{account['id']}/activities"
        assert_problem(await client.get(path, headers=tenant.headers), 404)

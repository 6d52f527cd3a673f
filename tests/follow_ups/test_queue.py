"""GET /v1/follow-ups: PENDING activities the caller can see, oldest first, in a window."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import assert_problem, create_account, create_activity, list_all

FOLLOW_UPS = "/v1/follow-ups"


def stamp(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


async def ids(client, headers, **params):
    return [row["id"] for row in await list_all(client, FOLLOW_UPS, headers, **params)]


class TestRefused:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("tz", "Mars/Olympus"),
            ("tz", ""),
            ("tz", "x" * 65),
            ("tz", "../../etc/passwd"),
            ("when", "yesterday"),
            ("ownerId", "you"),
            ("limit", "0"),
            ("limit", "201"),
            ("cursor", ""),
        ],
    )
    async def test_a_bad_parameter_is_a_422_naming_it(self, client, tenant, name, value):
        response = await client.get(FOLLOW_UPS, params={name: value}, headers=tenant.headers)
        assert_problem(response, 422, name)

    async def test_an_unknown_parameter_is_refused(self, client, tenant):
        response = await client.get(
            FOLLOW_UPS, params={"status": "PENDING"}, headers=tenant.headers
        )
        assert response.status_code in (400, 422)


async def at(client, tenant, account, instant, **overrides):
    created = await create_activity(
        client, tenant.headers, account, activityTimestamp=stamp(instant), **overrides
    )
    return created["id"]


class TestWindows:
    async def test_overdue_is_before_now_and_upcoming_from_now_on(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        now = datetime.now(UTC)
        past = await at(client, tenant, account, now - timedelta(days=30))
        older = await at(client, tenant, account, now - timedelta(days=40))
        future = await at(client, tenant, account, now + timedelta(days=30))
        for status in ("COMPLETED", "CANCELLED"):
            await at(client, tenant, account, now - timedelta(days=2), status=status)
            await at(client, tenant, account, now + timedelta(days=2), status=status)
        assert await ids(client, tenant.headers, when="overdue") == [older, past]
        assert await ids(client, tenant.headers, when="upcoming") == [future]
        assert await ids(client, tenant.headers, when="all") == [older, past, future]
        assert await ids(client, tenant.headers) == [older, past, future]

    @pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "America/New_York", "UTC"])
    async def test_today_is_the_current_day_in_the_zone(self, client, tenant, zone):
        account = (await create_account(client, tenant.headers))["id"]
        local_now = datetime.now(UTC).astimezone(ZoneInfo(zone))
        start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
        end = (start + timedelta(days=1, hours=2)).replace(hour=0)
        first = await at(client, tenant, account, start)
        last = await at(client, tenant, account, end - timedelta(seconds=1))
        await at(client, tenant, account, start - timedelta(seconds=1))
        await at(client, tenant, account, end)
        assert await ids(client, tenant.headers, when="today", tz=zone) == [first, last]

    async def test_today_is_in_utc_by_default(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        now = datetime.now(UTC)
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = await at(client, tenant, account, midnight)
        await at(client, tenant, account, midnight - timedelta(microseconds=1))
        assert await ids(client, tenant.headers, when="today") == [today]

    async def test_oldest_first_over_several_pages(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        base = datetime(2026, 1, 1, tzinfo=UTC)
        created = [
            (
                await create_activity(
                    client,
                    tenant.headers,
                    account,
                    activityTimestamp=stamp(base + timedelta(hours=h)),
                )
            )["id"]
            for h in (5, 1, 3, 2, 4)
        ]
        expected = [created[i] for i in (1, 3, 2, 4, 0)]
        assert await ids(client, tenant.headers, limit=2) == expected


class TestWhoseAndWhich:
    async def test_owner_me_and_by_id(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        member = await tenant.member("MEMBER")
        mine = await create_activity(client, tenant.headers, account, ownerId=member["X-User-Id"])
        await create_activity(client, tenant.headers, account)
        assert await ids(client, member, ownerId="me") == [mine["id"]]
        assert await ids(client, tenant.headers, ownerId=member["X-User-Id"]) == [mine["id"]]

    async def test_private_deleted_and_foreign_activities_stay_out(
        self, client, tenant, other_tenant
    ):
        account = (await create_account(client, tenant.headers))["id"]
        member = await tenant.member("MEMBER")
        private = await create_activity(client, tenant.headers, account, visibility="PRIVATE")
        gone = await create_activity(client, tenant.headers, account)
        await client.delete(f"/v1/activities/{gone['id']}", headers=tenant.headers)
        other_account = (await create_account(client, other_tenant.headers))["id"]
        await create_activity(client, other_tenant.headers, other_account)
        assert await ids(client, member) == []
        assert await ids(client, tenant.headers) == [private["id"]]

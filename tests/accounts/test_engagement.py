"""Accounts show their engagement: lastActivityAt, nextActivityAt and openActivities are right on
the very next request after any change to the account's activities; neglected accounts sort
first and can be filtered."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from tests.activities.helpers import ACTIVITIES
from tests.factories import assert_problem, create_account, create_activity, list_all

ACCOUNTS = "/v1/accounts"


def stamp(instant):
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


NOW = datetime.now(UTC)
PAST = NOW - timedelta(days=10)
LONG_AGO = NOW - timedelta(days=40)
SOON = NOW + timedelta(days=2)
LATER = NOW + timedelta(days=9)


async def figures(client, headers, account_id):
    response = await client.get(f"{ACCOUNTS}/{account_id}", headers=headers)
    assert response.status_code == 200, response.text
    account = response.json()
    return account["lastActivityAt"], account["nextActivityAt"], account["openActivities"]


async def new_account(client, tenant):
    return (await create_account(client, tenant.headers))["id"]


async def activity_at(client, tenant, account, instant, **overrides):
    return await create_activity(
        client, tenant.headers, account, activityTimestamp=stamp(instant), **overrides
    )


class TestFigures:
    async def test_a_new_account_has_none(self, client, tenant):
        created = await create_account(client, tenant.headers)
        assert (
            created["lastActivityAt"],
            created["nextActivityAt"],
            created["openActivities"],
        ) == (
            None,
            None,
            0,
        )

    async def test_create_counts_past_and_planned_activities(self, client, tenant):
        account = await new_account(client, tenant)
        await activity_at(client, tenant, account, LONG_AGO, status="COMPLETED")
        await activity_at(client, tenant, account, PAST, status="COMPLETED")
        await activity_at(client, tenant, account, LATER)
        await activity_at(client, tenant, account, SOON)
        await activity_at(client, tenant, account, NOW - timedelta(days=1))  # overdue, open
        assert await figures(client, tenant.headers, account) == (
            stamp(NOW - timedelta(days=1)),
            stamp(SOON),
            3,
        )

    async def test_cancelled_private_and_other_accounts_activities_do_not_count(
        self, client, tenant
    ):
        account = await new_account(client, tenant)
        other = await new_account(client, tenant)
        await activity_at(client, tenant, account, PAST, status="CANCELLED")
        await activity_at(client, tenant, account, SOON, status="CANCELLED")
        await activity_at(client, tenant, account, PAST, visibility="PRIVATE")
        await activity_at(client, tenant, account, SOON, visibility="PRIVATE")
        await activity_at(client, tenant, other, PAST)
        assert await figures(client, tenant.headers, account) == (None, None, 0)

    async def test_change_complete_delete_and_restore_move_the_figures(self, client, tenant):
        account = await new_account(client, tenant)
        planned = await activity_at(client, tenant, account, SOON)
        path = f"{ACTIVITIES}/{planned['id']}"
        assert await figures(client, tenant.headers, account) == (None, stamp(SOON), 1)
        await client.patch(path, json={"activityTimestamp": stamp(PAST)}, headers=tenant.headers)
        assert await figures(client, tenant.headers, account) == (stamp(PAST), None, 1)
        await client.post(f"{path}/complete", headers=tenant.headers)
        assert await figures(client, tenant.headers, account) == (stamp(PAST), None, 0)
        await client.delete(path, headers=tenant.headers)
        assert await figures(client, tenant.headers, account) == (None, None, 0)
        await client.post(f"{path}/restore", headers=tenant.headers)
        assert await figures(client, tenant.headers, account) == (stamp(PAST), None, 0)

    async def test_moving_an_activity_changes_both_accounts(self, client, tenant):
        first, second = await new_account(client, tenant), await new_account(client, tenant)
        planned = await activity_at(client, tenant, first, SOON)
        path = f"{ACTIVITIES}/{planned['id']}"
        await client.patch(path, json={"accountId": second}, headers=tenant.headers)
        assert await figures(client, tenant.headers, first) == (None, None, 0)
        assert await figures(client, tenant.headers, second) == (None, stamp(SOON), 1)

    async def test_a_follow_up_planned_on_completion_is_the_next(self, client, tenant):
        account = await new_account(client, tenant)
        done = await activity_at(client, tenant, account, PAST)
        body = {"followUp": {"activityTimestamp": stamp(LATER), "duration": 5, "location": "x"}}
        await client.post(f"{ACTIVITIES}/{done['id']}/complete", json=body, headers=tenant.headers)
        assert await figures(client, tenant.headers, account) == (stamp(PAST), stamp(LATER), 1)

    async def test_a_cascade_and_its_restore(self, client, tenant):
        account = await new_account(client, tenant)
        await activity_at(client, tenant, account, PAST)
        await activity_at(client, tenant, account, SOON)
        path = f"{ACCOUNTS}/{account}"
        assert (
            await client.delete(path, params={"cascade": "true"}, headers=tenant.headers)
        ).status_code == 204
        deleted = await client.get(path, params={"includeDeleted": "true"}, headers=tenant.headers)
        assert (deleted.json()["lastActivityAt"], deleted.json()["openActivities"]) == (None, 0)
        restored = (await client.post(f"{path}/restore", headers=tenant.headers)).json()
        assert (
            restored["lastActivityAt"],
            restored["nextActivityAt"],
            restored["openActivities"],
        ) == (
            stamp(PAST),
            stamp(SOON),
            2,
        )

    async def test_the_account_list_shows_the_same_figures(self, client, tenant):
        account = await new_account(client, tenant)
        await activity_at(client, tenant, account, PAST)
        rows = await list_all(client, ACCOUNTS, tenant.headers)
        listed = next(row for row in rows if row["id"] == account)
        assert (listed["lastActivityAt"], listed["openActivities"]) == (stamp(PAST), 1)

    async def test_time_passing_makes_a_planned_activity_the_last(self, client, tenant):
        account = await new_account(client, tenant)
        moment = datetime.now(UTC) + timedelta(seconds=1.5)
        await activity_at(client, tenant, account, moment, status="COMPLETED")
        await activity_at(client, tenant, account, moment + timedelta(days=1))
        assert await figures(client, tenant.headers, account) == (
            None,
            stamp(moment + timedelta(days=1)),
            1,
        )
        await asyncio.sleep(2)
        assert await figures(client, tenant.headers, account) == (
            stamp(moment),
            stamp(moment + timedelta(days=1)),
            1,
        )
        neglected = await list_all(
            client, ACCOUNTS, tenant.headers, lastActivityBefore=stamp(moment)
        )
        assert account not in [row["id"] for row in neglected]
        ordered = await list_all(client, ACCOUNTS, tenant.headers, sort="-lastActivityAt")
        assert ordered[0]["id"] == account

    async def test_concurrent_creates_add_up_to_what_a_recount_finds(self, client, tenant):
        account = await new_account(client, tenant)
        instants = [PAST, LONG_AGO, SOON, LATER, NOW - timedelta(hours=1), NOW + timedelta(hours=1)]
        statuses = ["PENDING", "COMPLETED", "CANCELLED"]
        await asyncio.gather(
            *(
                activity_at(client, tenant, account, instant, status=status)
                for instant in instants
                for status in statuses
            )
        )
        counted = await figures(client, tenant.headers, account)
        # A change to the account recounts its figures from all of its activities.
        renamed = await client.patch(
            f"{ACCOUNTS}/{account}", json={"name": "Recounted"}, headers=tenant.headers
        )
        assert renamed.status_code == 200, renamed.text
        assert counted == await figures(client, tenant.headers, account)
        assert counted == (stamp(NOW - timedelta(hours=1)), stamp(NOW + timedelta(hours=1)), 6)

    async def test_a_create_after_time_made_the_figures_stale_keeps_them_right(
        self, client, tenant
    ):
        account = await new_account(client, tenant)
        moment = datetime.now(UTC) + timedelta(seconds=1.5)
        await activity_at(client, tenant, account, moment, status="COMPLETED")
        await asyncio.sleep(2)
        await activity_at(client, tenant, account, LONG_AGO, status="COMPLETED")
        await activity_at(client, tenant, account, LATER)
        assert await figures(client, tenant.headers, account) == (stamp(moment), stamp(LATER), 1)


class TestNeglectedAccounts:
    async def test_sort_by_last_activity_puts_never_touched_first(self, client, tenant):
        recent, old, never = (
            await new_account(client, tenant),
            await new_account(client, tenant),
            await new_account(client, tenant),
        )
        await activity_at(client, tenant, recent, PAST)
        await activity_at(client, tenant, old, LONG_AGO)
        rows = await list_all(client, ACCOUNTS, tenant.headers, sort="lastActivityAt", limit=1)
        assert [row["id"] for row in rows] == [never, old, recent]
        rows = await list_all(client, ACCOUNTS, tenant.headers, sort="-lastActivityAt", limit=2)
        assert [row["id"] for row in rows] == [recent, old, never]

    async def test_last_activity_before_keeps_the_neglected_and_the_never_touched(
        self, client, tenant
    ):
        recent, old, never = (
            await new_account(client, tenant),
            await new_account(client, tenant),
            await new_account(client, tenant),
        )
        await activity_at(client, tenant, recent, PAST)
        await activity_at(client, tenant, old, LONG_AGO)
        cutoff = stamp(NOW - timedelta(days=30))
        rows = await list_all(
            client, ACCOUNTS, tenant.headers, lastActivityBefore=cutoff, sort="lastActivityAt"
        )
        assert [row["id"] for row in rows] == [never, old]

    @pytest.mark.parametrize("value", ["yesterday", "", "2026-13-01T00:00:00Z", "2026-03-01"])
    async def test_a_bad_date_is_a_422(self, client, tenant, value):
        response = await client.get(
            ACCOUNTS, params={"lastActivityBefore": value}, headers=tenant.headers
        )
        assert_problem(response, 422, "lastActivityBefore")

    async def test_a_cursor_of_another_sort_is_refused(self, client, tenant):
        for _ in range(2):
            await new_account(client, tenant)
        page = await client.get(ACCOUNTS, params={"limit": 1}, headers=tenant.headers)
        cursor = page.json()["nextCursor"]
        response = await client.get(
            ACCOUNTS, params={"sort": "lastActivityAt", "cursor": cursor}, headers=tenant.headers
        )
        assert_problem(response, 400)

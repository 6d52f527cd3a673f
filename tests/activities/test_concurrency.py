"""Concurrent requests: every create lands once, and cursor paging survives concurrent inserts."""

import asyncio

import pytest

from tests.activities.helpers import ACTIVITIES, stored
from tests.factories import activity_body, create_account, create_activity, list_all


def at(minute):
    return f"2026-03-02T{9 + minute // 60:02d}:{minute % 60:02d}:00Z"


class TestConcurrentCreates:
    async def test_100_concurrent_creates_all_land_with_distinct_uids(self, client, tenant):
        account = await create_account(client, tenant.headers)

        async def create(index):
            body = activity_body(account["id"], title=f"n{index}", activityTimestamp=at(index % 7))
            return await client.post(ACTIVITIES, json=body, headers=tenant.headers)

        responses = await asyncio.gather(*(create(index) for index in range(100)))
        assert [response.status_code for response in responses] == [201] * 100
        created = [response.json() for response in responses]
        assert len({row["uid"] for row in created}) == 100
        assert len({row["id"] for row in created}) == 100
        assert sorted(row["title"] for row in created) == sorted(f"n{i}" for i in range(100))
        persisted = await stored(client, tenant)
        assert sorted(row["id"] for row in persisted) == sorted(row["id"] for row in created)
        by_id = {row["id"]: row for row in created}
        assert all(row == by_id[row["id"]] for row in persisted)

    async def test_concurrent_deletes_of_one_activity_succeed_once(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"])
        path = f"{ACTIVITIES}/{created['id']}"
        responses = await asyncio.gather(
            *(client.delete(path, headers=tenant.headers) for _ in range(10))
        )
        assert sorted(response.status_code for response in responses) == [204] + [404] * 9
        (deleted,) = await stored(client, tenant)
        assert deleted["isActive"] is False

    async def test_concurrent_patches_are_serialized_each_seeing_the_one_before(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"], title="t-start")
        path = f"{ACTIVITIES}/{created['id']}"
        bodies = [{"title": f"t{i}", "duration": i} for i in range(20)]
        responses = await asyncio.gather(
            *(client.patch(path, json=body, headers=tenant.headers) for body in bodies)
        )
        assert {response.status_code for response in responses} == {200}
        (final,) = await stored(client, tenant)
        assert final["title"] == f"t{final['duration']}"
        # Each change reads the row it changes under a lock: its recorded "old" title is the
        # title the change before it wrote. Two changes reading the same row would break the chain.
        history = await list_all(client, f"{path}/history", tenant.headers, limit=200)
        updates = sorted(
            (entry for entry in history if entry["action"] == "update"),
            key=lambda entry: int(entry["id"]),
        )
        titles = [entry["changes"]["title"] for entry in updates]
        assert len(titles) == 20
        assert [title["old"] for title in titles] == ["t-start"] + [t["new"] for t in titles[:-1]]
        assert titles[-1]["new"] == final["title"]


class TestPagingWhileInserting:
    @pytest.mark.parametrize("sort", ["-activityTimestamp", "activityTimestamp", "-createdAt"])
    async def test_rows_present_before_paging_are_seen_exactly_once(self, client, tenant, sort):
        account = await create_account(client, tenant.headers)
        before = await asyncio.gather(
            *(
                create_activity(client, tenant.headers, account["id"], activityTimestamp=at(i * 2))
                for i in range(30)
            )
        )
        existing = {row["id"] for row in before}
        paging_done = asyncio.Event()

        async def insert_meanwhile():
            inserted = 0
            # Odd minutes land between the existing rows, on pages not yet read.
            while not paging_done.is_set() or inserted < 5:
                await create_activity(
                    client, tenant.headers, account["id"], activityTimestamp=at(inserted * 2 + 1)
                )
                inserted += 1
                await asyncio.sleep(0)
            return inserted

        async def page_through():
            seen, cursor = [], None
            try:
                while True:
                    query = {"limit": 4, "sort": sort, **({"cursor": cursor} if cursor else {})}
                    response = await client.get(ACTIVITIES, params=query, headers=tenant.headers)
                    assert response.status_code == 200, response.text
                    page = response.json()
                    seen.extend(row["id"] for row in page["data"])
                    cursor = page["nextCursor"]
                    if cursor is None:
                        return seen
                    await asyncio.sleep(0)
            finally:
                paging_done.set()

        seen, inserted = await asyncio.gather(page_through(), insert_meanwhile())
        assert inserted >= 5
        assert len(seen) == len(set(seen)), "a row was seen twice"
        assert existing <= set(seen), f"missed {sorted(existing - set(seen))}"
        assert len(await stored(client, tenant)) == 30 + inserted

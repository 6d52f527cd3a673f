"""`q` on the activity list and a timeline: every word, the last as a prefix, any case and
accent, over an activity's text, tags and people; kept right through every write."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.dialects import postgresql

from tests.activities.helpers import ACTIVITIES
from tests.factories import (
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)
from touchpoint.core.full_text import SearchQuery, matches
from touchpoint.models import activities


async def found(client, headers, q, **params):
    rows = await list_all(client, ACTIVITIES, headers, q=q, **params)
    return [row["id"] for row in rows]


async def one(client, tenant, **fields):
    account = (await create_account(client, tenant.headers))["id"]
    return (await create_activity(client, tenant.headers, account, **fields))["id"]


class TestRefused:
    @pytest.mark.parametrize("value", ["", "x" * 201, "a\u0000b"])
    async def test_a_q_out_of_bounds_is_a_422(self, client, tenant, value):
        response = await client.get(ACTIVITIES, params={"q": value}, headers=tenant.headers)
        assert_problem(response, 422, "q")

    async def test_an_unknown_sort_is_a_422(self, client, tenant):
        response = await client.get(
            ACTIVITIES, params={"q": "x", "sort": "score"}, headers=tenant.headers
        )
        assert_problem(response, 422, "sort")

    async def test_a_cursor_of_another_order_is_a_400(self, client, tenant):
        for _ in range(2):
            await one(client, tenant, title="demo")
        first = await client.get(
            ACTIVITIES, params={"q": "demo", "limit": 1}, headers=tenant.headers
        )
        cursor = first.json()["nextCursor"]
        response = await client.get(
            ACTIVITIES,
            params={"q": "demo", "sort": "createdAt", "cursor": cursor},
            headers=tenant.headers,
        )
        assert_problem(response, 400)


class TestMatching:
    async def test_every_word_must_match_and_the_last_also_as_a_prefix(self, client, tenant):
        both = await one(client, tenant, title="Quarterly presentation", location="Berlin office")
        await one(client, tenant, title="Quarterly review", location="Berlin office")
        assert await found(client, tenant.headers, "berlin pres") == [both]
        assert await found(client, tenant.headers, "pres berlin") == []
        assert await found(client, tenant.headers, "quarterly berlin") != []

    async def test_case_and_accents_are_ignored_both_ways(self, client, tenant):
        resume = await one(client, tenant, title="Résumé of the ÉTÉ campaign")
        assert await found(client, tenant.headers, "resume ete") == [resume]
        assert await found(client, tenant.headers, "RÉSUMÉ") == [resume]
        plain = await one(client, tenant, title="cafe meeting")
        assert await found(client, tenant.headers, "Café") == [plain]

    @pytest.mark.parametrize(
        "fields",
        [
            {"title": "Zanzibar"},
            {"description": "Talked about zanzibar shipping"},
            {"location": "Zanzibar harbour"},
            {"outcome": "zanzibar deal signed"},
            {"tags": ["zanzibar"]},
            {"participants": [{"email": "pat@zanzibar.example", "name": "Pat"}]},
            {"participants": [{"email": "pat@example.com", "name": "Pat Zanzibar"}]},
        ],
    )
    async def test_each_searched_field_is_found(self, client, tenant, fields):
        activity = await one(client, tenant, **fields)
        assert await found(client, tenant.headers, "zanzibar") == [activity]

    async def test_a_linked_contact_is_found_by_its_name_and_email(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        contact = await create_contact(
            client, tenant.headers, account, firstName="Ottoline", email="otto@quux.example"
        )
        activity = await create_activity(
            client, tenant.headers, account, participants=[{"contactId": contact["id"]}]
        )
        assert await found(client, tenant.headers, "ottoline") == [activity["id"]]
        assert await found(client, tenant.headers, "quux") == [activity["id"]]

    async def test_text_without_a_word_finds_nothing(self, client, tenant):
        await one(client, tenant, title="Anything")
        assert await found(client, tenant.headers, " -- !! ") == []

    async def test_q_combines_with_filters_and_the_timeline(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        call = await create_activity(client, tenant.headers, account, title="demo", type="CALL")
        await create_activity(client, tenant.headers, account, title="demo", type="EMAIL")
        await one(client, tenant, title="demo", type="CALL")
        assert await found(client, tenant.headers, "demo", type="CALL", accountId=account) == [
            call["id"]
        ]
        timeline = await list_all(
            client, f"/v1/accounts/{account}/activities", tenant.headers, q="demo", type="CALL"
        )
        assert [row["id"] for row in timeline] == [call["id"]]

    async def test_another_organizations_activities_are_never_found(
        self, client, tenant, other_tenant
    ):
        await one(client, other_tenant, title="confidential merger")
        assert await found(client, tenant.headers, "merger") == []

    async def test_a_private_activity_is_found_only_by_who_may_see_it(self, client, tenant):
        hidden = await one(client, tenant, title="layoffs plan", visibility="PRIVATE")
        member = await tenant.member("MEMBER")
        assert await found(client, member, "layoffs") == []
        assert await found(client, await tenant.member("ADMIN"), "layoffs") == [hidden]
        assert await found(client, tenant.headers, "layoffs") == [hidden]


class TestRelevance:
    async def test_with_q_the_best_match_comes_first_by_default(self, client, tenant):
        once = await one(client, tenant, title="demo", description="a long talk about pricing")
        thrice = await one(client, tenant, title="demo demo", description="demo")
        rows = await found(client, tenant.headers, "demo")
        assert rows == [thrice, once]

    async def test_paging_by_relevance_returns_each_match_once(self, client, tenant):
        created = {await one(client, tenant, title="demo " * n) for n in range(1, 6)}
        created |= {await one(client, tenant, title="demo") for _ in range(3)}
        rows = await found(client, tenant.headers, "demo", limit=2)
        assert len(rows) == len(created)
        assert set(rows) == created

    async def test_another_sort_is_honoured_with_q(self, client, tenant):
        late = await one(client, tenant, title="demo", activityTimestamp="2026-05-01T00:00:00Z")
        early = await one(
            client, tenant, title="demo demo", activityTimestamp="2026-01-01T00:00:00Z"
        )
        assert await found(client, tenant.headers, "demo", sort="activityTimestamp") == [
            early,
            late,
        ]

    async def test_relevance_without_q_is_newest_recorded_first(self, client, tenant):
        ids = [await one(client, tenant) for _ in range(3)]
        rows = await list_all(client, ACTIVITIES, tenant.headers, sort="relevance", limit=2)
        assert [row["id"] for row in rows] == ids[::-1]


class TestKeptRight:
    async def test_a_change_finds_the_new_words_and_not_the_old(self, client, tenant):
        activity = await one(client, tenant, title="alpha")
        path = f"{ACTIVITIES}/{activity}"
        response = await client.patch(path, json={"title": "bravo"}, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert await found(client, tenant.headers, "alpha") == []
        assert await found(client, tenant.headers, "bravo") == [activity]

    async def test_a_change_of_other_fields_keeps_the_words(self, client, tenant):
        activity = await one(client, tenant, title="charlie")
        path = f"{ACTIVITIES}/{activity}"
        response = await client.patch(path, json={"duration": 5}, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert await found(client, tenant.headers, "charlie") == [activity]

    async def test_a_replace_and_a_completion_outcome_are_found(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        activity = (await create_activity(client, tenant.headers, account, title="delta"))["id"]
        body = {
            "accountId": account,
            "activityTimestamp": "2026-03-02T09:30:00Z",
            "duration": 30,
            "location": "echo street",
        }
        path = f"{ACTIVITIES}/{activity}"
        assert (await client.put(path, json=body, headers=tenant.headers)).status_code == 200
        assert await found(client, tenant.headers, "delta") == []
        assert await found(client, tenant.headers, "echo") == [activity]
        completed = await client.post(
            f"{path}/complete",
            json={
                "outcome": "foxtrot agreed",
                "followUp": {
                    "activityTimestamp": "2026-04-01T09:00:00Z",
                    "duration": 15,
                    "location": "golf course",
                },
            },
            headers=tenant.headers,
        )
        assert completed.status_code == 200, completed.text
        assert await found(client, tenant.headers, "foxtrot") == [activity]
        follow_up = completed.json()["followUp"]["id"]
        assert await found(client, tenant.headers, "golf") == [follow_up]

    async def test_deleted_is_not_found_and_restored_is_again(self, client, tenant):
        activity = await one(client, tenant, title="hotel")
        path = f"{ACTIVITIES}/{activity}"
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        assert await found(client, tenant.headers, "hotel") == []
        assert (await client.post(f"{path}/restore", headers=tenant.headers)).status_code == 200
        assert await found(client, tenant.headers, "hotel") == [activity]

    async def test_an_account_cascade_and_its_restore(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        activity = (await create_activity(client, tenant.headers, account, title="india"))["id"]
        path = f"/v1/accounts/{account}"
        deleted = await client.delete(path, params={"cascade": "true"}, headers=tenant.headers)
        assert deleted.status_code == 204, deleted.text
        assert await found(client, tenant.headers, "india") == []
        restored = await client.post(f"{path}/restore", headers=tenant.headers)
        assert restored.status_code == 200, restored.text
        assert await found(client, tenant.headers, "india") == [activity]


# Copies of one activity with other words: enough rows in the organization that scanning them
# costs more than the index, as in a real one.
COPIES = """
INSERT INTO activities (uid, organization_id, account_id, created_by, owner_id, type, status,
    activity_timestamp, duration, location, participants, attachment_urls, metadata,
    search_text, created_at, updated_at)
SELECT uid || '-' || n, organization_id, account_id, created_by, owner_id, type, status,
    activity_timestamp, duration, location, participants, attachment_urls, metadata,
    'filler words number ' || n, created_at, updated_at
FROM activities, generate_series(1, 3000) AS n
WHERE id = :seed
"""


class TestIndex:
    async def test_postgresql_serves_the_search_from_its_full_text_index(
        self, client, tenant, service
    ):
        if service.name != "postgresql":
            pytest.skip("SQLite searches its FTS5 table, which has no plan to compare")
        seed = await one(client, tenant, title="juliet")
        async with service.app.state.engine.begin() as connection:
            await connection.execute(text(COPIES), {"seed": int(seed)})
            await connection.execute(text("ANALYZE activities"))
        statement = select(activities.c.id).where(
            activities.c.organization_id == int(tenant.org_id),
            matches(activities, SearchQuery.of("juliet rom")),
        )
        sql = statement.compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
        async with service.app.state.engine.connect() as connection, connection.begin():
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            plan = (await connection.execute(text(f"EXPLAIN {sql}"))).scalars().all()
        assert "ix_activities_search" in "\n".join(plan), plan

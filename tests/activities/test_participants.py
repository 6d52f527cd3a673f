"""Participants as links: contactId/userId checked in the organization, shown current, and
the ?contactId= / ?userId= filters (served by a GIN index on PostgreSQL)."""

import pytest
from sqlalchemy import text

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import (
    activity_body,
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)

MISSING = "987654321"


async def linked(client, tenant, participants, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_activity(
        client, tenant.headers, account["id"], participants=participants, **overrides
    )


async def listed_ids(client, headers, **params):
    return [row["id"] for row in await list_all(client, ACTIVITIES, headers, **params)]


async def foreign_people(client, other_tenant):
    """A contact and a member of another organization."""
    account = await create_account(client, other_tenant.headers)
    contact = await create_contact(client, other_tenant.headers, account["id"])
    return contact["id"], other_tenant.user_id


class TestUnknownLinksOnCreate:
    @pytest.mark.parametrize("key", ["contactId", "userId"])
    async def test_an_unknown_link_is_422_naming_the_participant(self, client, tenant, key):
        account = await create_account(client, tenant.headers)
        participants = [{"email": "a@example.com"}, {key: MISSING}]
        body = activity_body(account["id"], participants=participants)
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, f"participants[1].{key}")
        assert await stored(client, tenant) == []

    @pytest.mark.parametrize("key", ["contactId", "userId"])
    async def test_another_organizations_person_is_answered_like_a_missing_one(
        self, client, tenant, other_tenant, key
    ):
        contact_id, user_id = await foreign_people(client, other_tenant)
        account = await create_account(client, tenant.headers)
        foreign = {"contactId": contact_id, "userId": user_id}[key]
        problems = []
        for value in (foreign, MISSING):
            body = activity_body(account["id"], participants=[{key: value}])
            response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
            problems.append(assert_problem(response, 422, f"participants[0].{key}"))
        assert problems[0]["errors"] == problems[1]["errors"]
        assert await stored(client, tenant) == []

    async def test_several_bad_participants_are_all_named(self, client, tenant, other_tenant):
        contact_id, user_id = await foreign_people(client, other_tenant)
        account = await create_account(client, tenant.headers)
        good = await create_contact(client, tenant.headers, account["id"])
        participants = [
            {"email": "fine@example.com"},
            {"contactId": MISSING},
            {"userId": MISSING},
            {"contactId": good["id"], "userId": tenant.user_id},
            {"contactId": contact_id},
            {"userId": user_id, "contactId": good["id"]},
        ]
        body = activity_body(account["id"], participants=participants)
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(
            response, 422, "participants[1].contactId", "participants[2].userId",
            "participants[4].contactId", "participants[5].userId",
        )  # fmt: skip
        assert await stored(client, tenant) == []

    async def test_a_soft_deleted_contact_cannot_be_newly_linked(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"/v1/contacts/{contact['id']}", headers=tenant.headers)
        body = activity_body(account["id"], participants=[{"contactId": contact["id"]}])
        response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
        assert_problem(response, 422, "participants[0].contactId")
        assert await stored(client, tenant) == []


class TestUnknownLinksOnChange:
    @pytest.mark.parametrize("verb", ["put", "patch"])
    @pytest.mark.parametrize("key", ["contactId", "userId"])
    @pytest.mark.parametrize("whose", ["missing", "foreign"])
    async def test_a_bad_link_is_422_and_the_activity_is_unchanged(
        self, client, tenant, other_tenant, verb, key, whose
    ):
        contact_id, user_id = await foreign_people(client, other_tenant)
        value = MISSING if whose == "missing" else {"contactId": contact_id, "userId": user_id}[key]
        activity = await linked(client, tenant, [{"email": "a@example.com"}])
        participants = [{"userId": tenant.user_id}, {key: value}]
        path = f"{ACTIVITIES}/{activity['id']}"
        if verb == "put":
            body = activity_body(activity["accountId"], participants=participants)
            response = await client.put(path, json=body, headers=tenant.headers)
        else:
            body = {"participants": participants, "title": "changed"}
            response = await client.patch(path, json=body, headers=tenant.headers)
        assert_problem(response, 422, f"participants[1].{key}")
        assert await read(client, tenant.headers, activity["id"]) == activity

    async def test_a_patch_not_touching_participants_keeps_a_deleted_contacts_link(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        activity = await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": contact["id"]}]
        )
        await client.delete(f"/v1/contacts/{contact['id']}", headers=tenant.headers)
        response = await client.patch(
            f"{ACTIVITIES}/{activity['id']}", json={"title": "x"}, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["participants"] == activity["participants"]

    @pytest.mark.parametrize("verb", ["put", "patch"])
    async def test_a_deleted_contact_cannot_be_newly_linked_by_a_change(self, client, tenant, verb):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"/v1/contacts/{contact['id']}", headers=tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        participants = [{"contactId": contact["id"]}]
        path = f"{ACTIVITIES}/{activity['id']}"
        if verb == "put":
            body = activity_body(account["id"], participants=participants)
            response = await client.put(path, json=body, headers=tenant.headers)
        else:
            response = await client.patch(
                path, json={"participants": participants}, headers=tenant.headers
            )
        assert_problem(response, 422, "participants[0].contactId")
        assert await read(client, tenant.headers, activity["id"]) == activity

    @pytest.mark.parametrize("verb", ["put", "patch"])
    async def test_keeping_an_existing_link_to_a_deleted_contact_is_allowed(
        self, client, tenant, verb
    ):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        activity = await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": contact["id"]}]
        )
        await client.delete(f"/v1/contacts/{contact['id']}", headers=tenant.headers)
        kept = [*activity["participants"], {"email": "new@example.com"}]
        path = f"{ACTIVITIES}/{activity['id']}"
        if verb == "put":
            body = activity_body(account["id"], participants=kept, title="new")
            response = await client.put(path, json=body, headers=tenant.headers)
        else:
            response = await client.patch(
                path, json={"participants": kept, "title": "new"}, headers=tenant.headers
            )
        assert response.status_code == 200, response.text
        assert response.json()["participants"] == kept


class TestCurrentPeople:
    async def test_a_linked_contact_shows_its_name_and_email_over_what_was_sent(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"], lastName=None)
        participants = [{"contactId": contact["id"], "name": "Typo", "email": "old@example.com",
                         "role": "buyer"}]  # fmt: skip
        activity = await create_activity(
            client, tenant.headers, account["id"], participants=participants
        )
        expected = [{"contactId": contact["id"], "name": "Grace", "email": contact["email"],
                     "role": "buyer"}]  # fmt: skip
        assert activity["participants"] == expected

    async def test_a_renamed_contact_shows_its_new_name_and_email_everywhere(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        activity = await create_activity(
            client, tenant.headers, account["id"],
            participants=[{"email": "other@example.com"}, {"contactId": int(contact["id"])}],
        )  # fmt: skip
        response = await client.patch(
            f"/v1/contacts/{contact['id']}",
            json={"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
            headers=tenant.headers,
        )
        assert response.status_code == 200
        expected = [
            {"email": "other@example.com"},
            {"contactId": contact["id"], "name": "Ada Lovelace", "email": "ada@example.com"},
        ]
        assert (await read(client, tenant.headers, activity["uid"]))["participants"] == expected
        for path in (ACTIVITIES, f"/v1/accounts/{account['id']}/activities"):
            rows = await list_all(client, path, tenant.headers)
            assert [row["participants"] for row in rows] == [expected], path

    async def test_a_deleted_contact_still_shows_its_name(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        activity = await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": contact["id"]}]
        )
        await client.delete(f"/v1/contacts/{contact['id']}", headers=tenant.headers)
        assert (await read(client, tenant.headers, activity["id"]))["participants"] == [
            {"contactId": contact["id"], "name": "Grace Hopper", "email": contact["email"]}
        ]

    async def test_a_linked_member_shows_the_members_name_and_email(self, client, tenant):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        activity = await create_activity(
            client, member, account["id"],
            participants=[{"userId": member["X-User-Id"], "name": "Someone", "role": "host"}],
        )  # fmt: skip
        expected = [{"userId": member["X-User-Id"], "name": "MEMBER person",
                     "email": activity["creatorEmail"], "role": "host"}]  # fmt: skip
        assert activity["participants"] == expected
        assert (await read(client, tenant.headers, activity["id"]))["participants"] == expected

    async def test_unlinked_participants_are_shown_as_sent(self, client, tenant):
        participants = [{"email": "a@example.com", "name": "A", "role": "r"}, {"email": "b@x.org"}]
        activity = await linked(client, tenant, participants)
        assert activity["participants"] == participants


class TestFilters:
    async def test_contact_id_lists_the_activities_the_contact_took_part_in(self, client, tenant):
        account = await create_account(client, tenant.headers)
        ada = await create_contact(client, tenant.headers, account["id"])
        bob = await create_contact(client, tenant.headers, account["id"])
        both = await create_activity(
            client, tenant.headers, account["id"],
            participants=[{"contactId": bob["id"]}, {"contactId": int(ada["id"])}],
        )  # fmt: skip
        only_bob = await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": bob["id"]}]
        )
        await create_activity(
            client, tenant.headers, account["id"], participants=[{"email": ada["email"]}]
        )
        assert await listed_ids(client, tenant.headers, contactId=ada["id"]) == [both["id"]]
        assert set(await listed_ids(client, tenant.headers, contactId=bob["id"])) == {
            both["id"], only_bob["id"],
        }  # fmt: skip
        assert await listed_ids(client, tenant.headers, contactId=MISSING) == []

    async def test_user_id_lists_the_activities_the_member_took_part_in(self, client, tenant):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("VIEWER")
        user_id = member["X-User-Id"]
        mine = await create_activity(
            client, tenant.headers, account["id"], participants=[{"userId": int(user_id)}]
        )
        await create_activity(
            client, tenant.headers, account["id"], participants=[{"userId": tenant.user_id}]
        )
        assert await listed_ids(client, tenant.headers, userId=user_id) == [mine["id"]]
        # A contact id equal to nothing, and the userId key, are not confused.
        assert await listed_ids(client, tenant.headers, contactId=user_id) == []

    async def test_the_filters_page_and_combine_with_others(self, client, tenant):
        account = await create_account(client, tenant.headers)
        other = await create_account(client, tenant.headers)
        ada = await create_contact(client, tenant.headers, account["id"])
        made = [
            (await create_activity(client, tenant.headers, acc["id"],
                                   participants=[{"contactId": ada["id"]}]))["id"]
            for acc in (account, account, account, other)
        ]  # fmt: skip
        found = await listed_ids(client, tenant.headers, contactId=ada["id"], limit=1)
        assert sorted(found) == sorted(made)
        at_account = await listed_ids(
            client, tenant.headers, contactId=ada["id"], accountId=account["id"], limit=2
        )
        assert sorted(at_account) == sorted(made[:3])
        timeline = await list_all(
            client, f"/v1/accounts/{other['id']}/activities", tenant.headers, contactId=ada["id"]
        )
        assert [row["id"] for row in timeline] == [made[3]]

    async def test_deleted_activities_are_filtered_out_unless_asked(self, client, tenant):
        account = await create_account(client, tenant.headers)
        ada = await create_contact(client, tenant.headers, account["id"])
        activity = await create_activity(
            client, tenant.headers, account["id"], participants=[{"contactId": ada["id"]}]
        )
        await client.delete(f"{ACTIVITIES}/{activity['id']}", headers=tenant.headers)
        assert await listed_ids(client, tenant.headers, contactId=ada["id"]) == []
        found = await listed_ids(client, tenant.headers, contactId=ada["id"], includeDeleted="true")
        assert found == [activity["id"]]

    @pytest.mark.parametrize("key", ["contactId", "userId"])
    async def test_another_organizations_people_find_nothing(
        self, client, tenant, other_tenant, key
    ):
        contact_id, user_id = await foreign_people(client, other_tenant)
        their_account = await create_account(client, other_tenant.headers)
        await create_activity(
            client, other_tenant.headers, their_account["id"],
            participants=[{"contactId": contact_id}, {"userId": user_id}],
        )  # fmt: skip
        await linked(client, tenant, [{"email": "a@example.com"}])
        value = contact_id if key == "contactId" else user_id
        assert await listed_ids(client, tenant.headers, **{key: value}) == []
        assert len(await listed_ids(client, other_tenant.headers, **{key: value})) == 1

    @pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "9" * 20])
    @pytest.mark.parametrize("key", ["contactId", "userId"])
    async def test_a_bad_id_in_the_filter_is_422_naming_it(self, client, tenant, key, value):
        response = await client.get(ACTIVITIES, params={key: value}, headers=tenant.headers)
        assert_problem(response, 422, key)


@pytest.fixture
def postgres_only(service):
    if service.name != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only")
    return service.app.state.engine


INDEX_DEFINITION = (
    "SELECT indexdef FROM pg_indexes"
    " WHERE tablename = 'activities' AND indexname = 'ix_activities_participants'"
)
# Copies of one activity, each with its own linked contact and member: an organization large
# enough that the planner's choice of index means something.
COPIES = """
INSERT INTO activities (uid, organization_id, account_id, created_by, owner_id, type, status,
    activity_timestamp, duration, location, participants, attachment_urls, metadata,
    created_at, updated_at)
SELECT uid || '-' || n, organization_id, account_id, created_by, owner_id, type, status,
    activity_timestamp, duration, location,
    jsonb_build_array(jsonb_build_object('contactId', (100000 + n)::text),
                      jsonb_build_object('userId', (200000 + n)::text)),
    attachment_urls, metadata, created_at, updated_at
FROM activities, generate_series(1, 3000) AS n
WHERE id = :seed
"""
FILTER = text(
    "EXPLAIN SELECT id FROM activities WHERE organization_id = :org"
    " AND participants @> CAST(:wanted AS jsonb)"
)


class TestParticipantsIndex:
    async def test_a_gin_index_on_participants_exists(self, postgres_only):
        async with postgres_only.connect() as connection:
            definition = (await connection.execute(text(INDEX_DEFINITION))).scalar_one()
        assert "USING gin (participants jsonb_path_ops)" in definition

    @pytest.mark.parametrize(("key", "value"), [("contactId", "101234"), ("userId", "201234")])
    async def test_the_filter_is_served_by_the_index(
        self, client, tenant, postgres_only, key, value
    ):
        seed = await linked(client, tenant, [{"email": "seed@example.com"}])
        async with postgres_only.begin() as connection:
            await connection.execute(text(COPIES), {"seed": int(seed["id"])})
            await connection.execute(text("ANALYZE activities"))
        found = await client.get(ACTIVITIES, params={key: value}, headers=tenant.headers)
        rows = found.json()["data"]
        assert len(rows) == 1
        assert value in {participant.get(key) for participant in rows[0]["participants"]}
        wanted = f'[{{"{key}": "{value}"}}]'
        async with postgres_only.connect() as connection, connection.begin():
            await connection.execute(text("SET LOCAL enable_seqscan = off"))
            result = await connection.execute(FILTER, {"org": int(tenant.org_id), "wanted": wanted})
            plan = "\n".join(result.scalars().all())
        assert "ix_activities_participants" in plan, plan

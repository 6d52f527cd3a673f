"""GET /v1/contacts and /v1/contacts/{id}: reads, filters, sorting and cursor paging."""

import pytest

from tests.factories import assert_problem, create_account, create_contact, list_all

CONTACTS = "/v1/contacts"


async def listed_ids(client, headers, **params):
    return [row["id"] for row in await list_all(client, CONTACTS, headers, **params)]


class TestGetOne:
    async def test_by_id_and_by_uid_in_any_case(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        for reference in (contact["id"], contact["uid"], contact["uid"].lower()):
            response = await client.get(f"{CONTACTS}/{reference}", headers=tenant.headers)
            assert response.status_code == 200, reference
            assert response.json() == contact

    @pytest.mark.parametrize(
        "reference", ["424242424", "0", "abc", "9" * 30, "01ARZ3NDEKTSV4RRFFQ69G5FAV"]
    )
    async def test_a_reference_naming_no_contact_is_404(self, client, tenant, reference):
        response = await client.get(f"{CONTACTS}/{reference}", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_a_deleted_contact_is_404_unless_include_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"{CONTACTS}/{contact['id']}", headers=tenant.headers)
        path = f"{CONTACTS}/{contact['id']}"
        assert_problem(await client.get(path, headers=tenant.headers), 404)
        response = await client.get(path, params={"includeDeleted": "true"}, headers=tenant.headers)
        assert response.status_code == 200
        assert response.json()["isActive"] is False
        assert response.json()["deletedAt"] is not None


class TestFilters:
    async def test_account_id_lists_only_that_accounts_contacts(self, client, tenant):
        one = await create_account(client, tenant.headers)
        two = await create_account(client, tenant.headers)
        mine = await create_contact(client, tenant.headers, one["id"])
        await create_contact(client, tenant.headers, two["id"])
        assert await listed_ids(client, tenant.headers, accountId=one["id"]) == [mine["id"]]

    async def test_contact_type_takes_one_or_a_comma_separated_set(self, client, tenant):
        account = await create_account(client, tenant.headers)
        made = {
            kind: (await create_contact(client, tenant.headers, account["id"], contactType=kind))[
                "id"
            ]
            for kind in ("PRIMARY", "BILLING", "LEGAL")
        }
        assert await listed_ids(client, tenant.headers, contactType="BILLING") == [made["BILLING"]]
        both = await listed_ids(client, tenant.headers, contactType="PRIMARY,LEGAL")
        assert set(both) == {made["PRIMARY"], made["LEGAL"]}

    async def test_email_matches_exactly_in_any_case(self, client, tenant):
        account = await create_account(client, tenant.headers)
        ada = await create_contact(client, tenant.headers, account["id"], email="Ada@Example.com")
        await create_contact(client, tenant.headers, account["id"], email="ada@example.co")
        await create_contact(client, tenant.headers, account["id"], email="xada@example.com")
        assert await listed_ids(client, tenant.headers, email="ADA@example.COM") == [ada["id"]]

    @pytest.mark.parametrize("q", ["lovelace", "ADA", "love", "analytical", "ENGINE.ORG"])
    async def test_q_matches_part_of_the_name_or_email_in_any_case(self, client, tenant, q):
        account = await create_account(client, tenant.headers)
        ada = await create_contact(
            client, tenant.headers, account["id"], firstName="Ada", lastName="Lovelace",
            email="countess@analytical-engine.org",
        )  # fmt: skip
        await create_contact(
            client, tenant.headers, account["id"], firstName="Grace", lastName="Hopper",
            email="grace@navy.mil",
        )  # fmt: skip
        assert await listed_ids(client, tenant.headers, q=q) == [ada["id"]]

    async def test_q_matches_non_ascii_in_any_case(self, client, tenant):
        account = await create_account(client, tenant.headers)
        zoe = await create_contact(client, tenant.headers, account["id"], lastName="ÖDEGÅRD")
        assert await listed_ids(client, tenant.headers, q="ödegård") == [zoe["id"]]

    @pytest.mark.parametrize("q", ["%", "_", "\\"])
    async def test_q_wildcards_are_taken_literally(self, client, tenant, q):
        account = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, account["id"], firstName="Plain")
        assert await listed_ids(client, tenant.headers, q=q) == []

    async def test_filters_combine(self, client, tenant):
        one = await create_account(client, tenant.headers)
        two = await create_account(client, tenant.headers)
        hit = await create_contact(client, tenant.headers, one["id"], contactType="LEGAL")
        await create_contact(client, tenant.headers, one["id"], contactType="BILLING")
        await create_contact(client, tenant.headers, two["id"], contactType="LEGAL")
        found = await listed_ids(client, tenant.headers, accountId=one["id"], contactType="LEGAL")
        assert found == [hit["id"]]

    async def test_deleted_contacts_are_listed_only_with_include_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        live = await create_contact(client, tenant.headers, account["id"])
        gone = await create_contact(client, tenant.headers, account["id"])
        await client.delete(f"{CONTACTS}/{gone['id']}", headers=tenant.headers)
        assert await listed_ids(client, tenant.headers) == [live["id"]]
        everything = await listed_ids(client, tenant.headers, includeDeleted="true")
        assert everything == [gone["id"], live["id"]]
        inactive = await listed_ids(client, tenant.headers, includeDeleted="true", isActive="false")
        assert inactive == [gone["id"]]


class TestQueryValidation:
    @pytest.mark.parametrize(
        ("params", "field"),
        [
            pytest.param({"limit": "0"}, "limit", id="limit-0"),
            pytest.param({"limit": "201"}, "limit", id="limit-201"),
            pytest.param({"limit": "ten"}, "limit", id="limit-text"),
            pytest.param({"sort": "firstName"}, "sort", id="sort-unknown"),
            pytest.param({"contactType": "CEO"}, "contactType", id="contactType-unknown"),
            pytest.param({"accountId": "abc"}, "accountId", id="accountId-text"),
            pytest.param({"email": "nope"}, "email", id="email-bad"),
            pytest.param({"isActive": "maybe"}, "isActive", id="isActive-bad"),
            pytest.param({"acountId": "1"}, "acountId", id="unknown-param"),
            pytest.param({"q": "a\x00b"}, "q", id="q-nul"),
        ],
    )
    async def test_a_bad_query_parameter_is_422_naming_it(self, client, tenant, params, field):
        response = await client.get(CONTACTS, params=params, headers=tenant.headers)
        assert_problem(response, 422, field)

    @pytest.mark.parametrize("limit", ["1", "200"])
    async def test_limit_bounds_are_accepted(self, client, tenant, limit):
        response = await client.get(CONTACTS, params={"limit": limit}, headers=tenant.headers)
        assert response.status_code == 200
        assert response.json() == {"data": [], "nextCursor": None}

    @pytest.mark.parametrize("cursor", ["garbage", "abc.def", "a.b.c", "eyJ4IjoxfQ.sig"])
    async def test_a_cursor_the_service_did_not_issue_is_400(self, client, tenant, cursor):
        response = await client.get(CONTACTS, params={"cursor": cursor}, headers=tenant.headers)
        assert_problem(response, 400)

    async def test_a_tampered_cursor_is_400(self, client, tenant):
        account = await create_account(client, tenant.headers)
        for _ in range(2):
            await create_contact(client, tenant.headers, account["id"])
        page = (await client.get(CONTACTS, params={"limit": 1}, headers=tenant.headers)).json()
        body, signature = page["nextCursor"].split(".")
        tampered = f"{body}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
        response = await client.get(CONTACTS, params={"cursor": tampered}, headers=tenant.headers)
        assert_problem(response, 400)

    async def test_a_cursor_of_another_sort_order_is_400(self, client, tenant):
        account = await create_account(client, tenant.headers)
        for _ in range(2):
            await create_contact(client, tenant.headers, account["id"])
        page = (await client.get(CONTACTS, params={"limit": 1}, headers=tenant.headers)).json()
        params = {"cursor": page["nextCursor"], "sort": "createdAt"}
        assert_problem(await client.get(CONTACTS, params=params, headers=tenant.headers), 400)


class TestSortingAndPaging:
    async def test_newest_first_by_default_and_oldest_first_on_request(self, client, tenant):
        account = await create_account(client, tenant.headers)
        made = [(await create_contact(client, tenant.headers, account["id"]))["id"] for _ in "abc"]
        assert await listed_ids(client, tenant.headers) == made[::-1]
        assert await listed_ids(client, tenant.headers, sort="-createdAt") == made[::-1]
        assert await listed_ids(client, tenant.headers, sort="createdAt") == made

    @pytest.mark.parametrize("sort", ["-createdAt", "createdAt"])
    async def test_paging_visits_every_row_exactly_once(self, client, tenant, sort):
        account = await create_account(client, tenant.headers)
        made = [
            (await create_contact(client, tenant.headers, account["id"]))["id"] for _ in range(7)
        ]
        pages = []
        cursor = None
        while True:
            params = {"limit": 2, "sort": sort, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(CONTACTS, params=params, headers=tenant.headers)).json()
            pages.append([row["id"] for row in page["data"]])
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert [len(page) for page in pages] == [2, 2, 2, 1]
        seen = [contact_id for page in pages for contact_id in page]
        assert seen == (made if sort == "createdAt" else made[::-1])

    async def test_an_exactly_full_last_page_has_no_next_cursor(self, client, tenant):
        account = await create_account(client, tenant.headers)
        for _ in range(2):
            await create_contact(client, tenant.headers, account["id"])
        page = (await client.get(CONTACTS, params={"limit": 2}, headers=tenant.headers)).json()
        assert len(page["data"]) == 2
        assert page["nextCursor"] is None

    async def test_rows_inserted_while_paging_neither_repeat_nor_skip_older_ones(
        self, client, tenant
    ):
        account = await create_account(client, tenant.headers)
        made = [
            (await create_contact(client, tenant.headers, account["id"]))["id"] for _ in range(4)
        ]
        first = (await client.get(CONTACTS, params={"limit": 2}, headers=tenant.headers)).json()
        await create_contact(client, tenant.headers, account["id"])
        rest = await list_all(client, CONTACTS, tenant.headers, limit=2, cursor=first["nextCursor"])
        seen = [row["id"] for row in first["data"]] + [row["id"] for row in rest]
        assert seen == made[::-1]

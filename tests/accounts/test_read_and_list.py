"""GET /v1/accounts/{id} and GET /v1/accounts: references, filters, sorts and paging."""

import pytest

from tests.factories import assert_problem, create_account, list_all, unique


async def ids_of(client, headers, **params):
    response = await client.get("/v1/accounts", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [account["id"] for account in response.json()["data"]]


class TestGetOne:
    @pytest.mark.parametrize("key", ["id", "uid"])
    async def test_an_account_is_read_by_id_or_uid(self, client, tenant, key):
        account = await create_account(client, tenant.headers)
        response = await client.get(f"/v1/accounts/{account[key]}", headers=tenant.headers)
        assert response.status_code == 200
        assert response.json() == account

    async def test_the_uid_is_read_in_any_case(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.get(
            f"/v1/accounts/{account['uid'].lower()}", headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json() == account

    @pytest.mark.parametrize(
        "reference",
        ["999999999", "0", "-1", "9223372036854775808", "abc", "01J" + "Z" * 23, "1.5"],
    )
    async def test_a_reference_that_names_no_account_is_404(self, client, tenant, reference):
        response = await client.get(f"/v1/accounts/{reference}", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_a_deleted_account_is_404_unless_a_manager_asks_for_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        gone = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert_problem(gone, 404)
        shown = await client.get(
            f"/v1/accounts/{account['id']}?includeDeleted=true", headers=tenant.headers
        )
        assert shown.status_code == 200
        assert shown.json()["deletedAt"] is not None
        assert shown.json()["isActive"] is False

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_on_one_account_is_403_below_admin(self, client, tenant, role):
        account = await create_account(client, tenant.headers)
        headers = await tenant.member(role)
        response = await client.get(
            f"/v1/accounts/{account['id']}?includeDeleted=true", headers=headers
        )
        assert_problem(response, 403)


class TestListFilters:
    async def test_q_matches_part_of_the_name_in_any_case(self, client, tenant):
        hit = await create_account(client, tenant.headers, name="Wayne Enterprises")
        also = await create_account(client, tenant.headers, name="ENTERPRISE Holdings")
        await create_account(client, tenant.headers, name="Stark Industries")
        assert await ids_of(client, tenant.headers, q="eNtErPrIsE") == [also["id"], hit["id"]]

    async def test_q_ignores_the_case_of_non_ascii_letters_too(self, client, tenant):
        hit = await create_account(client, tenant.headers, name="École Übersee")
        for q in ("École", "école", "ÉCOLE", "übersee", "ÜBERSEE"):
            assert await ids_of(client, tenant.headers, q=q) == [hit["id"]], q

    @pytest.mark.parametrize("wildcard", ["%", "_"])
    async def test_q_treats_sql_wildcards_literally(self, client, tenant, wildcard):
        hit = await create_account(client, tenant.headers, name=f"100{wildcard} Cotton")
        await create_account(client, tenant.headers, name="Plain Name")
        assert await ids_of(client, tenant.headers, q=wildcard) == [hit["id"]]

    async def test_primary_domain_matches_exactly_in_any_case(self, client, tenant):
        domain = unique("filter") + ".com"
        hit = await create_account(client, tenant.headers, primaryDomain=domain)
        await create_account(client, tenant.headers, primaryDomain="sub." + domain)
        assert await ids_of(client, tenant.headers, primaryDomain=domain.upper()) == [hit["id"]]

    async def test_industry_matches_exactly(self, client, tenant):
        hit = await create_account(client, tenant.headers, industry="Retail")
        await create_account(client, tenant.headers, industry="Retail Banking")
        await create_account(client, tenant.headers)
        assert await ids_of(client, tenant.headers, industry="Retail") == [hit["id"]]

    async def test_is_active_filters_on_the_flag(self, client, tenant):
        active = await create_account(client, tenant.headers)
        inactive = await create_account(client, tenant.headers)
        patched = await client.patch(
            f"/v1/accounts/{inactive['id']}", json={"isActive": False}, headers=tenant.headers
        )
        assert patched.status_code == 200
        assert await ids_of(client, tenant.headers, isActive="false") == [inactive["id"]]
        assert await ids_of(client, tenant.headers, isActive="true") == [active["id"]]

    @pytest.mark.parametrize("role", ["OWNER", "ADMIN"])
    async def test_include_deleted_lists_deleted_accounts_for_managers(self, client, tenant, role):
        headers = tenant.headers if role == "OWNER" else await tenant.member(role)
        live = await create_account(client, tenant.headers)
        deleted = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{deleted['id']}", headers=tenant.headers)
        assert await ids_of(client, headers) == [live["id"]]
        assert await ids_of(client, headers, includeDeleted="true") == [
            deleted["id"],
            live["id"],
        ]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_403_below_admin(self, client, tenant, role):
        headers = await tenant.member(role)
        response = await client.get("/v1/accounts?includeDeleted=true", headers=headers)
        assert_problem(response, 403)


class TestListRefusesBadQueries:
    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("limit=0", "limit"),
            ("limit=201", "limit"),
            ("limit=-1", "limit"),
            ("limit=ten", "limit"),
            ("sort=name", "sort"),
            ("sort=-activityTimestamp", "sort"),
            ("isActive=maybe", "isActive"),
            ("includeDeleted=perhaps", "includeDeleted"),
            ("primaryDomain=localhost", "primaryDomain"),
            ("q=a%00b", "q"),
            ("acountId=1", "acountId"),
            ("page=2", "page"),
        ],
    )
    async def test_a_bad_parameter_is_422_naming_it(self, client, tenant, query, field):
        response = await client.get(f"/v1/accounts?{query}", headers=tenant.headers)
        assert_problem(response, 422, field)

    @pytest.mark.parametrize("limit", ["1", "200"])
    async def test_limit_bounds_are_inclusive(self, client, tenant, limit):
        response = await client.get(f"/v1/accounts?limit={limit}", headers=tenant.headers)
        assert response.status_code == 200

    @pytest.mark.parametrize("cursor", ["garbage", "a.b", "%%%", "x" * 300, "W10.AAAA"])
    async def test_a_cursor_the_service_did_not_issue_is_400(self, client, tenant, cursor):
        response = await client.get(
            "/v1/accounts", params={"cursor": cursor}, headers=tenant.headers
        )
        assert_problem(response, 400)

    async def test_a_tampered_cursor_is_400(self, client, tenant):
        for _ in range(3):
            await create_account(client, tenant.headers)
        page = (await client.get("/v1/accounts?limit=1", headers=tenant.headers)).json()
        body, signature = page["nextCursor"].split(".")
        forged = body[:-1] + ("A" if body[-1] != "A" else "B") + "." + signature
        response = await client.get(
            "/v1/accounts", params={"limit": 1, "cursor": forged}, headers=tenant.headers
        )
        assert_problem(response, 400)

    async def test_a_cursor_of_another_sort_order_is_400(self, client, tenant):
        for _ in range(2):
            await create_account(client, tenant.headers)
        page = (await client.get("/v1/accounts?limit=1", headers=tenant.headers)).json()
        response = await client.get(
            "/v1/accounts",
            params={"limit": 1, "sort": "createdAt", "cursor": page["nextCursor"]},
            headers=tenant.headers,
        )
        assert_problem(response, 400)


class TestSortingAndPaging:
    async def test_newest_first_by_default_and_oldest_first_on_request(self, client, tenant):
        made = [(await create_account(client, tenant.headers))["id"] for _ in range(3)]
        assert await ids_of(client, tenant.headers) == made[::-1]
        assert await ids_of(client, tenant.headers, sort="-createdAt") == made[::-1]
        assert await ids_of(client, tenant.headers, sort="createdAt") == made

    async def test_updated_at_sorts_by_the_last_change(self, client, tenant):
        first, second, third = [await create_account(client, tenant.headers) for _ in range(3)]
        response = await client.patch(
            f"/v1/accounts/{first['id']}", json={"industry": "Changed"}, headers=tenant.headers
        )
        assert response.status_code == 200
        expected = [second["id"], third["id"], first["id"]]
        assert await ids_of(client, tenant.headers, sort="updatedAt") == expected
        assert await ids_of(client, tenant.headers, sort="-updatedAt") == expected[::-1]

    @pytest.mark.parametrize("sort", ["-createdAt", "createdAt", "-updatedAt", "updatedAt"])
    async def test_paging_visits_every_account_once_and_ends_with_null(self, client, tenant, sort):
        made = {(await create_account(client, tenant.headers))["id"] for _ in range(7)}
        first = (
            await client.get(f"/v1/accounts?limit=3&sort={sort}", headers=tenant.headers)
        ).json()
        assert len(first["data"]) == 3
        assert first["nextCursor"] is not None
        seen = [
            row["id"]
            for row in await list_all(client, "/v1/accounts", tenant.headers, limit=3, sort=sort)
        ]
        assert len(seen) == len(set(seen)) == 7
        assert set(seen) == made
        assert seen == await ids_of(client, tenant.headers, sort=sort, limit=200)

    async def test_a_page_that_ends_exactly_at_the_last_row_has_a_null_cursor(self, client, tenant):
        for _ in range(2):
            await create_account(client, tenant.headers)
        page = (await client.get("/v1/accounts?limit=2", headers=tenant.headers)).json()
        assert len(page["data"]) == 2
        assert page["nextCursor"] is None

    async def test_paging_stays_correct_while_accounts_are_inserted(self, client, tenant):
        made = [(await create_account(client, tenant.headers))["id"] for _ in range(5)]
        page = (await client.get("/v1/accounts?limit=2", headers=tenant.headers)).json()
        seen = [row["id"] for row in page["data"]]
        await create_account(client, tenant.headers)
        cursor = page["nextCursor"]
        while cursor:
            page = (
                await client.get(
                    "/v1/accounts", params={"limit": 2, "cursor": cursor}, headers=tenant.headers
                )
            ).json()
            seen += [row["id"] for row in page["data"]]
            cursor = page["nextCursor"]
        assert seen == made[::-1]

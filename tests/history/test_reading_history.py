"""Reading history obeys tenancy and roles, and pages newest first by cursor."""

import pytest

from tests.factories import assert_problem, create_account, create_activity, create_contact
from tests.history.helpers import history, history_path

KINDS = ["accounts", "activities", "contacts"]


async def make(client, tenant, kind):
    """A live resource of `kind`, created by the owner."""
    account = await create_account(client, tenant.headers)
    if kind == "accounts":
        return account
    if kind == "activities":
        return await create_activity(client, tenant.headers, account["id"])
    return await create_contact(client, tenant.headers, account["id"])


async def make_deleted(client, tenant, kind):
    row = await make(client, tenant, kind)
    response = await client.delete(f"/v1/{kind}/{row['id']}", headers=tenant.headers)
    assert response.status_code == 204
    return row


@pytest.mark.parametrize("kind", KINDS)
class TestTenancy:
    async def test_another_organizations_resource_is_404(self, client, tenant, other_tenant, kind):
        theirs = await make(client, other_tenant, kind)
        for reference in (theirs["id"], theirs["uid"]):
            response = await client.get(history_path(kind, reference), headers=tenant.headers)
            assert_problem(response, 404)
            assert "create" not in response.text

    @pytest.mark.parametrize("reference", ["999999999999", "nope", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])
    async def test_a_reference_to_nothing_is_404(self, client, tenant, kind, reference):
        assert_problem(await client.get(history_path(kind, reference), headers=tenant.headers), 404)

    async def test_the_uid_reads_the_same_history_as_the_id(self, client, tenant, kind):
        row = await make(client, tenant, kind)
        by_id = await history(client, tenant.headers, kind, row["id"])
        assert await history(client, tenant.headers, kind, row["uid"].lower()) == by_id
        assert len(by_id) == 1

    async def test_without_credentials_it_is_401(self, client, tenant, kind):
        row = await make(client, tenant, kind)
        headers = {k: v for k, v in tenant.headers.items() if k != "X-API-Key"}
        assert_problem(await client.get(history_path(kind, row["id"]), headers=headers), 401)


@pytest.mark.parametrize("kind", KINDS)
class TestRoles:
    @pytest.mark.parametrize("role", ["OWNER", "ADMIN", "MEMBER", "VIEWER"])
    async def test_every_role_reads_a_live_resources_history(self, client, tenant, kind, role):
        row = await make(client, tenant, kind)
        headers = await tenant.member(role)
        response = await client.get(history_path(kind, row["id"]), headers=headers)
        assert response.status_code == 200, response.text
        assert [e["action"] for e in response.json()["data"]] == ["create"]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_deleted_resources_history_is_404_to_members_and_viewers(
        self, client, tenant, kind, role
    ):
        row = await make_deleted(client, tenant, kind)
        headers = await tenant.member(role)
        assert_problem(await client.get(history_path(kind, row["id"]), headers=headers), 404)

    @pytest.mark.parametrize("role", ["OWNER", "ADMIN"])
    async def test_a_deleted_resources_history_is_readable_by_admins_and_owners(
        self, client, tenant, kind, role
    ):
        row = await make_deleted(client, tenant, kind)
        headers = await tenant.member(role)
        response = await client.get(history_path(kind, row["id"]), headers=headers)
        assert response.status_code == 200, response.text
        assert [e["action"] for e in response.json()["data"]] == ["delete", "create"]

    async def test_a_removed_member_may_not_read_history(self, client, tenant, kind):
        row = await make(client, tenant, kind)
        viewer = await tenant.member("VIEWER")
        removed = await client.delete(f"/v1/members/{viewer['X-User-Id']}", headers=tenant.headers)
        assert removed.status_code == 204
        assert_problem(await client.get(history_path(kind, row["id"]), headers=viewer), 403)


class TestPaging:
    async def test_pages_visit_every_entry_once_newest_first(self, client, tenant):
        account = await create_account(client, tenant.headers)
        path = f"/v1/accounts/{account['id']}"
        for n in range(6):
            body = {"description": f"version {n}"}
            assert (await client.patch(path, json=body, headers=tenant.headers)).status_code == 200
        everything = await history(client, tenant.headers, "accounts", account["id"])
        assert len(everything) == 7
        seen, cursor, pages = [], None, 0
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            response = await client.get(f"{path}/history", params=params, headers=tenant.headers)
            assert response.status_code == 200, response.text
            page = response.json()
            assert len(page["data"]) <= 3
            seen += page["data"]
            pages += 1
            if not (cursor := page["nextCursor"]):
                break
        assert pages == 3
        assert seen == everything
        assert len({e["id"] for e in seen}) == 7
        assert [e["changes"]["description"]["new"] for e in seen[:6]] == [
            f"version {n}" for n in reversed(range(6))
        ]
        assert seen[-1]["action"] == "create"

    async def test_an_entry_added_while_paging_does_not_shift_the_pages(self, client, tenant):
        account = await create_account(client, tenant.headers)
        path = f"/v1/accounts/{account['id']}"
        for n in range(3):
            await client.patch(path, json={"industry": f"i{n}"}, headers=tenant.headers)
        first = (
            await client.get(f"{path}/history", params={"limit": 2}, headers=tenant.headers)
        ).json()
        await client.patch(path, json={"industry": "newest"}, headers=tenant.headers)
        rest = await history(client, tenant.headers, "accounts", account["id"])
        params = {"limit": 200, "cursor": first["nextCursor"]}
        second = (await client.get(f"{path}/history", params=params, headers=tenant.headers)).json()
        assert [e["id"] for e in first["data"] + second["data"]] == [e["id"] for e in rest[1:]]
        assert second["nextCursor"] is None

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"order": "asc"}, "order")],
    )
    async def test_bad_query_parameters_are_422(self, client, tenant, params, field):
        account = await create_account(client, tenant.headers)
        response = await client.get(
            history_path("accounts", account["id"]), params=params, headers=tenant.headers
        )
        assert_problem(response, 422, field)

    async def test_a_cursor_the_service_did_not_issue_is_400(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.get(
            history_path("accounts", account["id"]),
            params={"cursor": "not-a-cursor"},
            headers=tenant.headers,
        )
        assert_problem(response, 400)

    async def test_a_cursor_of_another_list_is_400(self, client, tenant):
        for _ in range(2):
            await create_account(client, tenant.headers)
        page = (
            await client.get("/v1/accounts", params={"limit": 1}, headers=tenant.headers)
        ).json()
        account = page["data"][0]
        response = await client.get(
            history_path("accounts", account["id"]),
            params={"cursor": page["nextCursor"]},
            headers=tenant.headers,
        )
        assert_problem(response, 400)

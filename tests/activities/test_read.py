"""GET /v1/activities/{id}: by id or uid; anything else is a 404 problem."""

import pytest
from ulid import ULID

from tests.activities.helpers import ACTIVITIES, read
from tests.factories import assert_problem, create_account, create_activity


async def one_activity(client, tenant, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, tenant.headers, account["id"], **overrides)


class TestReadById:
    async def test_an_activity_reads_back_by_its_id(self, client, tenant):
        created = await one_activity(client, tenant, title="Kick-off")
        assert await read(client, tenant.headers, created["id"]) == created

    async def test_an_activity_reads_back_by_its_uid(self, client, tenant):
        created = await one_activity(client, tenant)
        assert await read(client, tenant.headers, created["uid"]) == created

    async def test_a_lower_case_uid_names_the_same_activity(self, client, tenant):
        created = await one_activity(client, tenant)
        assert await read(client, tenant.headers, created["uid"].lower()) == created

    async def test_each_id_reads_its_own_activity(self, client, tenant):
        first = await one_activity(client, tenant, title="first")
        second = await one_activity(client, tenant, title="second")
        assert (await read(client, tenant.headers, first["id"]))["title"] == "first"
        assert (await read(client, tenant.headers, second["uid"]))["title"] == "second"

    async def test_a_member_reads_what_another_member_created(self, client, tenant):
        created = await one_activity(client, tenant)
        viewer = await tenant.member("VIEWER")
        assert await read(client, viewer, created["id"]) == created


class TestReadMissing:
    async def test_an_unknown_id_is_404(self, client, tenant):
        await one_activity(client, tenant)
        response = await client.get(f"{ACTIVITIES}/9223372036854775807", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_an_unknown_uid_is_404(self, client, tenant):
        await one_activity(client, tenant)
        response = await client.get(f"{ACTIVITIES}/{ULID()}", headers=tenant.headers)
        assert_problem(response, 404)

    @pytest.mark.parametrize(
        "reference",
        [
            "abc",
            "0",
            "-1",
            "1.0",
            "1e3",
            "+1",
            "%201",
            "9223372036854775808",
            "99999999999999999999999999",
            "0" * 30 + "1",
            "8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "01ARZ3NDEKTSV4RRFFQ69G5FA",
            "01ARZ3NDEKTSV4RRFFQ69G5FAVX",
            "01ARZ3NDEKTSV4RRFFQ69G5FAU",
            "١٢٣",
            "null",
            "%00",
        ],
    )
    async def test_a_reference_that_can_name_no_activity_is_404(self, client, tenant, reference):
        await one_activity(client, tenant)
        response = await client.get(f"{ACTIVITIES}/{reference}", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_another_organizations_activity_is_404_like_a_missing_one(
        self, client, tenant, other_tenant
    ):
        foreign = await one_activity(client, other_tenant)
        missing = await client.get(f"{ACTIVITIES}/{ULID()}", headers=tenant.headers)
        for reference in (foreign["id"], foreign["uid"], foreign["uid"].lower()):
            response = await client.get(f"{ACTIVITIES}/{reference}", headers=tenant.headers)
            problem = assert_problem(response, 404)
            assert {k: problem[k] for k in ("type", "title", "status")} == {
                k: missing.json()[k] for k in ("type", "title", "status")
            }
            assert "errors" not in problem

    async def test_a_soft_deleted_activity_is_404(self, client, tenant):
        created = await one_activity(client, tenant)
        response = await client.delete(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        assert response.status_code == 204
        for reference in (created["id"], created["uid"]):
            response = await client.get(f"{ACTIVITIES}/{reference}", headers=tenant.headers)
            assert_problem(response, 404)


class TestReadDeleted:
    @pytest.mark.parametrize("role", ["OWNER", "ADMIN"])
    async def test_a_manager_reads_a_deleted_activity_with_include_deleted(
        self, client, tenant, role
    ):
        created = await one_activity(client, tenant)
        await client.delete(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        headers = tenant.headers if role == "OWNER" else await tenant.member(role)
        deleted = await read(client, headers, created["uid"], includeDeleted="true")
        assert deleted["isActive"] is False
        assert deleted["deletedAt"] is not None
        assert deleted["deletedAt"].endswith("Z")

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_403_below_admin(self, client, tenant, role):
        created = await one_activity(client, tenant)
        response = await client.get(
            f"{ACTIVITIES}/{created['id']}",
            params={"includeDeleted": "true"},
            headers=await tenant.member(role),
        )
        assert_problem(response, 403)

    async def test_include_deleted_still_reads_a_live_activity(self, client, tenant):
        created = await one_activity(client, tenant)
        assert await read(client, tenant.headers, created["id"], includeDeleted="true") == created


class TestSingleActivityQueryParameters:
    @pytest.mark.parametrize(
        ("method", "suffix", "body"),
        [
            ("GET", "", None),
            ("PATCH", "", {"title": "x"}),
            ("DELETE", "", None),
            ("POST", "/restore", None),
        ],
    )
    async def test_an_unknown_query_parameter_is_422_and_changes_nothing(
        self, client, tenant, method, suffix, body
    ):
        created = await one_activity(client, tenant)
        response = await client.request(
            method,
            f"{ACTIVITIES}/{created['id']}{suffix}",
            params={"includedeleted": "true"},
            json=body,
            headers=tenant.headers,
        )
        assert_problem(response, 422, "includedeleted")
        assert await read(client, tenant.headers, created["id"]) == created

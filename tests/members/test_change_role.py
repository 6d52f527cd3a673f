"""PATCH /v1/members/{userId}: change a member's role; the last OWNER cannot be demoted."""

import pytest

from tests.factories import account_body, assert_problem
from tests.members.helpers import MEMBERS, roles


async def change(client, headers, user_id, role):
    return await client.patch(f"{MEMBERS}/{user_id}", json={"role": role}, headers=headers)


class TestChangeRefusesBadBodies:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "role"),
            ({"role": "ROOT"}, "role"),
            ({"role": None}, "role"),
            ({"role": "ADMIN", "email": "x@example.com"}, "email"),
        ],
    )
    async def test_a_bad_body_is_422_and_the_role_stays(self, client, tenant, body, field):
        viewer = await tenant.member("VIEWER")
        before = await roles(client, tenant.headers)
        response = await client.patch(
            f"{MEMBERS}/{viewer['X-User-Id']}", json=body, headers=tenant.headers
        )
        assert_problem(response, 422, field)
        assert await roles(client, tenant.headers) == before


class TestChangeOfSomeoneNotHere:
    async def test_another_organizations_user_is_404_and_keeps_their_role(
        self, client, tenant, other_tenant
    ):
        theirs = await other_tenant.member("VIEWER")
        before = await roles(client, other_tenant.headers)
        response = await change(client, tenant.headers, theirs["X-User-Id"], "ADMIN")
        assert_problem(response, 404)
        assert await roles(client, other_tenant.headers) == before

    async def test_the_owner_of_another_organization_is_404(self, client, tenant, other_tenant):
        response = await change(client, tenant.headers, other_tenant.user_id, "VIEWER")
        assert_problem(response, 404)
        assert (await roles(client, other_tenant.headers))[other_tenant.user_id] == "OWNER"

    @pytest.mark.parametrize("user_id", ["999999999999", "abc", "0", "-1", "9" * 30])
    async def test_an_id_that_names_no_member_is_404(self, client, tenant, user_id):
        assert_problem(await change(client, tenant.headers, user_id, "VIEWER"), 404)


class TestWhoMayChangeRoles:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_change_roles_not_even_their_own(
        self, client, tenant, role
    ):
        actor = await tenant.member(role)
        target = await tenant.member("VIEWER")
        before = await roles(client, tenant.headers)
        for user_id in (target["X-User-Id"], actor["X-User-Id"]):
            assert_problem(await change(client, actor, user_id, "ADMIN"), 403)
        assert await roles(client, tenant.headers) == before

    async def test_an_admin_may_not_promote_to_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        target = await tenant.member("MEMBER")
        before = await roles(client, tenant.headers)
        for user_id in (target["X-User-Id"], admin["X-User-Id"]):
            assert_problem(await change(client, admin, user_id, "OWNER"), 403)
        assert await roles(client, tenant.headers) == before

    async def test_an_admin_may_not_demote_an_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        await tenant.member("OWNER")  # a second owner: demotion would not leave none
        before = await roles(client, tenant.headers)
        assert_problem(await change(client, admin, tenant.user_id, "ADMIN"), 403)
        assert await roles(client, tenant.headers) == before

    async def test_an_admin_changes_roles_below_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        target = await tenant.member("VIEWER")
        response = await change(client, admin, target["X-User-Id"], "ADMIN")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["userId"], body["role"]) == (target["X-User-Id"], "ADMIN")
        assert set(body) == {"userId", "email", "name", "role", "createdAt"}
        assert (await roles(client, tenant.headers))[target["X-User-Id"]] == "ADMIN"

    async def test_an_owner_promotes_a_member_to_owner(self, client, tenant):
        target = await tenant.member("MEMBER")
        response = await change(client, tenant.headers, target["X-User-Id"], "OWNER")
        assert (response.status_code, response.json()["role"]) == (200, "OWNER")
        assert (await roles(client, tenant.headers))[target["X-User-Id"]] == "OWNER"


class TestTheLastOwner:
    @pytest.mark.parametrize("role", ["ADMIN", "MEMBER", "VIEWER"])
    async def test_the_last_owner_cannot_demote_themself(self, client, tenant, role):
        await tenant.member("ADMIN")
        before = await roles(client, tenant.headers)
        assert_problem(await change(client, tenant.headers, tenant.user_id, role), 409)
        assert await roles(client, tenant.headers) == before

    async def test_with_two_owners_one_may_be_demoted_but_then_not_the_other(self, client, tenant):
        second = await tenant.member("OWNER")
        response = await change(client, tenant.headers, second["X-User-Id"], "VIEWER")
        assert (response.status_code, response.json()["role"]) == (200, "VIEWER")
        before = await roles(client, tenant.headers)
        assert_problem(await change(client, tenant.headers, tenant.user_id, "ADMIN"), 409)
        assert await roles(client, tenant.headers) == before

    async def test_setting_the_last_owner_to_owner_again_is_allowed(self, client, tenant):
        response = await change(client, tenant.headers, tenant.user_id, "OWNER")
        assert (response.status_code, response.json()["role"]) == (200, "OWNER")


class TestANewRoleTakesEffectAtOnce:
    async def test_a_viewer_made_member_may_write_on_the_next_request(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        assert (
            await change(client, tenant.headers, viewer["X-User-Id"], "MEMBER")
        ).status_code == 200
        response = await client.post("/v1/accounts", json=account_body(), headers=viewer)
        assert response.status_code == 201, response.text

    async def test_a_member_made_viewer_may_not_write_on_the_next_request(self, client, tenant):
        member = await tenant.member("MEMBER")
        assert (
            await change(client, tenant.headers, member["X-User-Id"], "VIEWER")
        ).status_code == 200
        response = await client.post("/v1/accounts", json=account_body(), headers=member)
        assert_problem(response, 403)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []

    async def test_an_admin_made_member_may_no_longer_manage_members(self, client, tenant):
        admin = await tenant.member("ADMIN")
        assert (
            await change(client, tenant.headers, admin["X-User-Id"], "MEMBER")
        ).status_code == 200
        target = await tenant.member("VIEWER")
        before = await roles(client, tenant.headers)
        assert_problem(await change(client, admin, target["X-User-Id"], "MEMBER"), 403)
        assert await roles(client, tenant.headers) == before

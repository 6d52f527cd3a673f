"""POST /v1/members: add a user by email with a role; a new user gets a one-time password."""

import pytest

from tests.factories import PASSWORD, assert_problem
from tests.members.helpers import (
    MEMBERS,
    add_member,
    member_list,
    new_email,
    signed_in,
    token_for,
)


class TestAddRefusesBadBodies:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"email": "not-an-email", "role": "MEMBER"}, "email"),
            ({"email": "two@@example.com"}, "email"),
            ({"email": "", "role": "MEMBER"}, "email"),
            ({"role": "MEMBER"}, "email"),
            ({"email": "ok@example.com", "role": "SUPERUSER"}, "role"),
            ({"email": "ok@example.com", "role": "owner"}, "role"),
            ({"email": "ok@example.com", "role": None}, "role"),
            ({"email": "ok@example.com", "admin": True}, "admin"),
            ({"email": "ok@example.com", "password": "chosen"}, "password"),
            ({"email": "ok@example.com", "userId": "1"}, "userId"),
            ({"email": "ok@example.com", "name": ""}, "name"),
            ({"email": "ok@example.com", "name": "a\u0000b"}, "name"),
        ],
    )
    async def test_a_bad_body_is_422_naming_the_field_and_adds_no_one(
        self, client, tenant, body, field
    ):
        before = await member_list(client, tenant.headers)
        response = await client.post(MEMBERS, json=body, headers=tenant.headers)
        assert_problem(response, 422, field)
        assert await member_list(client, tenant.headers) == before

    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant):
        response = await client.post(MEMBERS, json=["a@example.com"], headers=tenant.headers)
        assert_problem(response, 400)


class TestAddingSomeoneTwice:
    async def test_adding_an_existing_member_is_409_and_keeps_their_role(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        (row,) = [
            r
            for r in await member_list(client, tenant.headers)
            if r["userId"] == viewer["X-User-Id"]
        ]
        before = await member_list(client, tenant.headers)
        response = await client.post(
            MEMBERS, json={"email": row["email"].upper(), "role": "ADMIN"}, headers=tenant.headers
        )
        assert_problem(response, 409)
        assert await member_list(client, tenant.headers) == before

    async def test_adding_the_owner_again_is_409(self, client, tenant):
        before = await member_list(client, tenant.headers)
        response = await client.post(MEMBERS, json={"email": tenant.email}, headers=tenant.headers)
        assert_problem(response, 409)
        assert await member_list(client, tenant.headers) == before


class TestWhoMayAdd:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_add_anyone(self, client, tenant, role):
        headers = await tenant.member(role)
        before = await member_list(client, tenant.headers)
        response = await client.post(
            MEMBERS, json={"email": new_email(), "role": "VIEWER"}, headers=headers
        )
        assert_problem(response, 403)
        assert await member_list(client, tenant.headers) == before

    async def test_an_admin_may_not_make_an_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        before = await member_list(client, tenant.headers)
        email = new_email()
        response = await client.post(MEMBERS, json={"email": email, "role": "OWNER"}, headers=admin)
        assert_problem(response, 403)
        assert await member_list(client, tenant.headers) == before
        # Nor was the user created on the side: the owner can add them as new, with a password.
        assert (await add_member(client, tenant.headers, email))["oneTimePassword"]

    @pytest.mark.parametrize("role", ["ADMIN", "MEMBER", "VIEWER"])
    async def test_an_admin_adds_any_role_below_owner(self, client, tenant, role):
        admin = await tenant.member("ADMIN")
        added = await add_member(client, admin, new_email(), role)
        assert added["role"] == role
        listed = {r["userId"]: r["role"] for r in await member_list(client, tenant.headers)}
        assert listed[added["userId"]] == role

    async def test_an_owner_makes_another_owner(self, client, tenant):
        added = await add_member(client, tenant.headers, new_email(), "OWNER")
        listed = {r["userId"]: r["role"] for r in await member_list(client, tenant.headers)}
        assert listed[added["userId"]] == "OWNER"


class TestAddingANewUser:
    async def test_the_response_is_201_with_location_role_and_a_one_time_password(
        self, client, tenant
    ):
        email = new_email()
        response = await client.post(
            MEMBERS, json={"email": email, "name": "  Ada Lovelace "}, headers=tenant.headers
        )
        assert response.status_code == 201, response.text
        added = response.json()
        assert response.headers["Location"] == f"/v1/members/{added['userId']}"
        assert added["email"] == email
        assert added["name"] == "Ada Lovelace"
        assert added["role"] == "MEMBER"
        assert added["createdAt"].endswith("Z")
        assert isinstance(added["oneTimePassword"], str)
        assert len(added["oneTimePassword"]) >= 12

    async def test_the_email_is_stored_lower_cased_and_the_name_defaults_to_its_local_part(
        self, client, tenant
    ):
        email = new_email()
        added = await add_member(client, tenant.headers, email.upper())
        assert added["email"] == email
        assert added["name"] == email.split("@")[0]

    async def test_the_one_time_password_signs_in_and_the_new_member_can_act(self, client, tenant):
        email = new_email()
        added = await add_member(client, tenant.headers, email, "VIEWER")
        token = await token_for(
            client, tenant.api_key, tenant.org_id, email, added["oneTimePassword"]
        )
        assert token.status_code == 200, token.text
        me = await client.get("/v1/me", headers=signed_in(tenant, token.json()["accessToken"]))
        assert me.status_code == 200
        assert me.json()["userId"] == added["userId"]
        assert [o["role"] for o in me.json()["organizations"]] == ["VIEWER"]

    async def test_the_password_is_never_shown_again(self, client, tenant):
        added = await add_member(client, tenant.headers, new_email())
        password = added["oneTimePassword"]
        listed = await client.get(MEMBERS, headers=tenant.headers)
        assert listed.status_code == 200
        assert password not in listed.text
        assert all("oneTimePassword" not in row for row in listed.json()["data"])
        (row,) = [r for r in listed.json()["data"] if r["userId"] == added["userId"]]
        assert row == {k: v for k, v in added.items() if k != "oneTimePassword"}

    async def test_two_new_users_get_different_passwords(self, client, tenant):
        first = await add_member(client, tenant.headers, new_email())
        second = await add_member(client, tenant.headers, new_email())
        assert first["oneTimePassword"] != second["oneTimePassword"]


class TestAddingAnExistingUser:
    async def test_a_user_of_another_organization_joins_with_no_new_password(
        self, client, tenant, other_tenant
    ):
        added = await add_member(client, tenant.headers, other_tenant.email, "ADMIN")
        assert added["userId"] == other_tenant.user_id
        assert added["oneTimePassword"] is None
        # Their own password still works, now in this organization too.
        token = await token_for(client, tenant.api_key, tenant.org_id, other_tenant.email, PASSWORD)
        assert token.status_code == 200, token.text
        # Their role in their own organization is untouched.
        listed = {r["userId"]: r["role"] for r in await member_list(client, other_tenant.headers)}
        assert listed[other_tenant.user_id] == "OWNER"

    async def test_the_list_is_in_joining_order_and_pages_visit_everyone_once(self, client, tenant):
        added = [await add_member(client, tenant.headers, new_email()) for _ in range(4)]
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(MEMBERS, params=params, headers=tenant.headers)).json()
            assert len(page["data"]) <= 2
            seen += [row["userId"] for row in page["data"]]
            if not (cursor := page["nextCursor"]):
                break
        assert seen == [tenant.user_id] + [a["userId"] for a in added]

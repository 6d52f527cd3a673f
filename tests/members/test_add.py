"""POST /v1/members invites an email; GET and DELETE /v1/members/invitations manage invitations.

Inviting creates no user and no membership, and answers the same whether or not the email has a
user anywhere: an organization's admins learn nothing about other organizations.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import assert_problem, list_all
from tests.members.helpers import (
    INVITATIONS,
    MEMBERS,
    accept,
    add_member,
    expire,
    invite,
    member_list,
    new_email,
)
from touchpoint.models import invitations, users

INVITATION_KEYS = {"id", "email", "role", "status", "expiresAt"}


async def open_invitations(client, headers):
    return await list_all(client, INVITATIONS, headers)


async def users_with_email(service, email):
    async with service.app.state.engine.connect() as connection:
        statement = select(func.count()).select_from(users).where(users.c.email == email)
        return (await connection.execute(statement)).scalar_one()


class TestInvitingRefusesBadBodies:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"role": "MEMBER"}, "email"),
            ({"email": "not-an-email", "role": "MEMBER"}, "email"),
            ({"email": "two@@example.com"}, "email"),
            ({"email": ""}, "email"),
            ({"email": "a" * 310 + "@example.com"}, "email"),
            ({"email": 5}, "email"),
            ({"email": "ok@example.com", "role": "SUPERUSER"}, "role"),
            ({"email": "ok@example.com", "role": "owner"}, "role"),
            ({"email": "ok@example.com", "role": None}, "role"),
            ({"email": "ok@example.com", "role": 1}, "role"),
            ({"email": "ok@example.com", "name": ""}, "name"),
            ({"email": "ok@example.com", "name": "a\u0000b"}, "name"),
            ({"email": "ok@example.com", "name": "n" * 256}, "name"),
            ({"email": "ok@example.com", "name": 5}, "name"),
            ({"email": "ok@example.com", "password": "chosen"}, "password"),
            ({"email": "ok@example.com", "userId": "1"}, "userId"),
            ({"email": "ok@example.com", "invitationToken": "tpi_x"}, "invitationToken"),
        ],
    )
    async def test_a_bad_body_is_422_naming_the_field_and_invites_no_one(
        self, client, tenant, body, field
    ):
        response = await client.post(MEMBERS, json=body, headers=tenant.headers)
        assert_problem(response, 422, field)
        assert await open_invitations(client, tenant.headers) == []

    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant):
        response = await client.post(MEMBERS, json=["a@example.com"], headers=tenant.headers)
        assert_problem(response, 400)


class TestWhoMayInvite:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_invite_list_or_revoke(self, client, tenant, role):
        headers = await tenant.member(role)
        invited = await invite(client, tenant.headers, new_email())
        response = await client.post(MEMBERS, json={"email": new_email()}, headers=headers)
        assert_problem(response, 403)
        assert_problem(await client.get(INVITATIONS, headers=headers), 403)
        revoke = await client.delete(f"{INVITATIONS}/{invited['id']}", headers=headers)
        assert_problem(revoke, 403)
        assert [i["id"] for i in await open_invitations(client, tenant.headers)] == [invited["id"]]

    async def test_an_admin_may_not_invite_an_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        response = await client.post(
            MEMBERS, json={"email": new_email(), "role": "OWNER"}, headers=admin
        )
        assert_problem(response, 403)
        assert await open_invitations(client, tenant.headers) == []

    async def test_an_admin_may_not_revoke_an_owners_invitation(self, client, tenant):
        admin = await tenant.member("ADMIN")
        invited = await invite(client, tenant.headers, new_email(), "OWNER")
        response = await client.delete(f"{INVITATIONS}/{invited['id']}", headers=admin)
        assert_problem(response, 403)
        assert len(await open_invitations(client, tenant.headers)) == 1

    @pytest.mark.parametrize("role", ["ADMIN", "MEMBER", "VIEWER"])
    async def test_an_admin_invites_any_role_below_owner(self, client, tenant, role):
        admin = await tenant.member("ADMIN")
        invited = await invite(client, admin, new_email(), role)
        assert invited["role"] == role
        listed = await open_invitations(client, admin)
        assert [(i["id"], i["role"]) for i in listed] == [(invited["id"], role)]

    async def test_an_owner_invites_an_owner_who_joins_as_owner(self, client, tenant):
        added = await add_member(client, tenant.headers, new_email(), "OWNER")
        roles = {row["userId"]: row["role"] for row in await member_list(client, tenant.headers)}
        assert roles[added["userId"]] == "OWNER"


class TestInvitingTwice:
    async def test_a_member_of_this_organization_in_any_case_is_409(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        (row,) = [
            r
            for r in await member_list(client, tenant.headers)
            if r["userId"] == viewer["X-User-Id"]
        ]
        response = await client.post(
            MEMBERS, json={"email": row["email"].upper(), "role": "ADMIN"}, headers=tenant.headers
        )
        assert_problem(response, 409)
        assert await open_invitations(client, tenant.headers) == []

    async def test_the_owner_is_409(self, client, tenant):
        response = await client.post(MEMBERS, json={"email": tenant.email}, headers=tenant.headers)
        assert_problem(response, 409)

    async def test_an_email_with_an_open_invitation_is_409(self, client, tenant):
        email = new_email()
        first = await invite(client, tenant.headers, email)
        response = await client.post(
            MEMBERS, json={"email": email.upper(), "role": "ADMIN"}, headers=tenant.headers
        )
        assert_problem(response, 409)
        assert await open_invitations(client, tenant.headers) == [
            {k: v for k, v in first.items() if k != "invitationToken"}
        ]

    async def test_two_concurrent_invitations_of_one_email_make_one(self, client, tenant):
        email = new_email()
        responses = await asyncio.gather(
            *(client.post(MEMBERS, json={"email": email}, headers=tenant.headers) for _ in "ab")
        )
        assert sorted(r.status_code for r in responses) == [201, 409]
        assert len(await open_invitations(client, tenant.headers)) == 1

    async def test_a_revoked_invitation_does_not_block_a_new_one(self, client, tenant):
        email = new_email()
        first = await invite(client, tenant.headers, email)
        revoked = await client.delete(f"{INVITATIONS}/{first['id']}", headers=tenant.headers)
        assert revoked.status_code == 204
        second = await invite(client, tenant.headers, email)
        assert second["id"] != first["id"]

    async def test_an_expired_invitation_does_not_block_a_new_one(self, client, service, tenant):
        email = new_email()
        first = await invite(client, tenant.headers, email)
        await expire(service, first["id"])
        second = await invite(client, tenant.headers, email)
        listed = await open_invitations(client, tenant.headers)
        assert [i["id"] for i in listed] == [second["id"]]

    async def test_the_same_email_may_be_invited_by_two_organizations(
        self, client, tenant, other_tenant
    ):
        email = new_email()
        await invite(client, tenant.headers, email)
        await invite(client, other_tenant.headers, email)


class TestTheAnswerRevealsNothingAboutTheUser:
    async def test_a_user_of_another_organization_and_a_new_email_get_the_same_answer(
        self, client, tenant, other_tenant
    ):
        known = await client.post(
            MEMBERS, json={"email": other_tenant.email, "name": "X"}, headers=tenant.headers
        )
        unknown = await client.post(
            MEMBERS, json={"email": new_email(), "name": "X"}, headers=tenant.headers
        )
        assert known.status_code == unknown.status_code == 201
        assert set(known.json()) == set(unknown.json()) == INVITATION_KEYS | {"invitationToken"}
        assert set(known.headers) == set(unknown.headers)
        assert other_tenant.user_id not in known.json().values()
        assert "Owner Person" not in known.text  # the existing user's name
        for answer in (known.json(), unknown.json()):
            assert answer["status"] == "PENDING"
            assert answer["role"] == "MEMBER"

    async def test_the_answer_is_201_with_location_a_token_and_a_seven_day_expiry(
        self, client, tenant
    ):
        email = new_email()
        before = datetime.now(UTC)
        response = await client.post(
            MEMBERS, json={"email": email.upper(), "role": "VIEWER"}, headers=tenant.headers
        )
        assert response.status_code == 201, response.text
        invited = response.json()
        assert response.headers["Location"] == f"{INVITATIONS}/{invited['id']}"
        assert invited["email"] == email
        assert invited["role"] == "VIEWER"
        assert invited["invitationToken"].startswith("tpi_")
        assert len(invited["invitationToken"]) >= 40
        expires = datetime.fromisoformat(invited["expiresAt"])
        assert before + timedelta(days=7) <= expires <= datetime.now(UTC) + timedelta(days=7)

    async def test_inviting_creates_no_user_and_no_membership(self, client, service, tenant):
        email = new_email()
        members_before = await member_list(client, tenant.headers)
        await invite(client, tenant.headers, email)
        assert await member_list(client, tenant.headers) == members_before
        assert await users_with_email(service, email) == 0

    async def test_tokens_differ_and_are_never_listed_or_stored(self, client, service, tenant):
        first = await invite(client, tenant.headers, new_email())
        second = await invite(client, tenant.headers, new_email())
        assert first["invitationToken"] != second["invitationToken"]
        listed = await client.get(INVITATIONS, headers=tenant.headers)
        assert first["invitationToken"] not in listed.text
        assert all(set(row) == INVITATION_KEYS for row in listed.json()["data"])
        async with service.app.state.engine.connect() as connection:
            rows = (await connection.execute(select(invitations))).all()
        secret = first["invitationToken"].removeprefix("tpi_")
        assert all(secret not in str(value) for row in rows for value in row)


class TestListingInvitations:
    async def test_only_open_invitations_are_listed(self, client, service, tenant):
        accepted = await invite(client, tenant.headers, new_email())
        response = await accept(
            client, tenant.headers, accepted["invitationToken"], accepted["email"]
        )
        assert response.status_code == 200
        revoked = await invite(client, tenant.headers, new_email())
        await client.delete(f"{INVITATIONS}/{revoked['id']}", headers=tenant.headers)
        expired = await invite(client, tenant.headers, new_email())
        await expire(service, expired["id"])
        pending = await invite(client, tenant.headers, new_email())
        assert [i["id"] for i in await open_invitations(client, tenant.headers)] == [pending["id"]]

    async def test_pages_visit_every_invitation_once_oldest_first(self, client, tenant):
        invited = [await invite(client, tenant.headers, new_email()) for _ in range(5)]
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get(INVITATIONS, params=params, headers=tenant.headers)).json()
            assert len(page["data"]) <= 2
            seen += [row["id"] for row in page["data"]]
            if not (cursor := page["nextCursor"]):
                break
        assert seen == [i["id"] for i in invited]

    async def test_another_organizations_invitations_are_not_listed(
        self, client, tenant, other_tenant
    ):
        await invite(client, other_tenant.headers, new_email())
        assert await open_invitations(client, tenant.headers) == []

    @pytest.mark.parametrize(
        ("params", "field"), [({"limit": 0}, "limit"), ({"limit": 201}, "limit")]
    )
    async def test_bad_paging_is_422(self, client, tenant, params, field):
        response = await client.get(INVITATIONS, params=params, headers=tenant.headers)
        assert_problem(response, 422, field)

    async def test_a_cursor_the_service_did_not_issue_is_400(self, client, tenant):
        response = await client.get(INVITATIONS, params={"cursor": "x.y"}, headers=tenant.headers)
        assert_problem(response, 400)


class TestRevoking:
    @pytest.mark.parametrize("invitation_id", ["999999999", "0", "abc"])
    async def test_an_unknown_invitation_is_404(self, client, tenant, invitation_id):
        response = await client.delete(f"{INVITATIONS}/{invitation_id}", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_another_organizations_invitation_is_404_and_stays_open(
        self, client, tenant, other_tenant
    ):
        theirs = await invite(client, other_tenant.headers, new_email())
        response = await client.delete(f"{INVITATIONS}/{theirs['id']}", headers=tenant.headers)
        assert_problem(response, 404)
        assert len(await open_invitations(client, other_tenant.headers)) == 1

    async def test_an_accepted_invitation_is_409(self, client, tenant):
        invited = await invite(client, tenant.headers, new_email())
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"]
        )
        assert response.status_code == 200
        revoke = await client.delete(f"{INVITATIONS}/{invited['id']}", headers=tenant.headers)
        assert_problem(revoke, 409)

    async def test_revoking_is_204_hides_it_and_its_token_no_longer_works(self, client, tenant):
        invited = await invite(client, tenant.headers, new_email())
        path = f"{INVITATIONS}/{invited['id']}"
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204
        assert await open_invitations(client, tenant.headers) == []
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"]
        )
        assert_problem(response, 401)
        assert (await client.delete(path, headers=tenant.headers)).status_code == 204

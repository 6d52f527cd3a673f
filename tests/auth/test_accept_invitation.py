"""POST /v1/auth/accept-invitation: an invited email joins, as a new user or an existing one.

Every refusal creates nothing: no user, no membership, and the invitation stays usable unless
it was used up.
"""

import asyncio
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from sqlalchemy import func, select, update

from tests.factories import PASSWORD, assert_problem
from tests.members.helpers import ACCEPT, INVITATIONS, accept, invite, member_list, new_email
from touchpoint.models import invitations, users

NEW_PASSWORD = "a new password of my own"


def key_headers(tenant):
    return {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}


async def user_count(service, email):
    async with service.app.state.engine.connect() as connection:
        statement = select(func.count()).select_from(users).where(users.c.email == email)
        return (await connection.execute(statement)).scalar_one()


async def sign_in(client, tenant, email, password):
    body = {"email": email, "password": password}
    return await client.post("/v1/auth/token", json=body, headers=key_headers(tenant))


def user_of(response):
    assert response.status_code == 200, response.text
    return jwt.decode(response.json()["accessToken"], options={"verify_signature": False})["sub"]


async def assert_nothing_created(client, service, tenant, members_before, email):
    assert await member_list(client, tenant.headers) == members_before
    if email is not None:
        assert await user_count(service, email) == 0


class TestAcceptRefusesBadBodies:
    @pytest.mark.parametrize(
        ("changes", "fields"),
        [
            ({"invitationToken": None, "email": None, "password": None},
             ("invitationToken", "email", "password")),
            ({"invitationToken": None}, ("invitationToken",)),
            ({"email": None}, ("email",)),
            ({"password": None}, ("password",)),
            ({"invitationToken": ""}, ("invitationToken",)),
            ({"invitationToken": "t" * 256}, ("invitationToken",)),
            ({"invitationToken": 5}, ("invitationToken",)),
            ({"email": "nope"}, ("email",)),
            ({"email": 5}, ("email",)),
            ({"password": ""}, ("password",)),
            ({"password": "p" * 1025}, ("password",)),
            ({"password": ["p"]}, ("password",)),
            ({"name": ""}, ("name",)),
            ({"name": 5}, ("name",)),
            ({"name": "n" * 256}, ("name",)),
            ({"name": "a\u0000b"}, ("name",)),
            ({"role": "OWNER"}, ("role",)),
        ],
    )  # fmt: skip
    async def test_an_invalid_body_is_422_naming_each_field(self, client, tenant, changes, fields):
        body = {"invitationToken": "tpi_x", "email": "a@example.com", "password": PASSWORD}
        body.update(changes)
        body = {k: v for k, v in body.items() if v is not None}  # None: the field is left out
        response = await client.post(ACCEPT, json=body, headers=key_headers(tenant))
        assert_problem(response, 422, *fields)

    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant):
        response = await client.post(ACCEPT, json=["tpi_x"], headers=key_headers(tenant))
        assert_problem(response, 400)

    @pytest.mark.parametrize("missing", ["X-API-Key", "X-Org-Id"])
    async def test_a_missing_key_or_org_is_401(self, client, tenant, missing):
        invited = await invite(client, tenant.headers, new_email())
        headers = {k: v for k, v in key_headers(tenant).items() if k != missing}
        body = {"invitationToken": invited["invitationToken"], "email": invited["email"]}
        response = await client.post(ACCEPT, json={**body, "password": PASSWORD}, headers=headers)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")


class TestAcceptRefusesBadTokens:
    async def test_an_unknown_token_is_401(self, client, service, tenant):
        before, email = await member_list(client, tenant.headers), new_email()
        response = await accept(client, tenant.headers, "tpi_" + "x" * 43, email)
        assert_problem(response, 401)
        await assert_nothing_created(client, service, tenant, before, email)

    async def test_a_used_token_is_401(self, client, service, tenant):
        invited = await invite(client, tenant.headers, new_email())
        first = await accept(client, tenant.headers, invited["invitationToken"], invited["email"])
        assert first.status_code == 200
        before = await member_list(client, tenant.headers)
        again = await accept(client, tenant.headers, invited["invitationToken"], invited["email"])
        assert_problem(again, 401)
        await assert_nothing_created(client, service, tenant, before, None)

    async def test_a_revoked_token_is_401(self, client, service, tenant):
        invited = await invite(client, tenant.headers, new_email())
        await client.delete(f"{INVITATIONS}/{invited['id']}", headers=tenant.headers)
        before = await member_list(client, tenant.headers)
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"]
        )
        assert_problem(response, 401)
        await assert_nothing_created(client, service, tenant, before, invited["email"])

    async def test_an_expired_token_is_401(self, client, service, tenant):
        invited = await invite(client, tenant.headers, new_email())
        async with service.app.state.engine.begin() as connection:
            await connection.execute(
                update(invitations)
                .where(invitations.c.id == int(invited["id"]))
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        before = await member_list(client, tenant.headers)
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"]
        )
        assert_problem(response, 401)
        await assert_nothing_created(client, service, tenant, before, invited["email"])

    async def test_a_token_for_another_email_is_401_and_stays_usable(self, client, service, tenant):
        invited = await invite(client, tenant.headers, new_email())
        before, intruder = await member_list(client, tenant.headers), new_email()
        response = await accept(client, tenant.headers, invited["invitationToken"], intruder)
        assert_problem(response, 401)
        await assert_nothing_created(client, service, tenant, before, intruder)
        right = await accept(client, tenant.headers, invited["invitationToken"], invited["email"])
        assert right.status_code == 200

    async def test_another_organizations_token_is_401_with_this_organizations_key(
        self, client, service, tenant, other_tenant
    ):
        theirs = await invite(client, other_tenant.headers, new_email())
        before = await member_list(client, tenant.headers)
        response = await accept(client, tenant.headers, theirs["invitationToken"], theirs["email"])
        assert_problem(response, 401)
        await assert_nothing_created(client, service, tenant, before, theirs["email"])
        assert await member_list(client, other_tenant.headers) != []

    async def test_a_key_of_another_organization_than_x_org_id_is_401(
        self, client, service, tenant, other_tenant
    ):
        invited = await invite(client, tenant.headers, new_email())
        headers = {"X-API-Key": other_tenant.api_key, "X-Org-Id": tenant.org_id}
        body = {
            "invitationToken": invited["invitationToken"],
            "email": invited["email"],
            "password": PASSWORD,
        }
        assert_problem(await client.post(ACCEPT, json=body, headers=headers), 401)
        assert await user_count(service, invited["email"]) == 0

    async def test_a_wrong_password_of_an_existing_user_is_401_and_stays_usable(
        self, client, tenant, other_tenant
    ):
        invited = await invite(client, tenant.headers, other_tenant.email)
        before = await member_list(client, tenant.headers)
        response = await accept(
            client, tenant.headers, invited["invitationToken"], other_tenant.email, "wrong"
        )
        assert_problem(response, 401)
        assert await member_list(client, tenant.headers) == before
        right = await accept(client, tenant.headers, invited["invitationToken"], other_tenant.email)
        assert right.status_code == 200

    async def test_a_short_new_password_is_422_and_creates_nothing(self, client, service, tenant):
        invited = await invite(client, tenant.headers, new_email())
        before = await member_list(client, tenant.headers)
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"], "short"
        )
        assert_problem(response, 422, "password")
        await assert_nothing_created(client, service, tenant, before, invited["email"])


class TestAcceptingAsANewUser:
    async def test_the_answer_is_a_token_like_sign_in_and_the_user_joins_as_invited(
        self, client, tenant
    ):
        invited = await invite(client, tenant.headers, new_email(), "VIEWER")
        response = await accept(
            client, tenant.headers, invited["invitationToken"], invited["email"].upper(),
            NEW_PASSWORD, name="  Ada Lovelace ",
        )  # fmt: skip
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"accessToken", "tokenType", "expiresIn"}
        assert response.json()["tokenType"] == "Bearer"
        assert response.json()["expiresIn"] == 3600
        user_id = user_of(response)
        (row,) = [r for r in await member_list(client, tenant.headers) if r["userId"] == user_id]
        assert (row["email"], row["name"], row["role"]) == (
            invited["email"],
            "Ada Lovelace",
            "VIEWER",
        )
        signed_in = await sign_in(client, tenant, invited["email"], NEW_PASSWORD)
        assert user_of(signed_in) == user_id
        me = await client.get(
            "/v1/me",
            headers={
                **key_headers(tenant),
                "Authorization": f"Bearer {response.json()['accessToken']}",
            },
        )
        assert me.status_code == 200

    async def test_the_name_defaults_to_the_invitations_then_the_local_part(self, client, tenant):
        named_email, plain_email = new_email(), new_email()
        named = await client.post(
            "/v1/members", json={"email": named_email, "name": "Grace"}, headers=tenant.headers
        )
        plain = await invite(client, tenant.headers, plain_email)
        ids = [
            user_of(
                await accept(client, tenant.headers, named.json()["invitationToken"], named_email)
            ),
            user_of(await accept(client, tenant.headers, plain["invitationToken"], plain_email)),
        ]
        names = {r["userId"]: r["name"] for r in await member_list(client, tenant.headers)}
        assert [names[i] for i in ids] == ["Grace", plain_email.split("@")[0]]


class TestAcceptingAsAnExistingUser:
    async def test_their_password_joins_them_with_their_name_and_other_organizations_kept(
        self, client, tenant, other_tenant
    ):
        invited = await invite(client, tenant.headers, other_tenant.email, "ADMIN")
        response = await accept(
            client, tenant.headers, invited["invitationToken"], other_tenant.email, name="Renamed"
        )
        assert user_of(response) == other_tenant.user_id
        rows = {r["userId"]: r for r in await member_list(client, tenant.headers)}
        assert rows[other_tenant.user_id]["role"] == "ADMIN"
        assert rows[other_tenant.user_id]["name"] == "Owner Person"
        theirs = {r["userId"]: r["role"] for r in await member_list(client, other_tenant.headers)}
        assert theirs[other_tenant.user_id] == "OWNER"
        assert (await sign_in(client, tenant, other_tenant.email, PASSWORD)).status_code == 200


@pytest.mark.parametrize("existing", [False, True], ids=["new-user", "existing-user"])
class TestConcurrentAccepts:
    async def test_two_accepts_of_one_token_at_once_make_one_member(
        self, client, service, tenant, other_tenant, existing
    ):
        email = other_tenant.email if existing else new_email()
        invited = await invite(client, tenant.headers, email)
        before = len(await member_list(client, tenant.headers))
        responses = await asyncio.gather(
            *(accept(client, tenant.headers, invited["invitationToken"], email) for _ in "ab")
        )
        assert sorted(r.status_code for r in responses) == [200, 401]
        assert len(await member_list(client, tenant.headers)) == before + 1
        assert await user_count(service, email) == 1


class TestAcceptCountsTowardTheFailedSignInLimit:
    async def test_ten_failed_accepts_refuse_the_right_token_and_sign_in_with_429(
        self, client, tenant
    ):
        invited = await invite(client, tenant.headers, new_email())
        for _ in range(10):
            wrong = await accept(client, tenant.headers, "tpi_wrong", invited["email"])
            assert_problem(wrong, 401)
        right = await accept(client, tenant.headers, invited["invitationToken"], invited["email"])
        assert_problem(right, 429)
        assert int(right.headers["retry-after"]) > 0
        assert_problem(await sign_in(client, tenant, invited["email"], PASSWORD), 429)

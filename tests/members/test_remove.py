"""DELETE /v1/members/{userId}: access ends at once; the last OWNER cannot be removed."""

import asyncio

import pytest

from tests.factories import PASSWORD, account_body, assert_problem, create_account
from tests.members.helpers import MEMBERS, add_member, member_list, roles, token_for


async def remove(client, headers, user_id):
    return await client.delete(f"{MEMBERS}/{user_id}", headers=headers)


class TestRemoveOfSomeoneNotHere:
    async def test_another_organizations_member_is_404_and_stays_there(
        self, client, tenant, other_tenant
    ):
        theirs = await other_tenant.member("MEMBER")
        before = await member_list(client, other_tenant.headers)
        assert_problem(await remove(client, tenant.headers, theirs["X-User-Id"]), 404)
        assert_problem(await remove(client, tenant.headers, other_tenant.user_id), 404)
        assert await member_list(client, other_tenant.headers) == before
        assert (await client.get("/v1/me", headers=theirs)).status_code == 200

    @pytest.mark.parametrize("user_id", ["999999999999", "me", "0"])
    async def test_an_id_that_names_no_member_is_404(self, client, tenant, user_id):
        assert_problem(await remove(client, tenant.headers, user_id), 404)

    async def test_removing_twice_is_404_the_second_time(self, client, tenant):
        member = await tenant.member("MEMBER")
        assert (await remove(client, tenant.headers, member["X-User-Id"])).status_code == 204
        assert_problem(await remove(client, tenant.headers, member["X-User-Id"]), 404)


class TestWhoMayRemove:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_remove_anyone_not_even_themself(
        self, client, tenant, role
    ):
        actor = await tenant.member(role)
        target = await tenant.member("VIEWER")
        before = await member_list(client, tenant.headers)
        for user_id in (target["X-User-Id"], actor["X-User-Id"], tenant.user_id):
            assert_problem(await remove(client, actor, user_id), 403)
        assert await member_list(client, tenant.headers) == before

    async def test_an_admin_may_not_remove_an_owner(self, client, tenant):
        admin = await tenant.member("ADMIN")
        await tenant.member("OWNER")
        before = await member_list(client, tenant.headers)
        assert_problem(await remove(client, admin, tenant.user_id), 403)
        assert await member_list(client, tenant.headers) == before

    @pytest.mark.parametrize("role", ["ADMIN", "MEMBER", "VIEWER"])
    async def test_an_admin_removes_members_below_owner(self, client, tenant, role):
        admin = await tenant.member("ADMIN")
        target = await tenant.member(role)
        response = await remove(client, admin, target["X-User-Id"])
        assert response.status_code == 204
        assert response.content == b""
        assert target["X-User-Id"] not in await roles(client, tenant.headers)


class TestTheLastOwner:
    async def test_the_last_owner_cannot_remove_themself(self, client, tenant):
        await tenant.member("ADMIN")
        before = await member_list(client, tenant.headers)
        assert_problem(await remove(client, tenant.headers, tenant.user_id), 409)
        assert await member_list(client, tenant.headers) == before
        assert (await client.get("/v1/me", headers=tenant.headers)).status_code == 200

    async def test_with_two_owners_one_may_leave_but_then_not_the_other(self, client, tenant):
        second = await tenant.member("OWNER")
        assert (await remove(client, second, tenant.user_id)).status_code == 204
        assert await roles(client, second) == {second["X-User-Id"]: "OWNER"}
        before = await member_list(client, second)
        assert_problem(await remove(client, second, second["X-User-Id"]), 409)
        assert await member_list(client, second) == before


class TestAccessEndsAtOnce:
    async def test_a_removed_members_next_request_is_403(self, client, tenant):
        member = await tenant.member("ADMIN")
        assert (await client.get("/v1/accounts", headers=member)).status_code == 200
        assert (await remove(client, tenant.headers, member["X-User-Id"])).status_code == 204
        for method, path, body in [
            ("GET", "/v1/accounts", None),
            ("GET", "/v1/me", None),
            ("POST", "/v1/accounts", account_body()),
            ("GET", MEMBERS, None),
        ]:
            response = await client.request(method, path, json=body, headers=member)
            assert_problem(response, 403)
        assert (await client.get("/v1/accounts", headers=tenant.headers)).json()["data"] == []

    async def test_a_removed_member_cannot_sign_in_to_the_organization(self, client, tenant):
        added = await add_member(client, tenant.headers, "gone-" + tenant.email)
        password = added["password"]
        assert (await remove(client, tenant.headers, added["userId"])).status_code == 204
        response = await token_for(client, tenant.api_key, tenant.org_id, added["email"], password)
        assert_problem(response, 403)

    async def test_removal_keeps_what_they_created_and_their_other_organizations(
        self, client, tenant, other_tenant
    ):
        added = await add_member(client, tenant.headers, other_tenant.email, "MEMBER")
        theirs = tenant.headers_for(int(added["userId"]))
        account = await create_account(client, theirs)
        assert (await remove(client, tenant.headers, added["userId"])).status_code == 204
        kept = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert kept.status_code == 200
        assert kept.json()["creatorId"] == added["userId"]
        assert (await client.get("/v1/me", headers=other_tenant.headers)).status_code == 200
        response = await token_for(
            client, other_tenant.api_key, other_tenant.org_id, other_tenant.email, PASSWORD
        )
        assert response.status_code == 200

    async def test_a_removed_user_invited_again_rejoins_as_the_same_user(self, client, tenant):
        added = await add_member(client, tenant.headers, "back-" + tenant.email, "VIEWER")
        assert (await remove(client, tenant.headers, added["userId"])).status_code == 204
        again = await add_member(client, tenant.headers, added["email"], "MEMBER")
        assert again["userId"] == added["userId"]
        response = await token_for(
            client, tenant.api_key, tenant.org_id, added["email"], added["password"]
        )
        assert response.status_code == 200, response.text


class TestConcurrentOwnerChanges:
    @pytest.mark.parametrize("attempt", range(3))
    async def test_two_owners_removing_each_other_at_once_leave_one_owner(
        self, client, tenant, attempt
    ):
        second = await tenant.member("OWNER")
        first_removes, second_removes = await asyncio.gather(
            remove(client, tenant.headers, second["X-User-Id"]),
            remove(client, second, tenant.user_id),
        )
        # The loser is refused: 409 if it raced the winner, 403 if it came after it.
        statuses = {first_removes.status_code, second_removes.status_code}
        assert statuses in ({204, 409}, {204, 403}), (first_removes.text, second_removes.text)
        survivor = tenant.headers if first_removes.status_code == 204 else second
        owners = [r for r in await member_list(client, survivor) if r["role"] == "OWNER"]
        assert len(owners) == 1

    @pytest.mark.parametrize("attempt", range(3))
    async def test_two_owners_demoting_each_other_at_once_leave_one_owner(
        self, client, tenant, attempt
    ):
        second = await tenant.member("OWNER")
        responses = await asyncio.gather(
            client.patch(
                f"{MEMBERS}/{second['X-User-Id']}", json={"role": "ADMIN"}, headers=tenant.headers
            ),
            client.patch(f"{MEMBERS}/{tenant.user_id}", json={"role": "ADMIN"}, headers=second),
        )
        statuses = {r.status_code for r in responses}
        assert statuses in ({200, 409}, {200, 403}), [r.text for r in responses]
        owners = [r for r in await member_list(client, tenant.headers) if r["role"] == "OWNER"]
        assert len(owners) == 1

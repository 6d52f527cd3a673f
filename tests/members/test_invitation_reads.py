"""GET /v1/members/invitations/{id}: one open invitation; its path never names a member."""

import pytest

from tests.factories import assert_problem
from tests.members.helpers import INVITATIONS, MEMBERS, accept, expire, invite, new_email


class TestReadingOneInvitation:
    async def test_its_location_answers_what_the_list_shows_without_the_token(self, client, tenant):
        response = await client.post(
            MEMBERS, json={"email": new_email(), "role": "VIEWER"}, headers=tenant.headers
        )
        assert response.status_code == 201
        created = response.json()
        read = await client.get(response.headers["location"], headers=tenant.headers)
        assert read.status_code == 200, read.text
        listed = (await client.get(INVITATIONS, headers=tenant.headers)).json()["data"]
        assert read.json() == listed[0]
        assert read.json() == {k: v for k, v in created.items() if k != "invitationToken"}

    async def test_a_used_revoked_or_expired_invitation_is_404(self, client, service, tenant):
        accepted = await invite(client, tenant.headers, new_email())
        answer = await accept(
            client, tenant.headers, accepted["invitationToken"], accepted["email"]
        )
        assert answer.status_code == 200
        revoked = await invite(client, tenant.headers, new_email())
        assert (
            await client.delete(f"{INVITATIONS}/{revoked['id']}", headers=tenant.headers)
        ).status_code == 204
        expired = await invite(client, tenant.headers, new_email())
        await expire(service, expired["id"])
        for invitation in (accepted, revoked, expired):
            response = await client.get(f"{INVITATIONS}/{invitation['id']}", headers=tenant.headers)
            assert_problem(response, 404)

    @pytest.mark.parametrize("invitation_id", ["999999999", "0", "abc", "9" * 30])
    async def test_an_id_naming_no_invitation_is_404(self, client, tenant, invitation_id):
        response = await client.get(f"{INVITATIONS}/{invitation_id}", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_another_organizations_invitation_is_404(self, client, tenant, other_tenant):
        theirs = await invite(client, other_tenant.headers, new_email())
        response = await client.get(f"{INVITATIONS}/{theirs['id']}", headers=tenant.headers)
        assert_problem(response, 404)

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_a_member_or_viewer_may_not_read_it(self, client, tenant, role):
        invited = await invite(client, tenant.headers, new_email())
        headers = await tenant.member(role)
        response = await client.get(f"{INVITATIONS}/{invited['id']}", headers=headers)
        assert_problem(response, 403)


class TestTheInvitationsPathIsNotAMember:
    @pytest.mark.parametrize("method", ["PATCH", "DELETE", "POST", "PUT"])
    async def test_other_methods_on_the_list_are_405_allowing_get(self, client, tenant, method):
        response = await client.request(
            method, INVITATIONS, json={"role": "ADMIN"}, headers=tenant.headers
        )
        assert_problem(response, 405)
        assert response.headers["allow"] == "GET"

    @pytest.mark.parametrize("user_id", ["abc", "-1", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])
    async def test_a_member_path_that_is_not_digits_is_404(self, client, tenant, user_id):
        response = await client.patch(
            f"{MEMBERS}/{user_id}", json={"role": "ADMIN"}, headers=tenant.headers
        )
        assert_problem(response, 404)

"""GET /v1/me: the signed-in user and every organization they belong to, with their role."""

from tests.factories import PASSWORD, assert_problem
from tests.members.helpers import add_member, signed_in, token_for

ME = "/v1/me"


class TestMe:
    async def test_the_owner_sees_themself_and_their_one_organization(self, client, tenant):
        response = await client.get(ME, headers=tenant.headers)
        assert response.status_code == 200, response.text
        assert response.json() == {
            "userId": tenant.user_id,
            "email": tenant.email,
            "name": "Owner Person",
            "organizations": [
                {
                    "organizationId": tenant.org_id,
                    "organizationName": response.json()["organizations"][0]["organizationName"],
                    "role": "OWNER",
                }
            ],
        }
        assert response.json()["organizations"][0]["organizationName"].startswith("Org ")

    async def test_a_member_sees_their_own_role_not_the_owners(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        response = await client.get(ME, headers=viewer)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["userId"] == viewer["X-User-Id"]
        assert body["name"] == "VIEWER person"
        assert [(o["organizationId"], o["role"]) for o in body["organizations"]] == [
            (tenant.org_id, "VIEWER")
        ]

    async def test_a_user_of_two_organizations_sees_both_with_each_role(
        self, client, tenant, other_tenant
    ):
        await add_member(client, other_tenant.headers, tenant.email, "VIEWER")
        # The same user, acting in either organization, sees both.
        for headers in (tenant.headers, other_tenant.headers_for(int(tenant.user_id))):
            response = await client.get(ME, headers=headers)
            assert response.status_code == 200, response.text
            organizations = {
                o["organizationId"]: o["role"] for o in response.json()["organizations"]
            }
            assert organizations == {tenant.org_id: "OWNER", other_tenant.org_id: "VIEWER"}

    async def test_me_shows_no_password_and_works_with_a_signed_in_token(self, client, tenant):
        token = await token_for(client, tenant.api_key, tenant.org_id, tenant.email, PASSWORD)
        assert token.status_code == 200, token.text
        response = await client.get(ME, headers=signed_in(tenant, token.json()["accessToken"]))
        assert response.status_code == 200
        assert response.json()["userId"] == tenant.user_id
        assert PASSWORD not in response.text
        assert "password" not in response.text.lower()


class TestMeRefused:
    async def test_me_without_a_token_is_401(self, client, tenant):
        headers = {k: v for k, v in tenant.headers.items() if k != "Authorization"}
        response = await client.get(ME, headers=headers)
        assert_problem(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    async def test_me_in_an_organization_the_user_is_not_in_is_403(
        self, client, tenant, other_tenant
    ):
        headers = {**tenant.headers, "X-API-Key": other_tenant.api_key}
        headers["X-Org-Id"] = other_tenant.org_id
        assert_problem(await client.get(ME, headers=headers), 403)

    async def test_me_refuses_unknown_query_parameters(self, client, tenant):
        response = await client.get(ME, params={"verbose": "1"}, headers=tenant.headers)
        assert_problem(response, 422, "verbose")

"""An account's timeline, and query parameters on the single-account endpoints."""

import pytest

from tests.factories import account_body, assert_problem, create_account, create_activity


class TestTimeline:
    @pytest.mark.parametrize("key", ["id", "uid"])
    async def test_the_timeline_lists_only_the_accounts_live_activities(self, client, tenant, key):
        account = await create_account(client, tenant.headers)
        other = await create_account(client, tenant.headers)
        first = await create_activity(
            client, tenant.headers, account["id"], activityTimestamp="2026-01-01T00:00:00Z"
        )
        second = await create_activity(
            client, tenant.headers, account["id"], activityTimestamp="2026-02-01T00:00:00Z"
        )
        gone = await create_activity(client, tenant.headers, account["id"])
        await create_activity(client, tenant.headers, other["id"])
        await client.delete(f"/v1/activities/{gone['id']}", headers=tenant.headers)
        response = await client.get(
            f"/v1/accounts/{account[key]}/activities", headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json() == {"data": [second, first], "nextCursor": None}

    async def test_an_account_without_activities_has_an_empty_timeline(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.get(
            f"/v1/accounts/{account['id']}/activities", headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json() == {"data": [], "nextCursor": None}

    @pytest.mark.parametrize("key", ["id", "uid"])
    async def test_a_deleted_accounts_timeline_is_404(self, client, tenant, key):
        account = await create_account(client, tenant.headers)
        await create_activity(client, tenant.headers, account["id"])
        response = await client.delete(
            f"/v1/accounts/{account['id']}?cascade=true", headers=tenant.headers
        )
        assert response.status_code == 204
        timeline = await client.get(
            f"/v1/accounts/{account[key]}/activities", headers=tenant.headers
        )
        assert_problem(timeline, 404)

    @pytest.mark.parametrize("reference", ["77777777", "7" + "Z" * 25, "nope"])
    async def test_a_missing_accounts_timeline_is_404(self, client, tenant, reference):
        response = await client.get(f"/v1/accounts/{reference}/activities", headers=tenant.headers)
        assert_problem(response, 404)

    async def test_the_timeline_refuses_unknown_parameters(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.get(
            f"/v1/accounts/{account['id']}/activities?acountId=1", headers=tenant.headers
        )
        assert_problem(response, 422, "acountId")


class TestSingleAccountQueryParameters:
    @pytest.mark.parametrize(
        ("method", "suffix"),
        [("GET", ""), ("PATCH", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/restore")],
    )
    async def test_an_unknown_parameter_is_422_and_changes_nothing(
        self, client, tenant, method, suffix
    ):
        account = await create_account(client, tenant.headers)
        body = {"PATCH": {"industry": "Changed"}, "PUT": account_body()}.get(method)
        response = await client.request(
            method,
            f"/v1/accounts/{account['id']}{suffix}?cascde=true",
            json=body,
            headers=tenant.headers,
        )
        still = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert still.json() == account
        assert_problem(response, 422, "cascde")

"""/v1/activities/stats and /export are paths of their own, never an activity's id or uid."""

import pytest

from tests.activities.helpers import read
from tests.analysis.helpers import EXPORT, STATS
from tests.factories import assert_problem, create_account, create_activity


class TestTheirOwnPaths:
    @pytest.mark.parametrize("path", [STATS, EXPORT])
    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    async def test_other_methods_are_405_allowing_get_only(self, client, tenant, path, method):
        response = await client.request(method, path, headers=tenant.headers)
        assert_problem(response, 405)
        assert response.headers["allow"] == "GET"

    async def test_stats_is_not_looked_up_as_an_activity(self, client, tenant):
        response = await client.get(STATS, headers=tenant.headers)
        assert_problem(response, 422, "groupBy")

    async def test_an_activity_is_still_read_by_id_and_by_uid(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        activity = await create_activity(client, tenant.headers, account)
        for reference in (activity["id"], activity["uid"], activity["uid"].lower()):
            assert await read(client, tenant.headers, reference) == activity
        path = f"/v1/activities/{activity['id']}"
        response = await client.request("OPTIONS", path, headers=tenant.headers)
        assert response.headers["allow"] == "DELETE, GET, PATCH, PUT"


class TestTheDocument:
    async def test_it_says_which_keys_and_zones_are_accepted(self, client):
        document = (await client.get("/openapi.json")).json()
        stats = document["paths"][STATS]["get"]
        parameters = {parameter["name"]: parameter for parameter in stats["parameters"]}
        group_by = parameters["groupBy"]
        assert group_by["required"] is True
        assert (group_by["style"], group_by["explode"]) == ("form", False)
        assert group_by["schema"]["maxItems"] == 3
        assert group_by["schema"]["uniqueItems"] is True
        assert parameters["tz"]["schema"]["maxLength"] == 64
        assert set(stats["responses"]["200"]["content"]) == {"application/json", "text/csv"}
        export = document["paths"][EXPORT]["get"]["responses"]["200"]
        assert set(export["content"]) == {"application/x-ndjson", "text/csv"}
        assert "Content-Disposition" in export["headers"]

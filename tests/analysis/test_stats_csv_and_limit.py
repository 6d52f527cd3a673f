"""GET /v1/activities/stats as CSV (`Accept: text/csv`), and its limit of 10,000 groups."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.analysis.helpers import STATS, stats, store_activities
from tests.factories import assert_problem, create_account, create_activity


def rows_of(response):
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text.endswith("\r\n")
    return list(csv.reader(io.StringIO(response.text, newline="")))


async def as_csv(client, headers, accept="text/csv", **params):
    return await client.get(STATS, params=params, headers={**headers, "Accept": accept})


class TestCsv:
    async def test_a_header_of_the_keys_then_the_figures(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account, duration=10, tags=["b"])
        await create_activity(client, tenant.headers, account, duration=5, tags=["b", "a"])
        await create_activity(client, tenant.headers, account, duration=7, type="EMAIL")
        response = await as_csv(client, tenant.headers, groupBy="type,tag")
        assert rows_of(response) == [
            ["type", "tag", "count", "totalDuration", "averageDuration"],
            ["CALL", "a", "1", "5", "5.00"],
            ["CALL", "b", "2", "15", "7.50"],
            ["EMAIL", "", "1", "7", "7.00"],
        ]

    async def test_the_same_figures_as_json(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        for duration in (10, 10, 11):
            await create_activity(client, tenant.headers, account, duration=duration)
        body = await stats(client, tenant.headers, groupBy="accountId,month")
        rows = rows_of(await as_csv(client, tenant.headers, groupBy="accountId,month"))
        [group] = body["data"]
        assert rows[1] == [account, "2026-03", "3", "31", f"{group['averageDuration']:.2f}"]

    async def test_nothing_matching_is_the_header_alone(self, client, tenant):
        rows = rows_of(await as_csv(client, tenant.headers, groupBy="week"))
        assert rows == [["week", "count", "totalDuration", "averageDuration"]]

    @pytest.mark.parametrize("tag", ["=1+2", "+cmd", "-2+3", "@sum(a1)"])
    async def test_a_cell_a_spreadsheet_would_run_is_quoted_away(self, client, tenant, tag):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account, tags=[tag])
        rows = rows_of(await as_csv(client, tenant.headers, groupBy="tag"))
        assert rows[1][0] == f"'{tag}"
        body = await stats(client, tenant.headers, groupBy="tag")
        assert body["data"][0]["key"]["tag"] == tag

    @pytest.mark.parametrize(
        "accept",
        [
            None,
            "*/*",
            "application/json",
            "application/json, text/csv",
            "text/csv;q=0.5, */*",
            "text/html",
        ],
    )
    async def test_json_unless_csv_is_preferred(self, client, tenant, accept):
        headers = dict(tenant.headers)
        if accept is not None:
            headers["Accept"] = accept
        response = await client.get(STATS, params={"groupBy": "type"}, headers=headers)
        assert response.headers["content-type"] == "application/json"

    @pytest.mark.parametrize(
        "accept", ["text/csv", "application/json;q=0.5, text/csv", "text/*", "TEXT/CSV"]
    )
    async def test_csv_when_preferred(self, client, tenant, accept):
        response = await as_csv(client, tenant.headers, accept, groupBy="type")
        assert rows_of(response)[0][0] == "type"

    async def test_errors_stay_problem_json(self, client, tenant):
        response = await as_csv(client, tenant.headers, groupBy="colour")
        assert_problem(response, 422, "groupBy")


class TestGroupLimit:
    async def test_10000_groups_are_answered_and_10001_refused(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        start = datetime(2000, 1, 1, 12, tzinfo=UTC)
        await store_activities(tenant, account, (start + timedelta(days=n) for n in range(10_001)))
        last_day = start + timedelta(days=10_000)
        params = {"groupBy": "day,accountId", "to": last_day.isoformat().replace("+00:00", "Z")}
        body = await stats(client, tenant.headers, **params)
        assert len(body["data"]) == 10_000
        assert body["total"]["count"] == 10_000
        assert body["data"][-1]["key"]["day"] == "2027-05-18"
        response = await client.get(
            STATS, params={"groupBy": "day,accountId"}, headers=tenant.headers
        )
        problem = assert_problem(response, 422, "groupBy")
        assert "narrow" in problem["detail"]
        body = await stats(client, tenant.headers, groupBy="year")
        assert body["total"]["count"] == 10_001

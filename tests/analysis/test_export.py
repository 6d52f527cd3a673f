"""GET /v1/activities/export: every activity the list would show, unpaged, streamed as NDJSON
(one activity per line, exactly as GET /v1/activities/{id} answers it) or as RFC 4180 CSV."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.activities.helpers import read
from tests.activities.test_privacy import SECRET, private_setup
from tests.analysis.helpers import EXPORT, store_activities
from tests.factories import (
    assert_problem,
    create_account,
    create_activity,
    create_contact,
    list_all,
)
from touchpoint.analysis.repository import EXPORT_BATCH

ACTIVITIES = "/v1/activities"


async def exported(client, headers, expected_format="ndjson", **params):
    response = await client.get(EXPORT, params=params, headers=headers)
    assert response.status_code == 200, response.text
    extension = {"ndjson": "ndjson", "csv": "csv"}[expected_format]
    assert response.headers["content-disposition"] == f"attachment; filename=activities.{extension}"
    if expected_format == "csv":
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        return list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.text == "" or response.text.endswith("\n")
    return [json.loads(line) for line in response.text.splitlines()]


def as_cell(value):
    """What a value of GET's JSON looks like in a CSV cell, before formula quoting."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class TestRefused:
    @pytest.mark.parametrize(
        ("name", "value"),
        [
            ("format", "xlsx"),
            ("format", ""),
            ("format", "CSV"),
            ("type", "PHONE"),
            ("from", "2026-01-01"),
            ("accountId", "x"),
            ("tag", ""),
            ("limit", "10"),
            ("cursor", "abc"),
            ("sort", "createdAt"),
            ("groupBy", "type"),
        ],
    )
    async def test_a_bad_or_unknown_parameter_is_a_422_naming_it(self, client, tenant, name, value):
        response = await client.get(EXPORT, params={name: value}, headers=tenant.headers)
        assert_problem(response, 422, name)

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_for_managers_only(self, client, tenant, role):
        headers = await tenant.member(role)
        response = await client.get(EXPORT, params={"includeDeleted": "true"}, headers=headers)
        assert_problem(response, 403)

    async def test_credentials_are_required(self, client, tenant):
        headers = {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}
        assert_problem(await client.get(EXPORT, headers=headers), 401)


class TestNdjson:
    async def test_each_line_is_the_activity_as_get_answers_it(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        contact = await create_contact(client, tenant.headers, account)
        linked = await create_activity(
            client,
            tenant.headers,
            account,
            participants=[{"contactId": contact["id"]}, {"userId": tenant.user_id}],
            tags=["renewal"],
            metadata={"source": "import", "nested": {"a": [1, 2]}},
            attachmentUrls=["https://example.com/a.pdf"],
            title="Kick-off",
            activityTimestamp="2026-04-01T10:00:00Z",
        )
        plain = await create_activity(client, tenant.headers, account, type="REVIEW")
        await client.patch(
            f"/v1/contacts/{contact['id']}", json={"firstName": "Renamed"}, headers=tenant.headers
        )
        lines = await exported(client, tenant.headers)
        assert lines == [
            await read(client, tenant.headers, linked["id"]),
            await read(client, tenant.headers, plain["id"]),
        ]
        assert lines[0]["participants"][0]["name"].startswith("Renamed")

    async def test_huge_integers_and_fractions_of_seconds_are_written_as_get_writes_them(
        self, client, tenant
    ):
        account = (await create_account(client, tenant.headers))["id"]
        created = await create_activity(
            client,
            tenant.headers,
            account,
            metadata={"huge": 2**80, "negative": -(2**70), "ratio": 0.1, "text": "é ✓"},
            activityTimestamp="2026-04-01T10:00:00.123456Z",
        )
        lines = await exported(client, tenant.headers)
        assert lines == [await read(client, tenant.headers, created["id"])]
        assert lines[0]["metadata"]["huge"] == 2**80
        assert lines[0]["activityTimestamp"] == "2026-04-01T10:00:00.123456Z"

    async def test_ndjson_is_the_default_format(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account)
        assert await exported(client, tenant.headers) == await exported(
            client, tenant.headers, format="ndjson"
        )

    async def test_nothing_matching_is_an_empty_body(self, client, tenant):
        assert await exported(client, tenant.headers) == []

    async def test_every_row_unpaged_newest_first_across_batches(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        start = datetime(2026, 1, 1, tzinfo=UTC)
        count = 2 * EXPORT_BATCH + 5
        await store_activities(tenant, account, (start + timedelta(hours=n) for n in range(count)))
        lines = await exported(client, tenant.headers)
        assert len(lines) == len({line["id"] for line in lines}) == count
        stamps = [line["activityTimestamp"] for line in lines]
        assert stamps == sorted(stamps, reverse=True)
        listed = await list_all(client, ACTIVITIES, tenant.headers, limit=200)
        assert [line["id"] for line in lines] == [row["id"] for row in listed]


class TestCsv:
    async def test_a_header_of_the_apis_field_names_then_one_row_each(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        activity = await create_activity(
            client,
            tenant.headers,
            account,
            participants=[{"email": "a@example.com", "name": 'Ann "the" Buyer'}],
            tags=["x", "y"],
            metadata={"k": "v, w"},
            description="line one\r\nline two, with a comma",
        )
        response = await client.get(EXPORT, params={"format": "csv"}, headers=tenant.headers)
        header = next(csv.reader(io.StringIO(response.text, newline="")))
        shown = await read(client, tenant.headers, activity["id"])
        assert header == list(shown)
        [row] = await exported(client, tenant.headers, "csv", format="csv")
        assert row == {name: as_cell(value) for name, value in shown.items()}
        assert json.loads(row["participants"]) == shown["participants"]

    @pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
    async def test_a_cell_a_spreadsheet_would_run_is_quoted_away(self, client, tenant, start):
        account = (await create_account(client, tenant.headers))["id"]
        text = f'{start}HYPERLINK("http://evil.example")'
        await create_activity(
            client, tenant.headers, account, title=text, outcome=text, description=text
        )
        [row] = await exported(client, tenant.headers, "csv", format="csv")
        for name in ("title", "outcome", "description"):
            assert row[name] == f"'{text}", name

    async def test_nothing_matching_is_the_header_alone(self, client, tenant):
        response = await client.get(EXPORT, params={"format": "csv"}, headers=tenant.headers)
        assert response.text.count("\r\n") == 1
        assert response.text.startswith("id,uid,accountId,")


class TestWhatIsExported:
    async def test_the_lists_filters_apply(self, client, tenant):
        first = (await create_account(client, tenant.headers))["id"]
        second = (await create_account(client, tenant.headers))["id"]
        email = await create_activity(client, tenant.headers, first, type="EMAIL", tags=["Deal"])
        await create_activity(client, tenant.headers, second, type="CALL")
        for params in ({"type": "EMAIL"}, {"accountId": first}, {"tag": "deal"}):
            lines = await exported(client, tenant.headers, **params)
            assert [line["id"] for line in lines] == [email["id"]], params

    async def test_deleted_ones_only_with_include_deleted(self, client, tenant):
        account = (await create_account(client, tenant.headers))["id"]
        gone = await create_activity(client, tenant.headers, account)
        await client.delete(f"{ACTIVITIES}/{gone['id']}", headers=tenant.headers)
        assert await exported(client, tenant.headers) == []
        lines = await exported(client, tenant.headers, includeDeleted="true")
        assert [(line["id"], line["isActive"]) for line in lines] == [(gone["id"], False)]

    async def test_another_organizations_activities_never(self, client, tenant, other_tenant):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account)
        assert await exported(client, other_tenant.headers) == []
        assert await exported(client, other_tenant.headers, accountId=account) == []

    @pytest.mark.parametrize("who", ["creator", "owner", "participant", "ADMIN", "OWNER"])
    async def test_a_private_activity_for_those_who_may_see_it(self, client, tenant, who):
        activity, _, people = await private_setup(client, tenant)
        headers = people.get(who) or (
            tenant.headers if who == "OWNER" else await tenant.member(who)
        )
        assert await exported(client, headers) == [activity]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    @pytest.mark.parametrize("form", ["ndjson", "csv"])
    async def test_a_private_activity_never_for_anyone_else(self, client, tenant, role, form):
        activity, account, _ = await private_setup(client, tenant)
        public = await create_activity(client, tenant.headers, account["id"])
        outsider = await tenant.member(role)
        response = await client.get(EXPORT, params={"format": form}, headers=outsider)
        assert response.status_code == 200
        assert SECRET not in response.text
        assert activity["uid"] not in response.text
        assert public["uid"] in response.text


class TestConnections:
    async def test_every_export_gives_its_connection_back(self, client, tenant, service):
        account = (await create_account(client, tenant.headers))["id"]
        await create_activity(client, tenant.headers, account)
        pool_size = service.app.state.settings.database_pool_size
        for form in ["ndjson", "csv"] * pool_size:
            await exported(client, tenant.headers, form, format=form)
        assert service.app.state.engine.pool.checkedout() == 0
        # The request's own unit of work still commits: a write right after works.
        await create_activity(client, tenant.headers, account)

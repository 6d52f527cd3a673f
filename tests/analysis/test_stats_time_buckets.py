"""Time keys of GET /v1/activities/stats: days, ISO weeks, months, quarters and years, cut in
the caller's zone (`tz`, UTC by default), the same on both engines (PostgreSQL converts with
its own zone database, SQLite with Python's, through the function core/database.py registers).
"""

import shutil
import zoneinfo
from pathlib import Path

import pytest

from tests.analysis.helpers import STATS, keyed, stats
from tests.factories import assert_problem, create_account, create_activity


async def at(client, tenant, *instants):
    account = (await create_account(client, tenant.headers))["id"]
    for instant in instants:
        await create_activity(client, tenant.headers, account, activityTimestamp=instant)


def labels(body, name):
    return [(group["key"][name], group["count"]) for group in body["data"]]


class TestDays:
    async def test_utc_is_the_default_zone(self, client, tenant):
        await at(client, tenant, "2026-03-28T23:30:00Z", "2026-03-29T00:00:00Z")
        body = await stats(client, tenant.headers, groupBy="day")
        assert labels(body, "day") == [("2026-03-28", 1), ("2026-03-29", 1)]

    async def test_the_spring_forward_day_in_paris_has_23_hours(self, client, tenant):
        # 2026-03-29 in Paris runs from 23:00Z (CET, +01:00) to 22:00Z (CEST, +02:00).
        await at(
            client,
            tenant,
            "2026-03-28T22:59:59Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29T01:30:00Z",
            "2026-03-29T21:59:59.999Z",
            "2026-03-29T22:00:00Z",
        )
        body = await stats(client, tenant.headers, groupBy="day", tz="Europe/Paris")
        assert labels(body, "day") == [("2026-03-28", 1), ("2026-03-29", 3), ("2026-03-30", 1)]

    async def test_the_fall_back_day_in_paris_has_25_hours(self, client, tenant):
        # 2026-10-25 in Paris runs from 22:00Z (CEST) to 23:00Z the next day (CET).
        await at(
            client,
            tenant,
            "2026-10-24T21:59:59Z",
            "2026-10-24T22:00:00Z",
            "2026-10-25T00:30:00Z",
            "2026-10-25T01:30:00Z",
            "2026-10-25T22:59:59Z",
            "2026-10-25T23:00:00Z",
        )
        body = await stats(client, tenant.headers, groupBy="day", tz="Europe/Paris")
        assert labels(body, "day") == [("2026-10-24", 1), ("2026-10-25", 4), ("2026-10-26", 1)]

    @pytest.mark.parametrize(
        ("zone", "day"),
        [
            ("Pacific/Kiritimati", "2026-07-02"),  # +14:00
            ("Pacific/Pago_Pago", "2026-07-01"),  # -11:00
            ("Asia/Kolkata", "2026-07-02"),  # +05:30
            ("America/St_Johns", "2026-07-01"),  # -02:30 in summer
        ],
    )
    async def test_far_and_half_hour_zones(self, client, tenant, zone, day):
        await at(client, tenant, "2026-07-01T23:00:00Z")
        body = await stats(client, tenant.headers, groupBy="day", tz=zone)
        assert labels(body, "day") == [(day, 1)]


class TestIsoWeeks:
    async def test_the_last_days_of_2026_and_first_of_2027_are_2026_w53(self, client, tenant):
        await at(
            client,
            tenant,
            "2026-12-27T12:00:00Z",  # a Sunday: week 52
            "2026-12-28T12:00:00Z",  # Monday of week 53
            "2026-12-31T12:00:00Z",
            "2027-01-01T12:00:00Z",
            "2027-01-03T23:59:59Z",
            "2027-01-04T00:00:00Z",  # Monday of 2027-W01
        )
        body = await stats(client, tenant.headers, groupBy="week")
        assert labels(body, "week") == [("2026-W52", 1), ("2026-W53", 4), ("2027-W01", 1)]

    async def test_an_iso_year_can_start_in_december(self, client, tenant):
        await at(client, tenant, "2024-12-30T12:00:00Z", "2025-12-29T12:00:00Z")
        body = await stats(client, tenant.headers, groupBy="week")
        assert labels(body, "week") == [("2025-W01", 1), ("2026-W01", 1)]

    async def test_weeks_start_on_monday_in_the_callers_zone(self, client, tenant):
        # Sunday 22:30Z is already Monday 00:30 in Paris (CEST).
        await at(client, tenant, "2026-03-29T22:30:00Z")
        assert labels(await stats(client, tenant.headers, groupBy="week"), "week") == [
            ("2026-W13", 1)
        ]
        body = await stats(client, tenant.headers, groupBy="week", tz="Europe/Paris")
        assert labels(body, "week") == [("2026-W14", 1)]


class TestMonthsQuartersYears:
    async def test_new_year_in_one_zone_is_still_the_old_one_in_another(self, client, tenant):
        await at(client, tenant, "2026-12-31T23:30:00Z")
        expected = {
            "UTC": {"month": "2026-12", "quarter": "2026-Q4", "year": "2026"},
            "Europe/Paris": {"month": "2027-01", "quarter": "2027-Q1", "year": "2027"},
        }
        for zone, key in expected.items():
            body = await stats(client, tenant.headers, groupBy="year,quarter,month", tz=zone)
            assert keyed(body) == [(key, 1)], zone

    async def test_quarters_begin_in_january_april_july_and_october(self, client, tenant):
        await at(
            client,
            tenant,
            "2026-03-31T23:59:59Z",
            "2026-04-01T00:00:00Z",
            "2026-06-30T12:00:00Z",
            "2026-07-01T00:00:00Z",
            "2026-09-30T23:59:59Z",
            "2026-10-01T00:00:00Z",
            "2027-01-01T00:00:00Z",
        )
        body = await stats(client, tenant.headers, groupBy="quarter")
        assert labels(body, "quarter") == [
            ("2026-Q1", 1),
            ("2026-Q2", 2),
            ("2026-Q3", 2),
            ("2026-Q4", 1),
            ("2027-Q1", 1),
        ]

    async def test_time_keys_sort_in_time_order(self, client, tenant):
        await at(
            client,
            tenant,
            "2026-11-05T10:00:00Z",
            "0999-02-01T10:00:00Z",
            "2026-02-05T10:00:00Z",
            "2025-12-05T10:00:00Z",
            "2026-10-05T10:00:00Z",
        )
        body = await stats(client, tenant.headers, groupBy="month")
        assert [label for label, _ in labels(body, "month")] == [
            "0999-02",
            "2025-12",
            "2026-02",
            "2026-10",
            "2026-11",
        ]
        body = await stats(client, tenant.headers, groupBy="year,type")
        assert [group["key"] for group in body["data"]] == [
            {"year": year, "type": "CALL"} for year in ("0999", "2025", "2026")
        ]


@pytest.fixture
def zone_only_python_knows(tmp_path):
    """A zone in Python's zone database that PostgreSQL's lacks, as when the two are of
    different releases: Europe/Paris's rules under a name of our own, on Python's search path."""
    source = next(
        (Path(root) / "Europe" / "Paris" for root in zoneinfo.TZPATH),
        None,
    )
    if source is None or not source.exists():
        pytest.skip("no system zone database to copy a zone from")
    (tmp_path / "Touchpoint").mkdir()
    shutil.copy(source, tmp_path / "Touchpoint" / "Nowhere")
    before = zoneinfo.TZPATH
    zoneinfo.reset_tzpath(to=[str(tmp_path), *before])
    yield "Touchpoint/Nowhere"
    zoneinfo.reset_tzpath(to=before)


class TestZonesTheDatabaseDoesNotKnow:
    async def test_a_zone_postgresql_does_not_know_is_a_422_naming_tz(
        self, client, tenant, service, zone_only_python_knows
    ):
        await at(client, tenant, "2026-03-28T23:30:00Z")
        params = {"groupBy": "day", "tz": zone_only_python_knows}
        response = await client.get(STATS, params=params, headers=tenant.headers)
        if service.name == "postgresql":
            assert_problem(response, 422, "tz")
        else:
            # SQLite converts with Python's zone database, which knows it.
            assert response.status_code == 200, response.text
            assert labels(response.json(), "day") == [("2026-03-29", 1)]

"""Failed sign-ins are limited per email: after 10 failures within 15 minutes, 429."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.auth.conftest import client_for
from tests.factories import PASSWORD, assert_problem, new_tenant, unique
from touchpoint.models import sign_in_failures

TOKEN_PATH = "/v1/auth/token"


async def sign_in(client, tenant, email, password):
    body = {"email": email, "password": password}
    headers = {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}
    return await client.post(TOKEN_PATH, json=body, headers=headers)


async def fail_times(client, tenant, email, times):
    for _ in range(times):
        response = await sign_in(client, tenant, email, "wrong password")
        assert_problem(response, 401)


def assert_limited(response):
    assert_problem(response, 429)
    assert 1 <= int(response.headers["retry-after"]) <= 15 * 60


class TestTheLimitRefuses:
    async def test_the_eleventh_wrong_attempt_is_429_with_retry_after(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, tenant.email, 10)
            assert_limited(await sign_in(client, tenant, tenant.email, "wrong password"))

    async def test_the_right_password_is_refused_while_limited(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, tenant.email, 10)
            assert_limited(await sign_in(client, tenant, tenant.email, PASSWORD))

    async def test_an_unknown_email_is_counted_the_same(self, counted_app):
        tenant = await new_tenant(counted_app)
        unknown = unique("nobody") + "@example.com"
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, unknown, 10)
            assert_limited(await sign_in(client, tenant, unknown, PASSWORD))

    async def test_the_email_is_counted_in_any_case(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, tenant.email.upper(), 5)
            await fail_times(client, tenant, tenant.email, 5)
            assert_limited(await sign_in(client, tenant, tenant.email.title(), PASSWORD))

    async def test_concurrent_wrong_attempts_get_exactly_ten_checks(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            attempts = [sign_in(client, tenant, tenant.email, "wrong") for _ in range(30)]
            statuses = sorted(r.status_code for r in await asyncio.gather(*attempts))
        assert statuses == [401] * 10 + [429] * 20


class TestTheLimitSparesOthers:
    async def test_another_email_is_unaffected(self, counted_app):
        tenant = await new_tenant(counted_app)
        other = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, tenant.email, 10)
            assert_limited(await sign_in(client, tenant, tenant.email, PASSWORD))
            assert (await sign_in(client, other, other.email, PASSWORD)).status_code == 200

    async def test_a_success_clears_the_count(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            await fail_times(client, tenant, tenant.email, 9)
            assert (await sign_in(client, tenant, tenant.email, PASSWORD)).status_code == 200
            # Without the clearing this would be the 11th failure.
            await fail_times(client, tenant, tenant.email, 10)
            assert_limited(await sign_in(client, tenant, tenant.email, "wrong password"))

    async def test_a_bad_api_key_is_not_counted(self, counted_app):
        tenant = await new_tenant(counted_app)
        async with client_for(counted_app) as client:
            for _ in range(12):
                response = await client.post(
                    TOKEN_PATH,
                    json={"email": tenant.email, "password": "wrong"},
                    headers={"X-API-Key": "tpk_unknown", "X-Org-Id": tenant.org_id},
                )
                assert_problem(response, 401)
            assert (await sign_in(client, tenant, tenant.email, PASSWORD)).status_code == 200


async def window_started(service, email):
    async with service.app.state.engine.connect() as connection:
        statement = select(sign_in_failures.c.window_started_at).where(
            sign_in_failures.c.email == email
        )
        return (await connection.execute(statement)).scalar_one_or_none()


async def move_window_back(service, email, minutes):
    async with service.app.state.engine.begin() as connection:
        await connection.execute(
            update(sign_in_failures)
            .where(sign_in_failures.c.email == email)
            .values(window_started_at=datetime.now(UTC) - timedelta(minutes=minutes))
        )


class TestTheWindowInTheDatabase:
    async def test_retry_after_is_the_time_left_in_the_window(self, client, service, tenant):
        await fail_times(client, tenant, tenant.email, 10)
        await move_window_back(service, tenant.email, 14)
        response = await sign_in(client, tenant, tenant.email, PASSWORD)
        assert_problem(response, 429)
        assert 50 <= int(response.headers["retry-after"]) <= 60

    async def test_once_the_window_passed_the_right_password_signs_in(
        self, client, service, tenant
    ):
        await fail_times(client, tenant, tenant.email, 10)
        await move_window_back(service, tenant.email, 15)
        assert (await sign_in(client, tenant, tenant.email, PASSWORD)).status_code == 200

    async def test_once_the_window_passed_a_failure_starts_a_new_one(self, client, service, tenant):
        await fail_times(client, tenant, tenant.email, 10)
        await move_window_back(service, tenant.email, 16)
        await fail_times(client, tenant, tenant.email, 10)
        assert_limited(await sign_in(client, tenant, tenant.email, PASSWORD))

    async def test_a_new_window_purges_the_passed_ones(self, client, service, tenant):
        stale = unique("stale") + "@example.com"
        await fail_times(client, tenant, stale, 1)
        await move_window_back(service, stale, 16)
        assert await window_started(service, stale) is not None
        await fail_times(client, tenant, unique("fresh") + "@example.com", 1)
        assert await window_started(service, stale) is None

    async def test_a_success_deletes_the_emails_row(self, client, service, tenant):
        await fail_times(client, tenant, tenant.email, 3)
        assert await window_started(service, tenant.email) is not None
        assert (await sign_in(client, tenant, tenant.email, PASSWORD)).status_code == 200
        assert await window_started(service, tenant.email) is None


@pytest.mark.parametrize("waiting", [0, 2])
class TestHashingHasItsOwnBound:
    async def test_sign_ins_beyond_the_hash_queue_are_503_with_retry_after_at_once(
        self, make_app, waiting
    ):
        app = await make_app(password_hash_threads=1, password_hash_waiting=waiting)
        tenant = await new_tenant(app)
        async with client_for(app, refuse_server_errors=False) as client:
            emails = [unique("burst") + "@example.com" for _ in range(20)]
            responses = await asyncio.gather(*(sign_in(client, tenant, e, "x") for e in emails))
        refused = [r for r in responses if r.status_code == 503]
        assert sorted({r.status_code for r in responses}) == [401, 503]
        for response in refused:
            assert_problem(response, 503)
            assert response.headers["retry-after"] == "1"

"""A burst of wrong sign-ins cannot stall the service: password hashes hold no connection.

The app here has a pool of 5 connections, waits at most 5 seconds for one, and hashes on one
thread. If sign-ins held their connection while hashing (or waiting to hash), 100 of them would
hold the pool for the ~10 seconds their hashes take, and the reads beside them would fail (503)
for want of a connection. The margin is wide because this machine may be busy.
"""

import asyncio

import pytest

from tests.auth.conftest import client_for, redis_settings
from tests.factories import new_tenant, unique

TOKEN_PATH = "/v1/auth/token"
BURST = 100
SMALL = {"database_pool_size": 5, "database_pool_timeout": 5, "password_hash_threads": 1}


async def keep_reading(client, headers, done):
    statuses = []
    while not done.is_set():
        statuses.append((await client.get("/v1/me", headers=headers)).status_code)
    return statuses


async def burst_while_reading(app, emails):
    tenant = await new_tenant(app)
    reader_headers = await tenant.member("VIEWER")
    key_headers = {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}
    emails = [email or tenant.email for email in emails]
    async with client_for(app) as client:
        done = asyncio.Event()
        reader = asyncio.create_task(keep_reading(client, reader_headers, done))
        attempts = [
            client.post(TOKEN_PATH, json={"email": e, "password": "wrong"}, headers=key_headers)
            for e in emails
        ]
        sign_ins = await asyncio.gather(*attempts)
        done.set()
        reads = await reader
    return [r.status_code for r in sign_ins], reads


@pytest.fixture(params=["database", "redis"])
async def small_pool_app(request, make_app):
    counter = redis_settings() if request.param == "redis" else {}
    return await make_app(**SMALL, **counter)


class TestABurstOfWrongSignIns:
    async def test_at_one_email_no_request_fails_and_reads_go_on(self, small_pool_app):
        sign_ins, reads = await burst_while_reading(small_pool_app, [None] * BURST)
        assert sorted(sign_ins) == [401] * 10 + [429] * (BURST - 10)
        assert reads
        assert set(reads) == {200}

    async def test_at_many_emails_no_request_fails_and_reads_go_on(self, make_app):
        # Every one of these is hashed; the counter's store matters little, so one suffices.
        app = await make_app(**SMALL)
        emails = [unique("burst") + "@example.com" for _ in range(BURST)]
        sign_ins, reads = await burst_while_reading(app, emails)
        assert set(sign_ins) == {401}
        assert reads
        assert set(reads) == {200}

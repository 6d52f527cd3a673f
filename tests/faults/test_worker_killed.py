"""A worker killed under load: acknowledged creates stay, the service answers, the worker is
replaced."""

import asyncio
import os
import signal
import time

import pytest

from tests.faults.conftest import fetch_activities
from tests.faults.harness import (
    Load,
    bootstrap,
    headers_of,
    http_client,
    serve,
    wait_until,
)

pytestmark = pytest.mark.faults

CLIENTS = 8
WORKER_REPLACED_WITHIN = 15.0


def _replaced(workers: list[int], victim: int) -> bool:
    # One look at the processes: two looks could see the victim still exiting in the first and
    # gone in the second, before its replacement has started.
    return len(workers) == 2 and victim not in workers


class TestWorkerKilledUnderLoad:
    async def test_acknowledged_creates_survive_and_the_worker_is_replaced(
        self, shared_postgres_database, workdir
    ):
        url = shared_postgres_database
        credentials = bootstrap(url)
        headers = headers_of(credentials)
        with serve(url, workdir, workers=2) as server:
            async with http_client(server.base_url) as client:
                account = await client.post(
                    "/v1/accounts",
                    json={"name": "Globex", "primaryDomain": "globex-faults.com"},
                    headers=headers,
                )
                assert account.status_code == 201, account.text
                load = Load(client, headers, account.json()["id"])
                async with load.running(CLIENTS):
                    await asyncio.sleep(1.5)
                    before = server.workers()
                    assert len(before) == 2, server.log()
                    victim = before[0]
                    os.kill(victim, signal.SIGKILL)
                    killed_at = time.monotonic()
                    await asyncio.to_thread(
                        wait_until,
                        lambda: _replaced(server.workers(), victim),
                        WORKER_REPLACED_WITHIN,
                        "the killed worker is replaced",
                    )
                    replaced_after = time.monotonic() - killed_at
                    replaced = set(server.workers())
                    await asyncio.sleep(1.5)
                # The replacement stays up: it was not a worker failing to start, again and again.
                assert set(server.workers()) == replaced, server.log()
                # The service answers afterwards, on fresh connections and whichever worker.
                async with http_client(server.base_url, keep_alive=False) as fresh:
                    for _ in range(20):
                        later = await fresh.get(
                            "/v1/activities", params={"limit": 1}, headers=headers
                        )
                        assert later.status_code == 200, later.text
                assert server.process.poll() is None, server.log()

        outcomes = load.outcomes
        answered = [o for o in outcomes if o.status is not None]
        transport_errors = [o for o in outcomes if o.error is not None]
        bad = [o for o in answered if o.status != 201 and o.status != 503]
        assert not bad, f"{[(o.status, o.marker) for o in bad[:5]]}\n{server.log()}"
        for o in answered:
            if o.status == 503:
                assert o.content_type == "application/problem+json"
                assert o.retry_after
        acknowledged = load.acknowledged()
        stored = await fetch_activities(url, credentials["orgId"])
        missing = {i: m for i, m in acknowledged.items() if stored.get(i) != m}
        assert not missing, (
            f"{len(missing)} acknowledged creates are not stored: {list(missing)[:5]}"
        )
        after_kill = [o for o in outcomes if o.started > killed_at and o.status == 201]
        assert after_kill, "nothing was created after the kill"
        print(
            f"\n{len(outcomes)} requests: {len(acknowledged)} acknowledged, "
            f"{len(transport_errors)} transport errors, "
            f"{sum(o.status == 503 for o in answered)} 503; "
            f"worker replaced after {replaced_after:.1f}s"
        )

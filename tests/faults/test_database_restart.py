"""PostgreSQL stopped and started again under load: 503 while it is down, recovery by itself."""

import asyncio
import time

import pytest

from tests.faults.conftest import fetch_activities
from tests.faults.harness import (
    REQUEST_TIMEOUT,
    Load,
    Outcome,
    bootstrap,
    headers_of,
    http_client,
    serve,
)

pytestmark = pytest.mark.faults

CLIENTS = 6
OUTAGE_SECONDS = 3.0
RECOVERS_WITHIN = 5.0


def describe(
    outcomes: list[Outcome], since: float
) -> list[tuple[str, int | None, str | None, str]]:
    """The first few, with when they started and ended, in seconds since `since`."""
    return [
        (o.kind, o.status, o.error, f"{o.started - since:.2f}..{o.ended - since:.2f}")
        for o in outcomes[:5]
    ]


class TestDatabaseRestartUnderLoad:
    async def test_503_while_down_then_recovery_without_losing_acknowledged_writes(
        self, cluster, workdir
    ):
        url = cluster.url
        credentials = bootstrap(url)
        headers = headers_of(credentials)
        with serve(url, workdir, workers=2, pool_size=5) as server:
            async with http_client(server.base_url) as client:
                account = await client.post(
                    "/v1/accounts",
                    json={"name": "Globex", "primaryDomain": "globex-restart.com"},
                    headers=headers,
                )
                assert account.status_code == 201, account.text
                load = Load(client, headers, account.json()["id"], read_share=0.25)
                async with load.running(CLIENTS):
                    await asyncio.sleep(1.5)
                    stopping = time.monotonic()
                    await asyncio.to_thread(cluster.stop, "fast")
                    down = time.monotonic()
                    await asyncio.sleep(OUTAGE_SECONDS)
                    ready = await client.get("/readyz")
                    assert ready.status_code == 503, ready.text
                    starting = time.monotonic()
                    await asyncio.to_thread(cluster.start)
                    up = time.monotonic()
                    await asyncio.sleep(RECOVERS_WITHIN + 1.0)
                ready = await client.get("/readyz")
                assert ready.status_code == 200, ready.text
                async with http_client(server.base_url, keep_alive=False) as fresh:
                    for _ in range(10):
                        later = await fresh.get(
                            "/v1/activities", params={"limit": 1}, headers=headers
                        )
                        assert later.status_code == 200, later.text
            assert server.process.poll() is None, server.log()
            log = server.log()

        outcomes = load.outcomes
        # Times in failure messages count from the stop; the server's log follows them.
        timeline = (
            f"stopped at {down - stopping:.2f}s, started at {starting - stopping:.2f}s"
            f"..{up - stopping:.2f}s\n{log}"
        )

        def show(chosen: list[Outcome]) -> str:
            return f"{describe(chosen, stopping)}; {timeline}"

        hung = [o for o in outcomes if o.error and "Timeout" in o.error]
        assert not hung, f"no answer within {REQUEST_TIMEOUT}s: {show(hung)}"
        failing = [o for o in outcomes if o.status is not None and o.status not in (200, 201, 503)]
        assert not failing, f"answers other than 2xx or 503: {show(failing)}"
        # A 500 closes its connection, so it can also show up as a transport error afterwards.
        transport = [o for o in outcomes if o.error]
        assert not transport, f"transport errors: {show(transport)}"
        unavailable = [o for o in outcomes if o.status == 503]
        for o in unavailable:
            assert o.content_type == "application/problem+json", o
            assert o.retry_after, o
        # While PostgreSQL was down (stopped, not yet starting), every answer was a 503.
        outage = [o for o in outcomes if o.started >= down and o.ended <= starting]
        assert outage, "no request ran during the outage"
        assert all(o.status == 503 for o in outage), show([o for o in outage if o.status != 503])
        # Before the stop, and from a few seconds after the start on, everything succeeded.
        before = [o for o in outcomes if o.ended <= stopping]
        assert before, "no request ran before the outage"
        assert all(o.status in (200, 201) for o in before), show(before)
        after = [o for o in outcomes if o.started >= up + RECOVERS_WITHIN]
        assert after, "no request ran after the recovery bound"
        assert all(o.status in (200, 201) for o in after), show(
            [o for o in after if o.status not in (200, 201)]
        )
        last_failure = max((o.ended for o in unavailable if o.started >= up), default=up)
        acknowledged = load.acknowledged()
        stored = await fetch_activities(url, credentials["orgId"])
        missing = {i: m for i, m in acknowledged.items() if stored.get(i) != m}
        assert not missing, (
            f"{len(missing)} acknowledged creates are not stored: {list(missing)[:5]}"
        )
        print(
            f"\n{len(outcomes)} requests: {len(acknowledged)} creates acknowledged, "
            f"{len(unavailable)} answered 503 ({len(outage)} during the outage); "
            f"stop took {down - stopping:.1f}s, start {up - starting:.1f}s, "
            f"recovered {last_failure - up:.1f}s after the start; "
            f"slowest answer {max(o.ended - o.started for o in outcomes):.2f}s"
        )


class TestDatabaseRestartWhileIdle:
    async def test_the_next_requests_succeed_on_fresh_connections(self, cluster, workdir):
        url = cluster.url
        credentials = bootstrap(url)
        headers = headers_of(credentials)
        with serve(url, workdir, workers=2, pool_size=5) as server:
            async with http_client(server.base_url, keep_alive=False) as client:

                async def burst() -> list[int]:
                    # Concurrent, so that both workers hold several pooled connections.
                    answers = await asyncio.gather(
                        *(
                            client.get("/v1/activities", params={"limit": 1}, headers=headers)
                            for _ in range(16)
                        )
                    )
                    return [answer.status_code for answer in answers]

                assert set(await burst()) == {200}
                await asyncio.to_thread(cluster.stop, "fast")
                await asyncio.to_thread(cluster.start)
                # Every pooled connection died with the old server; none may reach a client.
                for _ in range(3):
                    assert set(await burst()) == {200}, server.log()

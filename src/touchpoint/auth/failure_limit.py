"""The per-email limit on failed sign-ins: 10 failures within 15 minutes, then 429.

Every attempt that reaches the password check is counted *before* the hash runs, and a
sign-in that succeeds clears the email's count. So a burst of wrong attempts at one email
costs at most 10 hashes per window: the 11th and later are refused without hashing.

The window is fixed: it starts at the email's first failure and lasts 15 minutes; the first
failure after it starts a new one. The count lives where every worker sees it: in the
database (one atomic upsert a try), or in Redis when TOUCHPOINT_REDIS_URL is set.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol, cast

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from touchpoint.auth import repository
from touchpoint.core.database import short_connection
from touchpoint.core.errors import TooManyRequests
from touchpoint.core.settings import Settings

MAX_FAILURES = 10
WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Attempt:
    """The email's failures in the current window, this attempt included."""

    failures: int
    seconds_left: int

    @property
    def refused(self) -> bool:
        return self.failures > MAX_FAILURES


class FailureCounter(Protocol):
    async def count(self, email: str, connection: AsyncConnection) -> Attempt:
        """Counts on the caller's short connection (one checkout per sign-in) when the count
        lives in the database."""

    async def clear(self, email: str) -> None: ...

    async def close(self) -> None: ...


async def count_attempt(counter: FailureCounter, email: str, connection: AsyncConnection) -> None:
    """Counts an attempt at `email` as a failure until it succeeds; 429 once over the limit."""
    attempt = await counter.count(email, connection)
    if attempt.refused:
        raise TooManyRequests(
            f"Too many failed sign-ins for this email; retry in {attempt.seconds_left} seconds.",
            attempt.seconds_left,
        )


def _seconds_until(moment: datetime) -> int:
    left = (moment - datetime.now(UTC)).total_seconds()
    return max(1, int(left) + (left % 1 > 0))


@dataclass(frozen=True, slots=True)
class DatabaseFailureCounter:
    engine: AsyncEngine

    async def count(self, email: str, connection: AsyncConnection) -> Attempt:
        now = datetime.now(UTC)
        failures, started = await repository.count_sign_in_failure(connection, email, now, WINDOW)
        if failures == 1:
            # A new window starts at most once per email per window, so purging here keeps
            # the table to the last window's emails at the cost of one small indexed delete.
            await repository.purge_sign_in_failures(connection, now - WINDOW)
        return Attempt(failures, _seconds_until(started + WINDOW))

    async def clear(self, email: str) -> None:
        async with short_connection(self.engine) as connection:
            await repository.clear_sign_in_failures(connection, email)

    async def close(self) -> None:
        return None


# Atomic in Redis: the first failure starts the window (the key's time to live).
_COUNT_SCRIPT = """
local failures = redis.call('INCR', KEYS[1])
if failures == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {failures, redis.call('TTL', KEYS[1])}
"""


class RedisFailureCounter:
    def __init__(self, url: str, key_prefix: str) -> None:
        self._redis: Redis = Redis.from_url(url)
        self._prefix = key_prefix + "sign-in-failures:"
        self._count = self._redis.register_script(_COUNT_SCRIPT)

    async def count(self, email: str, connection: AsyncConnection) -> Attempt:
        window = int(WINDOW.total_seconds())
        result = cast(list[int], await self._count(keys=[self._prefix + email], args=[window]))
        failures, ttl = int(result[0]), int(result[1])
        return Attempt(failures, ttl if ttl > 0 else window)

    async def clear(self, email: str) -> None:
        await self._redis.delete(self._prefix + email)

    async def close(self) -> None:
        await self._redis.aclose()


def failure_counter(settings: Settings, engine: AsyncEngine) -> FailureCounter:
    if settings.redis_url:
        return RedisFailureCounter(settings.redis_url, settings.redis_key_prefix)
    return DatabaseFailureCounter(engine)

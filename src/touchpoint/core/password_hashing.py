"""Password hashes on their own bounded pool of threads, never on the database's account.

An argon2 hash costs tens of milliseconds of CPU. Run on the default executor and unbounded,
a burst of sign-ins queues hashes without limit, and if connections are held meanwhile it
starves every other request. Here hashes run at most `threads` at a time; at most `waiting`
more may queue; any beyond are refused at once (503 with Retry-After), so a burst costs a
bounded wait and never more CPU than the process has.

The bound is per process on purpose: it limits this process's CPU, which is not shared state.
"""

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from touchpoint.core.errors import ServiceUnavailable
from touchpoint.core.security import hash_password, verify_password

Result = TypeVar("Result")


class BoundedPasswordHasher:
    def __init__(self, threads: int | None = None, waiting: int = 128) -> None:
        self.threads = threads or os.cpu_count() or 1
        self.capacity = self.threads + waiting
        self._admitted = 0
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="password-hash")

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """Whether the password matches; a None hash still costs one hash (and is False)."""
        return await self._run(verify_password, password_hash, password)

    async def hash(self, password: str) -> str:
        return await self._run(hash_password, password)

    async def _run(self, function: Callable[..., Result], *arguments: object) -> Result:
        # Only the event loop's thread reads and changes the count, so it needs no lock.
        if self._admitted >= self.capacity:
            raise ServiceUnavailable("Too many sign-ins are being checked; retry shortly.")
        self._admitted += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, function, *arguments)
        finally:
            self._admitted -= 1

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

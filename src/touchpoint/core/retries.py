"""Deadlocks and serialization failures: the whole request is run again, then it is a 503.

Every write path takes its locks in one order (an account before its activities and contacts),
so these failures should not happen; when one does anyway, the database has rolled the
transaction back and nothing was written, so running the request again is safe.
`RetryingRoute`, the route class of every router that writes, runs the request again: the body
is read once and replayed to every attempt, and a failed attempt's 503 answer is held back
unless it is the last one. Reads run in autocommit, take no row locks and pass straight through.
"""

import asyncio
import random

from fastapi.routing import APIRoute
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# PostgreSQL's serialization_failure and deadlock_detected.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
MAX_ATTEMPTS = 4
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Set by the error handler on the request's scope when the attempt failed transiently.
TRANSIENT_FAILURE = "touchpoint.transient_failure"


def is_transient(error: BaseException) -> bool:
    """Whether the database refused the transaction only because of a concurrent one."""
    if not isinstance(error, DBAPIError):
        return False
    return getattr(error.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


def mark_transient_failure(scope: Scope) -> None:
    scope[TRANSIENT_FAILURE] = True


async def _read_body(receive: Receive) -> list[Message]:
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            return messages


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _holding_back_failures(scope: Scope, send: Send) -> Send:
    async def sent(message: Message) -> None:
        if not scope.get(TRANSIENT_FAILURE):
            await send(message)

    return sent


def retrying(app: ASGIApp) -> ASGIApp:
    """The route's app, run again (with a short, growing, jittered pause) after a transient
    failure; the last attempt's answer is sent whatever it is."""

    async def retried(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WRITE_METHODS:
            await app(scope, receive, send)
            return
        body = await _read_body(receive)
        for attempt in range(1, MAX_ATTEMPTS):
            scope[TRANSIENT_FAILURE] = False
            await app(scope, _replaying(body, receive), _holding_back_failures(scope, send))
            if not scope[TRANSIENT_FAILURE]:
                return
            await asyncio.sleep(random.uniform(0.005, 0.02) * 2**attempt)  # noqa: S311
        scope[TRANSIENT_FAILURE] = False
        await app(scope, _replaying(body, receive), send)

    return retried


class RetryingRoute(APIRoute):
    """The route class of every router: its requests are retried after transient failures."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await retrying(super().handle)(scope, receive, send)

"""The one place that renders errors as application/problem+json (RFC 9457)."""

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
import redis.exceptions
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.routing import iter_route_contexts
from sqlalchemy import exc as sqlalchemy_errors
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from touchpoint.core.errors import (
    BadRequest,
    FieldError,
    ServiceUnavailable,
    TouchpointError,
    ValidationFailed,
)
from touchpoint.core.fields import SYSTEM_FIELDS
from touchpoint.core.retries import is_transient, mark_transient_failure

logger = logging.getLogger("touchpoint")

PROBLEM_MEDIA_TYPE = "application/problem+json"
_NOT_AN_OBJECT = {"model_attributes_type", "dict_type", "model_type", "missing"}
_MESSAGES = {
    "extra_forbidden": "Unknown field.",
    "missing": "Field required.",
}


def problem_response(error: TouchpointError, instance: str) -> Response:
    body: dict[str, Any] = {
        "type": f"/problems/{error.slug}",
        "title": error.title,
        "status": error.status,
        "detail": error.detail,
        "instance": instance,
    }
    if error.errors is not None:
        body["errors"] = [{"field": e.field, "message": e.message} for e in error.errors]
    return Response(
        orjson.dumps(body),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=error.headers,
    )


def field_path(location: Sequence[int | str]) -> str:
    """('body', 'participants', 1, 'email') -> 'participants[1].email'."""
    path = ""
    for part in location[1:] if location and location[0] in ("body", "query", "path") else location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def _message(error: dict[str, Any]) -> str:
    location = tuple(error.get("loc", ()))
    if error["type"] == "extra_forbidden" and len(location) == 2 and location[1] in SYSTEM_FIELDS:
        return "Is read-only: the service sets it."
    if error["type"] in _MESSAGES:
        return _MESSAGES[error["type"]]
    message = str(error.get("msg", "Invalid value."))
    return message.removeprefix("Value error, ")


def translate_validation_error(exc: RequestValidationError) -> TouchpointError:
    """Body-level failures (not JSON, not an object) are 400; field failures are 422."""
    errors = list(exc.errors())
    for error in errors:
        location = tuple(error.get("loc", ()))
        if error["type"] == "json_invalid":
            return BadRequest("The request body is not valid JSON.")
        if location == ("body",) and error["type"] in _NOT_AN_OBJECT:
            return BadRequest("The request body must be a JSON object.")
    fields: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for error in errors:
        item = FieldError(field_path(tuple(error.get("loc", ()))), _message(error))
        if (item.field, item.message) not in seen:
            seen.add((item.field, item.message))
            fields.append(item)
    return ValidationFailed(fields)


async def _on_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TouchpointError)
    return problem_response(exc, request.url.path)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return problem_response(translate_validation_error(exc), request.url.path)


def allowed_methods(request: Request) -> list[str]:
    """Every method of every route whose path template matches the request's path."""
    methods: set[str] = set()
    scope = dict(request.scope)
    for route in iter_route_contexts(request.app.routes):
        route_methods = route.methods
        if not route_methods:
            continue
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= set(route_methods)
    return sorted(methods)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route matching the path; a path can have
        # routes in several routers (GET in one, PATCH in another): name them all.
        headers["Allow"] = ", ".join(allowed_methods(request))
    error = TouchpointError(
        f"{request.method} is not allowed here; see Allow."
        if exc.status_code == 405
        else str(exc.detail),
        headers=headers,
    )
    error.status, error.title = exc.status_code, HTTPStatus(exc.status_code).phrase
    error.slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http")
    return problem_response(error, request.url.path)


# SQLSTATEs of a server that went away or does not take connections yet: class 08 (connection
# exception), 57P01-57P03 (shutdown by an administrator, after a crash; starting or stopping),
# 53300 (too many connections).
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
# asyncpg reads the server's "terminating connection" on an idle pooled connection as a protocol
# error (state 2: consuming an error) and sees the socket close only a moment later; a statement
# sent in between fails with this, before SQLAlchemy can tell the connection is gone.
_BROKEN_BY_THE_SERVER = "another operation (2) is in progress"


def is_connection_loss(error: BaseException) -> bool:
    """The database connection was lost or could not be made: the request may be retried.

    SQLAlchemy flags a disconnect it detects (`connection_invalidated`, and it then replaces the
    pool's connections); the driver's errors (SQLSTATE, or an OSError underneath) say the rest.
    """
    if isinstance(error, sqlalchemy_errors.DBAPIError) and error.connection_invalidated:
        return True
    cause: BaseException | None = error
    for _ in range(5):  # the DBAPI error, the driver's error under it, its own cause
        if cause is None:
            break
        if isinstance(cause, OSError):
            return True
        sqlstate = getattr(cause, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES):
            return True
        if type(cause).__name__ == "InternalClientError" and _BROKEN_BY_THE_SERVER in str(cause):
            return True
        cause = getattr(cause, "orig", None) or cause.__cause__
    return False


async def _on_database_unavailable(request: Request, exc: Exception) -> Response:
    # Every connection busy past the pool's timeout, or the database unreachable or gone away
    # (stopped, restarting, the connection dropped): retryable.
    logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    error = ServiceUnavailable("The database is busy or unreachable; retry shortly.")
    return problem_response(error, request.url.path)


async def _on_database_error(request: Request, exc: Exception) -> Response:
    """A lost connection or a concurrent conflict is a retryable 503; anything else a 500."""
    if is_connection_loss(exc):
        return await _on_database_unavailable(request, exc)
    if not is_transient(exc):
        return await _on_unexpected_error(request, exc)
    # A deadlock or serialization failure: the request is run again (core.retries); this
    # answer reaches the client only when the last attempt failed too.
    logger.info("transient database failure on %s %s: %s", request.method, request.url.path, exc)
    mark_transient_failure(request.scope)
    error = ServiceUnavailable("The change conflicted with concurrent ones; retry shortly.")
    return problem_response(error, request.url.path)


async def _on_unexpected_error(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(TouchpointError("An unexpected error occurred."), request.url.path)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(TouchpointError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    unavailable_errors = (
        sqlalchemy_errors.TimeoutError,
        sqlalchemy_errors.OperationalError,
        OSError,
        # The failed sign-in counter, when it lives in Redis.
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
    )
    for unavailable in unavailable_errors:
        app.add_exception_handler(unavailable, _on_database_unavailable)
    app.add_exception_handler(sqlalchemy_errors.DBAPIError, _on_database_error)
    app.add_exception_handler(Exception, _on_unexpected_error)

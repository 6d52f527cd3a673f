"""Engine construction and the per-request unit of work."""

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import Request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from touchpoint.core.settings import Settings
from touchpoint.core.time_buckets import bucket_label


def async_database_url(url: str) -> str:
    """Map the URL an operator writes to the async driver that serves it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    elif parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


# A number of 19 digits or more may not fit 64 bits, which orjson reads as a float, losing
# digits: such rare documents (metadata may hold any JSON number) go through the json module.
_LONG_NUMBER = re.compile(r"\d{19}")


def json_value(text: str) -> Any:
    """A stored JSON document as Python values: orjson (several times faster) where exact."""
    if _LONG_NUMBER.search(text):
        return json.loads(text)
    return orjson.loads(text)


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work beside the single writer; busy_timeout makes writers queue, not fail.
    # isolation_level None hands BEGIN to _begin_sqlite instead of the driver's implicit BEGIN.
    dbapi_connection.isolation_level = None
    # SQLite's lower() folds ASCII only; searches use this one so "ÉCOLE" finds "École" as on
    # PostgreSQL.
    dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)
    # SQLite knows no time zones: statistics cut their day, week… buckets with this one, so the
    # grouping still happens in SQL (core/time_buckets.py).
    dbapi_connection.create_function("time_bucket", 3, bucket_label, deterministic=True)
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "busy_timeout=15000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_sqlite(connection: Any) -> None:
    """A write transaction takes SQLite's write lock at BEGIN, so every read in it is current
    and it can never fail halfway for want of the lock; reads (autocommit) take no lock."""
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _replace_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A connection the server closed while it sat in the pool (a restart, a failover, an idle
    timeout) is replaced at checkout rather than handed to a request that would fail on it.
    asyncpg notices a closed socket on its own, so unlike `pool_pre_ping` this costs no round trip.
    """
    if dbapi_connection._connection.is_closed():
        raise DisconnectionError("closed by the server while in the pool")


def create_engine(settings: Settings) -> AsyncEngine:
    url = async_database_url(settings.database_url)
    if is_sqlite(url):
        engine = create_async_engine(
            url,
            pool_size=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout,
            json_deserializer=json_value,
        )
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        event.listen(engine.sync_engine, "begin", _begin_sqlite)
        return engine
    engine = create_async_engine(
        url,
        pool_size=settings.database_pool_size,
        max_overflow=0,
        pool_timeout=settings.database_pool_timeout,
        connect_args={"timeout": settings.database_connect_timeout},
        json_deserializer=json_value,
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed_connection)
    return engine


_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@asynccontextmanager
async def unit_of_work(engine: AsyncEngine, method: str) -> AsyncIterator[AsyncConnection]:
    """One transaction per request: committed when the handler succeeds, rolled back otherwise.

    A read runs each statement on its own (autocommit): it writes nothing, and skipping
    BEGIN and COMMIT saves two of its four round trips to the database.
    """
    async with engine.connect() as connection:
        if method in _READ_ONLY_METHODS:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            yield connection
        except BaseException:
            await connection.rollback()
            raise
        await connection.commit()


async def request_unit_of_work(request: Request) -> AsyncIterator[AsyncConnection]:
    """The unit of work as a dependency, for a route that needs no tenant."""
    async with unit_of_work(request.app.state.engine, request.method) as connection:
        yield connection


@asynccontextmanager
async def short_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A pooled connection whose statements each commit on their own, for work that must give
    the connection back before something slow (a password hash) runs."""
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


@asynccontextmanager
async def long_read(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection of its own for a read that outlives its request (a streamed export).

    On PostgreSQL a READ ONLY, REPEATABLE READ transaction: a server-side cursor lives only in
    a transaction, and every statement of it sees one snapshot, so a long export is consistent
    with itself. On SQLite, autocommit: a transaction there would BEGIN IMMEDIATE and hold the
    write lock for the whole stream (see _begin_sqlite); in WAL mode the streaming SELECT reads
    one snapshot anyway and blocks no writer.
    """
    async with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            yield connection
            return
        await connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        async with connection.begin():
            yield connection

"""Hot statements: built once, compiled once, run as prepared statements.

A statement built per request costs CPU on every request: building it, computing the key of
SQLAlchemy's compiled cache, then SQLAlchemy's execution and result layers around the driver
(`bench/micro_costs.py` measures each). A hot statement is instead built once per shape, with
every value a named bind parameter: the principal's (`TenantScope.parameters`, from a scope
`for_every_principal`) and the request's. It is still built from the tenant scope, so tenancy
and privacy hold by construction as for any other statement.

On PostgreSQL a statement runs its SQL, compiled once, straight on asyncpg, which prepares it
on the connection once and keeps it: outside a transaction (every GET: see
core.database.unit_of_work), or inside the one SQLAlchemy has begun. SQLite's statements, and
the first of a write's transaction (SQLAlchemy begins it then), run through SQLAlchemy, with
the same prebuilt statement. `run` does the same for statements built per request.
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import asyncpg
from sqlalchemy import ClauseElement, Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError, InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.compiler import SQLCompiler

Row = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bind parameters in their positional order ($1, $2…)
    processors: Mapping[str, Callable[[Any], Any]]
    # The values the statement itself holds (a literal such as 'ORGANIZATION').
    defaults: Mapping[str, Any]
    # Each column's name and the conversion its type applies to read values, as SQLAlchemy
    # would (None: as the driver reads it).
    columns: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    # Values written into the SQL at each execution (IN lists, literal_execute), column
    # defaults computed in Python, or a column read conversion only SQLAlchemy's execution can
    # choose: SQLAlchemy runs such a statement.
    postcompiled: bool
    compiled: SQLCompiler

    def row(self, record: asyncpg.Record) -> dict[str, Any]:
        return {
            name: value if convert is None else convert(value)
            for (name, convert), value in zip(self.columns, record.values(), strict=True)
        }

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        values = []
        for name in self.names:
            value = parameters[name] if name in parameters else self.defaults[name]
            processor = self.processors.get(name)
            values.append(value if processor is None else processor(value))
        return values


def _compiled(statement: ClauseElement, dialect: Dialect, key: Any = None) -> _Compiled:
    # With its cache key, the compiled form maps the values of any statement of the same key
    # onto its own parameters (construct_params' extracted_parameters), as SQLAlchemy's cache.
    compiled = cast(SQLCompiler, statement.compile(dialect=dialect, cache_key=key))
    names = tuple(compiled.positiontup or ())
    # A type that converts values on their way in (few do) converts them here too.
    known = compiled._bind_processors
    processors = {name: known[name] for name in names if callable(known.get(name))}
    # Only values the statement holds: a parameter left to its execution (the principal's)
    # must be given, as SQLAlchemy requires too.
    required = {compiled.bind_names[bind] for bind in compiled.binds.values() if bind.required}
    values = compiled.construct_params(_check=False)
    defaults = {name: value for name, value in values.items() if name not in required}
    converters = cast(Mapping[str, Callable[[Any], Any]], processors)
    columns = _conversions(compiled, dialect)
    # Column defaults computed in Python (insert_prefetch, update_prefetch) are filled in by
    # SQLAlchemy's execution, not by the compiled parameters.
    postcompiled = bool(
        compiled.literal_execute_params
        or compiled.post_compile_params
        or compiled.insert_prefetch
        or compiled.update_prefetch
    )
    return _Compiled(
        compiled.string,
        names,
        converters,
        defaults,
        columns or (),
        postcompiled or columns is None,
        compiled,
    )


def _conversions(
    compiled: SQLCompiler, dialect: Dialect
) -> tuple[tuple[str, Callable[[Any], Any] | None], ...] | None:
    """Each column's name and read conversion; None when one depends on the type the driver
    reports for the column (PostgreSQL's numeric types), which only SQLAlchemy's execution
    knows."""
    try:
        return tuple(
            (column.keyname, column.type._cached_result_processor(dialect, None))
            for column in compiled._result_columns
        )
    except (TypeError, ValueError, LookupError, InvalidRequestError):
        return None


@dataclass(slots=True)
class Prepared:
    """One hot statement; executed with every bind parameter's value."""

    statement: ClauseElement
    _postgresql: _Compiled | None = field(default=None, init=False)

    async def all(
        self, connection: AsyncConnection, parameters: Mapping[str, Any]
    ) -> Sequence[Row]:
        if connection.dialect.name == "postgresql":
            driver = await _driver_of(connection)
            if driver is not None:
                compiled = self._postgresql
                if compiled is None:
                    compiled = self._postgresql = _compiled(self.statement, connection.dialect)
                if not compiled.postcompiled:
                    return await _fetch(driver, compiled, compiled.arguments(parameters))
        result = await connection.execute(cast(Executable, self.statement), parameters)
        return cast(Sequence[Row], result.mappings().all()) if result.returns_rows else []

    async def first(self, connection: AsyncConnection, parameters: Mapping[str, Any]) -> Row | None:
        rows = await self.all(connection, parameters)
        return rows[0] if rows else None


async def _fetch(
    driver: asyncpg.Connection, compiled: _Compiled, arguments: list[Any]
) -> list[Row]:
    try:
        records = await driver.fetch(compiled.sql, *arguments)
    except asyncpg.IntegrityConstraintViolationError as error:
        # As SQLAlchemy would raise them: a repository reads a violated constraint from it,
        # one handler answers the rest (core/problems.py).
        raise IntegrityError(compiled.sql, None, error) from error
    except (asyncpg.PostgresError, asyncpg.InterfaceError, asyncpg.InternalClientError) as error:
        # InternalClientError: a connection the server is closing (core/problems.py).
        raise DBAPIError(compiled.sql, None, error) from error
    # asyncpg's records read like mappings but are not Mappings (iterating one gives its
    # values): dicts, converted as SQLAlchemy would.
    return [compiled.row(record) for record in records]


# Statements built per request, compiled once per shape: by the key SQLAlchemy's own compiled
# cache uses, which holds the statement's structure and leaves its values out.
_BY_CACHE_KEY: dict[Any, _Compiled] = {}
_BY_CACHE_KEY_LIMIT = 2_000


async def run(connection: AsyncConnection, statement: ClauseElement) -> Sequence[Row]:
    """Any statement's rows (a read's, or what a write returns). On PostgreSQL straight on
    asyncpg (the statement compiled once per shape, as SQLAlchemy does), skipping SQLAlchemy's
    execution and result layers: for a page of 50 rows they cost more than the driver itself."""
    if connection.dialect.name == "postgresql":
        driver = await _driver_of(connection)
        key = statement._generate_cache_key() if driver is not None else None
        if driver is not None and key is not None:
            compiled = _BY_CACHE_KEY.get(key.key)
            if compiled is None:
                if len(_BY_CACHE_KEY) >= _BY_CACHE_KEY_LIMIT:
                    _BY_CACHE_KEY.clear()
                compiled = _compiled(statement, connection.dialect, key)
                _BY_CACHE_KEY[key.key] = compiled
            if not compiled.postcompiled:
                values = compiled.compiled.construct_params(extracted_parameters=key.bindparams)
                return await _fetch(driver, compiled, compiled.arguments(values))
    result = await connection.execute(cast(Executable, statement))
    return cast(Sequence[Row], result.mappings().all()) if result.returns_rows else []


async def _driver_of(connection: AsyncConnection) -> asyncpg.Connection | None:
    """The driver's connection, when a statement sent straight to it runs where SQLAlchemy
    would run it: each on its own (autocommit), or in the transaction SQLAlchemy has begun.
    SQLAlchemy begins a transaction at its first statement, not at BEGIN: before that, a
    statement sent to the driver would run outside it, so SQLAlchemy runs that one."""
    pooled = await connection.get_raw_connection()
    adapted = pooled.dbapi_connection
    if adapted is None:
        return None
    if not getattr(adapted, "autocommit", False) and getattr(adapted, "_transaction", None) is None:
        return None
    return cast(asyncpg.Connection, pooled.driver_connection)


class PreparedStatements:
    """Hot statements by shape (what changes their SQL: a role that sees private rows or not,
    an id or a uid…), each built by `build` the first time its shape is asked for. Per
    process, like compiled code: it holds no data."""

    def __init__(self) -> None:
        self._by_shape: dict[Hashable, Prepared] = {}

    def get(self, shape: Hashable, build: Callable[[], ClauseElement]) -> Prepared:
        prepared = self._by_shape.get(shape)
        if prepared is None:
            prepared = self._by_shape[shape] = Prepared(build())
        return prepared

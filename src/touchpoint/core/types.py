"""Column types that store the same values on PostgreSQL and SQLite."""

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ColumnElement,
    DateTime,
    FunctionElement,
    Integer,
    Text,
    func,
    literal,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeDecorator, TypeEngine

# bigserial on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the auto-incrementing rowid.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# jsonb on PostgreSQL, JSON text on SQLite.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """timestamptz on PostgreSQL; on SQLite a naive UTC string, which sorts like the instant."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "postgresql":
            # asyncpg reads timestamptz in UTC already: only an expression typed timestamp
            # (a bound literal) comes back naive. Two calls per value cost an exported row
            # more than its JSON encoding.
            return _utc_from_postgresql
        return super().result_processor(dialect, coltype)


def _utc_from_postgresql(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class StringList(TypeDecorator[list[str]]):
    """text[] on PostgreSQL, a JSON array on SQLite."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(Text()))
        return dialect.type_descriptor(JSON())

    def process_result_value(self, value: list[str] | None, dialect: Dialect) -> list[str]:
        return list(value) if value is not None else []

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name == "postgresql":
            # asyncpg gives text[] as a list of str already: ARRAY's own per-item pass cost more
            # than the rest of reading an exported row's two lists.
            return _listed
        return super().result_processor(dialect, coltype)


def _listed(value: list[str] | None) -> list[str]:
    return value if value is not None else []


class holds_any(FunctionElement[bool]):  # noqa: N801 (used like an SQL function)
    """Whether a StringList column holds any of the values."""

    type = Boolean()
    inherit_cache = True
    name = "holds_any"

    def __init__(self, column: ColumnElement[list[str]], values: Sequence[str]) -> None:
        super().__init__(
            column, literal(list(values), ARRAY(Text())), literal(json.dumps(list(values)))
        )


@compiles(holds_any, "postgresql")
def _holds_any_on_postgresql(element: holds_any, compiler: SQLCompiler, **kw: Any) -> str:
    # text[] && text[], which a GIN index on the column serves.
    column, values, _json = element.clauses.clauses
    return f"{compiler.process(column, **kw)} && {compiler.process(values, **kw)}"


@compiles(holds_any, "sqlite")
def _holds_any_on_sqlite(element: holds_any, compiler: SQLCompiler, **kw: Any) -> str:
    # Only the clauses used are compiled: the PostgreSQL array is not bound here.
    clauses = element.clauses.clauses
    column, values = compiler.process(clauses[0], **kw), compiler.process(clauses[2], **kw)
    return (
        f"EXISTS (SELECT 1 FROM json_each({column}) AS held"  # noqa: S608
        f" WHERE held.value IN (SELECT value FROM json_each({values})))"
    )


def each_value(column: ColumnElement[list[str]], dialect: str, name: str) -> Any:
    """One row per value of a StringList column (its column `value`), to join laterally:
    unnest on PostgreSQL, json_each on SQLite."""
    if dialect == "sqlite":
        return func.json_each(column).table_valued("value").alias(name)
    return func.unnest(column).table_valued("value").render_derived(name).lateral(name)

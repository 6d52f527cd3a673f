"""Alembic environment: runs migrations on the async engine of either database."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from touchpoint.core.database import async_database_url
from touchpoint.core.full_text import fts_table
from touchpoint.core.settings import get_settings
from touchpoint.models import metadata
from touchpoint.models.base import sqlite_unique_key_name

config = context.config
_MIGRATION_LOCK = 7_315_001  # an arbitrary advisory-lock key: one migrator at a time
_FULL_TEXT_TABLES = {
    fts_table(table) + suffix
    for table in metadata.tables.values()
    if "search_text" in table.c
    for suffix in ("", "_data", "_idx", "_docsize", "_config", "_content")
}


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


# SQLite's form of a tenant table's (organization_id, id) primary key (models/base.py) has a
# unique constraint beside PRIMARY KEY (id): part of the key, not a constraint of the models.
_SQLITE_KEY_TWINS = {
    name for table in metadata.tables.values() if (name := sqlite_unique_key_name(table))
}


def _include_object(
    item: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Indexes marked postgresql_only (GIN) exist only there; elsewhere they are not expected.
    SQLite's full-text tables (activities_search and the tables FTS5 keeps for it) are not
    in the models: they serve what PostgreSQL's GIN index serves. Nor is the unique
    constraint SQLite keeps beside a composite key's PRIMARY KEY (id)."""
    dialect = context.get_context().dialect.name
    if type_ == "index" and item.info.get("postgresql_only"):
        return bool(dialect == "postgresql")
    if type_ == "unique_constraint" and reflected and compare_to is None:
        return not (dialect == "sqlite" and name in _SQLITE_KEY_TWINS)
    return not (type_ == "table" and reflected and name in _FULL_TEXT_TABLES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        user_module_prefix="types.",
    )


def _run(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})"))
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(async_database_url(_url()), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())

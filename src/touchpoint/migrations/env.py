"""Alembic environment: runs migrations on the async engine of either database."""

import asyncio
from typing import Any

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from touchpoint.core.database import async_database_url
from touchpoint.core.settings import get_settings
from touchpoint.models import metadata

config = context.config
_MIGRATION_LOCK = 7_315_001  # an arbitrary advisory-lock key: one migrator at a time


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def _include_object(
    item: Any, _name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Indexes marked postgresql_only (GIN) exist only there; elsewhere they are not expected."""
    if type_ == "index" and item.info.get("postgresql_only"):
        return bool(context.get_context().dialect.name == "postgresql")
    return True


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

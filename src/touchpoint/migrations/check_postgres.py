"""`alembic check` on a scratch PostgreSQL database.

Usage: python -m touchpoint.migrations.check_postgres ADMIN_URL
"""

import asyncio
import os
import sys

import asyncpg

from touchpoint.migrations import runner


async def _recreate(admin_url: str, name: str, drop_only: bool = False) -> None:
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


def main(admin_url: str) -> None:
    name = f"touchpoint_migration_check_{os.getpid()}"
    asyncio.run(_recreate(admin_url, name))
    try:
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
        runner.upgrade(url)
        runner.check(url)
        print("PostgreSQL: the migrations match the models.")
    finally:
        asyncio.run(_recreate(admin_url, name, drop_only=True))


if __name__ == "__main__":
    main(sys.argv[1])

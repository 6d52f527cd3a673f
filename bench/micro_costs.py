"""What the pieces of a request cost, in one process on one connection (after a `make bench`).

    .venv/bin/python bench/micro_costs.py [--database touchpoint_bench]

Statement building and cache keys, SQLAlchemy against asyncpg round trips, JWT, pydantic.
Round trips are sequential on one connection: µs of wall time, PostgreSQL included. It uses
`activities.service._schema` on purpose (what `present` runs per row): update it with the code.
"""

import argparse
import asyncio
import json
import sys
import time
import timeit
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import orjson
from loadgen import PGBENCH_DIR
from pydantic import TypeAdapter
from run import SECRET_KEY
from sqlalchemy.ext.asyncio import create_async_engine
from tools import RESULTS_DIR, database_url

from touchpoint.activities.documents import activity_document as to_schema
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.repository import SORT_ORDERS, ActivityRepository
from touchpoint.activities.schemas import Activity
from touchpoint.auth import repository as auth_repository
from touchpoint.core.paging import Page, page_query
from touchpoint.core.references import Reference
from touchpoint.core.security import issue_access_token, read_access_token
from touchpoint.core.tenancy import Principal, Role, TenantScope
from touchpoint.models import activities

ORDER = SORT_ORDERS["-activityTimestamp"]
FIVE = ActivityFilters(account_id=5)


def per_call_us(function: Callable[[], object], number: int = 2000) -> float:
    return timeit.timeit(function, number=number) / number * 1e6


async def per_await_us(function: Callable[[int], Awaitable[object]], number: int) -> float:
    started = time.perf_counter()
    for index in range(number):
        await function(index)
    return (time.perf_counter() - started) / number * 1e6


def statement_costs(repository: ActivityRepository) -> None:
    def get() -> Any:
        statement = repository.reading().where(Reference(id=12345).matches(activities))
        return statement.where(activities.c.deleted_at.is_(None))

    def page() -> Any:
        statement = repository.reading().where(
            *repository.conditions(ActivityFilters(account_id=5))
        )
        return page_query(statement, ORDER, None, 50)

    builders: tuple[tuple[str, Callable[[], Any]], ...] = (("get", get), ("list", page))
    for name, build in builders:
        built = per_call_us(build)
        keyed = per_call_us(lambda build=build: build()._generate_cache_key())  # type: ignore[misc]
        print(f"build the {name} Select: {built:.0f} us; + its cache key: {keyed - built:.0f} us")


def pure_costs() -> None:
    token = issue_access_token(1, SECRET_KEY, 3600)
    print(f"read_access_token: {per_call_us(lambda: read_access_token(token, SECRET_KEY)):.0f} us")
    plain = per_call_us(lambda: json.loads("[]"))
    fast = per_call_us(lambda: orjson.loads("[]"))
    print(f"json.loads('[]'): {plain:.2f} us; orjson.loads('[]'): {fast:.2f} us")


def pydantic_costs(rows: list[Any]) -> None:
    models = [to_schema(row) for row in rows[:50]]
    adapter = TypeAdapter(Page[Activity])
    page = Page[Activity](data=models, next_cursor=None)
    rows_us = per_call_us(lambda: [to_schema(row) for row in rows[:50]], 300)
    dump_us = per_call_us(
        lambda: adapter.dump_json(adapter.validate_python(page), by_alias=True), 300
    )
    print(f"to_schema x50: {rows_us:.0f} us; validate + dump_json of Page (50): {dump_us:.0f} us")


def _sql(script: str, names: dict[str, str]) -> str:
    lines = (PGBENCH_DIR / script).read_text().splitlines()
    sql = "\n".join(line for line in lines if not line.startswith(("--", "\\")))
    for name, number in names.items():
        sql = sql.replace(f":{name}", number)
    return sql


async def round_trips(database: str, scope: TenantScope, org_id: int) -> list[Any]:
    engine = create_async_engine(database_url(database).replace("://", "+asyncpg://", 1))
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        repository = ActivityRepository(connection, scope)
        rows = list(await repository.list_page(repository.conditions(FIVE), ORDER, None, 50))
        get = await per_await_us(lambda i: repository.find(Reference(id=10_000 + i)), 2000)
        page = await per_await_us(
            lambda i: repository.list_page(
                repository.conditions(ActivityFilters(account_id=1 + i % 1000)), ORDER, None, 50
            ),
            500,
        )
        auth = await per_await_us(
            lambda _: auth_repository.find_key_and_member(connection, "0" * 64, org_id, 1), 2000
        )
    await engine.dispose()
    raw = await asyncpg.connect(database_url(database))
    get_statement = await raw.prepare(_sql("get.sql", {"org_id": "$1", "id": "$2"}))
    list_statement = await raw.prepare(_sql("list.sql", {"org_id": "$1", "account": "$2"}))
    raw_get = await per_await_us(lambda i: get_statement.fetchrow(org_id, 10_000 + i), 2000)
    raw_list = await per_await_us(lambda i: list_statement.fetch(org_id, 1 + i % 1000), 500)
    await raw.close()
    print(f"get round trip: SQLAlchemy {get:.0f} us; asyncpg prepared {raw_get:.0f} us")
    print(f"list-51 round trip: SQLAlchemy {page:.0f} us; asyncpg prepared {raw_list:.0f} us")
    print(f"auth query round trip (SQLAlchemy): {auth:.0f} us")
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="touchpoint_bench")
    args = parser.parse_args(argv)
    credentials = json.loads((RESULTS_DIR / f"{args.database}.json").read_text())
    org_id, user_id = int(credentials["orgId"]), int(credentials["userId"])
    principal = Principal(org_id, user_id, "Bench Owner", credentials["email"], Role.OWNER, 1)
    scope = TenantScope(principal)
    statement_costs(ActivityRepository(None, scope))  # type: ignore[arg-type]
    pure_costs()
    rows = asyncio.run(round_trips(args.database, scope, org_id))
    pydantic_costs(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

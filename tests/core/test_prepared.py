"""Hot statements (core/prepared.py): built once for every principal, they still see only the
principal's organization, and cannot run at all without the principal's values."""

import pytest
from sqlalchemy.exc import StatementError

from tests.factories import create_account, create_activity
from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.repository import SORT_ORDERS, ActivityRepository
from touchpoint.core.prepared import Prepared, _driver_of, run
from touchpoint.core.references import Reference
from touchpoint.core.tenancy import Principal, Role, TenantScope
from touchpoint.models import accounts, activities


def scope_of(tenant, role: Role = Role.OWNER) -> TenantScope:
    principal = Principal(int(tenant.org_id), int(tenant.user_id), "", tenant.email, role, 1)
    return TenantScope(principal)


class TestHotStatements:
    async def test_one_statement_serves_each_principal_only_its_own_rows(
        self, client, tenant, other_tenant
    ):
        mine = await create_activity(
            client, tenant.headers, (await create_account(client, tenant.headers))["id"]
        )
        theirs = await create_activity(
            client, other_tenant.headers, (await create_account(client, other_tenant.headers))["id"]
        )
        engine = tenant.app.state.engine
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            for reader, own, foreign in ((tenant, mine, theirs), (other_tenant, theirs, mine)):
                repository = ActivityRepository(connection, scope_of(reader))
                found = await repository.find(Reference(id=int(own["id"])))
                assert found is not None
                assert str(found["id"]) == own["id"]
                assert await repository.find(Reference(id=int(foreign["id"]))) is None
                assert await repository.find(Reference(uid=foreign["uid"])) is None

    async def test_statements_of_one_shape_each_run_with_their_own_values(self, client, tenant):
        """Compiled once per shape (core/prepared.py run), a statement built per request
        still runs with its own values, not those of the first of its shape."""
        expected = {}
        for _ in range(3):
            account = (await create_account(client, tenant.headers))["id"]
            activity = await create_activity(client, tenant.headers, account)
            expected[int(account)] = [int(activity["id"])]
        engine = tenant.app.state.engine
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            repository = ActivityRepository(connection, scope_of(tenant))
            order = SORT_ORDERS["-activityTimestamp"]
            for account_id, ids in [*expected.items(), *reversed(expected.items())]:
                conditions = repository.conditions(ActivityFilters(account_id=account_id))
                rows = await repository.list_page(conditions, order, None, 10)
                assert [row["id"] for row in rows] == ids

    async def test_a_write_sent_to_the_driver_is_undone_with_its_transaction(self, client, tenant):
        account = await create_account(client, tenant.headers, name="Before")
        scope = scope_of(tenant)
        rename = (
            scope.update(accounts)
            .where(accounts.c.id == int(account["id"]))
            .values(name="After")
            .returning(accounts.c.name)
        )
        engine = tenant.app.state.engine
        async with engine.connect() as connection:
            # The first statement begins the transaction (through SQLAlchemy); the next ones
            # go to the driver on PostgreSQL, inside it.
            assert await run(connection, rename) == [{"name": "After"}]
            if tenant.app.state.engine.dialect.name == "postgresql":
                assert await _driver_of(connection) is not None
            assert await run(connection, rename) == [{"name": "After"}]
            await connection.rollback()
        read = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert read.json()["name"] == "Before"

    @pytest.mark.parametrize("autocommit", [True, False])
    async def test_it_cannot_run_without_the_principals_values(self, tenant, autocommit):
        statement = scope_of(tenant).for_every_principal().select(activities, activities.c.id)
        engine = tenant.app.state.engine
        async with engine.connect() as connection:
            if autocommit:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
            with pytest.raises((KeyError, StatementError)):
                await Prepared(statement).all(connection, {})

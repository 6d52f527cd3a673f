"""What every soft-deletable tenant resource's repository shares: find, list, change, delete."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast

from sqlalchemy import ColumnElement, RowMapping, Select, Table, bindparam, func, null
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.prepared import PreparedStatements, run
from touchpoint.core.references import Reference
from touchpoint.core.tenancy import TenantScope

# Every repository's find and insert, by shape (core/prepared.py).
_FINDS = PreparedStatements()
_INSERTS = PreparedStatements()


class Repository(Protocol):
    def __init__(self, connection: AsyncConnection, scope: TenantScope) -> None: ...


SiblingRepository = TypeVar("SiblingRepository", bound=Repository)


@dataclass(frozen=True, slots=True)
class ResourceRepository:
    """Subclasses name their table, the columns a read returns and those a write returns."""

    connection: AsyncConnection
    scope: TenantScope
    table: ClassVar[Table]
    columns: ClassVar[tuple[Any, ...]]
    returned_columns: ClassVar[tuple[Any, ...]]

    def sibling(self, repository: type[SiblingRepository]) -> SiblingRepository:
        """Another feature's repository in the same unit of work and tenant scope."""
        return repository(self.connection, self.scope)

    def refusal(self, error: IntegrityError) -> Exception:
        """The domain error a constraint violation means for this resource."""
        return error

    def prepared(self, values: dict[str, Any]) -> dict[str, Any]:
        """Column values as the statement needs them (a subclass may turn ids into checks)."""
        return values

    async def write(self, statement: Any) -> RowMapping | None:
        try:
            rows = await run(self.connection, statement.returning(*self.returned_columns))
        except IntegrityError as error:
            raise self.refusal(error) from error
        # A RowMapping or, from asyncpg (core/prepared.py), a dict: both read alike.
        return cast(RowMapping, rows[0]) if rows else None

    async def insert(self, values: dict[str, Any]) -> RowMapping:
        """A hot statement (core/prepared.py), one per set of columns given (and which of them
        are None: NULL is written into the SQL, as SQLAlchemy writes a None value)."""
        nulls = frozenset(name for name, value in values.items() if value is None)
        shape = (type(self), frozenset(values), nulls)
        given = {name: value for name, value in values.items() if value is not None}

        def build() -> Any:
            shared = replace(self, scope=self.scope.for_every_principal())
            columns = self.table.c
            bound = {name: bindparam(name, type_=columns[name].type) for name in given}
            statement = shared.scope.insert(
                self.table, shared.prepared({**bound, **dict.fromkeys(nulls, null())})
            )
            return statement.returning(*self.returned_columns)

        try:
            rows = await _INSERTS.get(shape, build).all(
                self.connection, self.scope.parameters | given
            )
        except IntegrityError as error:
            raise self.refusal(error) from error
        return cast(RowMapping, rows[0])

    async def update_row(self, row_id: int, values: dict[str, Any]) -> RowMapping:
        statement = self.scope.update(self.table).where(self.table.c.id == row_id)
        row = await self.write(statement.values(**self.prepared(values)))
        assert row is not None, "update_row is given a row found (and locked) in this unit of work"
        return row

    def reading(self) -> Select[Any]:
        """The scoped statement every read starts from."""
        return self.scope.select(self.table, *self.columns)

    async def all(self, statement: Any) -> Sequence[RowMapping]:
        # A RowMapping or, from asyncpg (core/prepared.py), a dict: both read alike.
        return cast(Sequence[RowMapping], await run(self.connection, statement))

    async def find(
        self, reference: Reference, *, include_deleted: bool = False, for_update: bool = False
    ) -> RowMapping | None:
        """One row by id or uid; for_update locks it until the unit of work ends (PostgreSQL)."""
        shape = (type(self), self.scope.shape, reference.by_id, include_deleted, for_update)

        def build() -> Select[Any]:
            shared = replace(self, scope=self.scope.for_every_principal())
            statement = shared.reading().where(reference.matches_parameter(self.table))
            if not include_deleted:
                statement = statement.where(self.table.c.deleted_at.is_(None))
            if for_update:
                statement = statement.with_for_update(of=self.table)
            return statement

        parameters = self.scope.parameters | reference.parameters
        row = await _FINDS.get(shape, build).first(self.connection, parameters)
        # A RowMapping or, from asyncpg, a dict: both read alike.
        return cast(RowMapping | None, row)

    async def lock(
        self, reference: Reference, *, include_deleted: bool = False, naming_account: int | None
    ) -> RowMapping | None:
        """The row, locked for a change (`naming_account`: the account the change moves it to)."""
        return await self.find(reference, include_deleted=include_deleted, for_update=True)

    async def list_page(
        self,
        conditions: Sequence[ColumnElement[bool]],
        order: SortOrder,
        after: Position | None,
        limit: int,
    ) -> Sequence[RowMapping]:
        return await self.all(self.page_statement(conditions, order, after, limit))

    def page_statement(
        self,
        conditions: Sequence[ColumnElement[bool]],
        order: SortOrder,
        after: Position | None,
        limit: int,
    ) -> Select[Any]:
        return page_query(self.reading().where(*conditions), order, after, limit)

    def contains_text(self, column: ColumnElement[str], needle: str) -> ColumnElement[bool]:
        """Case-insensitive containment, Unicode-aware on both engines (see core.database)."""
        if self.connection.dialect.name == "sqlite":
            return func.unicode_lower(column).contains(needle.lower(), autoescape=True)
        return column.icontains(needle, autoescape=True)

    def live_condition(self, include_deleted: bool) -> list[ColumnElement[bool]]:
        return [] if include_deleted else [self.table.c.deleted_at.is_(None)]

    def deletion_values(self, now: datetime) -> dict[str, Any]:
        return {"deleted_at": now, "is_active": False, "updated_at": now}

    def restoration_values(self, now: datetime) -> dict[str, Any]:
        return {"deleted_at": None, "is_active": True, "updated_at": now}


def violates(error: IntegrityError, constraint: str) -> bool:
    """Whether the violated constraint is this one (both engines name it in the message)."""
    return constraint in str(error.orig)

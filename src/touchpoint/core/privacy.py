"""Who may see a private row: the one rule, applied by the tenant scope to every read.

A table with a `visibility` column holds rows that may be PRIVATE. Such a row exists only for
its creator, its owner, the members linked as its participants, and ADMIN and OWNER; for anyone
else every statement built from the tenant scope simply does not find it.
"""

from typing import Any

from sqlalchemy import Boolean, ColumnElement, FunctionElement, Table, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from touchpoint.models.activities import Visibility


class has_participant(FunctionElement[bool]):  # noqa: N801 (used like an SQL function)
    """Whether a JSON list of participants holds one whose `key` is `value`, e.g. userId "7"."""

    type = Boolean()
    inherit_cache = True
    name = "has_participant"

    def __init__(
        self, participants: ColumnElement[Any], key: str, value: str | ColumnElement[str]
    ) -> None:
        super().__init__(
            participants, literal(key), literal(value) if isinstance(value, str) else value
        )


@compiles(has_participant, "postgresql")
def _on_postgresql(element: has_participant, compiler: SQLCompiler, **kw: Any) -> str:
    # jsonb @> '[{"userId": "7"}]', which the GIN index on participants serves.
    participants, key, value = (compiler.process(clause, **kw) for clause in element.clauses)
    return (
        f"{participants} @> jsonb_build_array("
        f"jsonb_build_object(CAST({key} AS TEXT), CAST({value} AS TEXT)))"
    )


@compiles(has_participant, "sqlite")
def _on_sqlite(element: has_participant, compiler: SQLCompiler, **kw: Any) -> str:
    participants, key, value = (compiler.process(clause, **kw) for clause in element.clauses)
    # Only compiled clauses are interpolated: the key and value are bound parameters.
    return (
        f"EXISTS (SELECT 1 FROM json_each({participants}) AS participant"  # noqa: S608
        f" WHERE json_extract(participant.value, '$.' || {key}) = {value})"
    )


def may_be_private(table: Table) -> bool:
    return "visibility" in table.c


def visible_to(
    table: Table, user_id: int | ColumnElement[int], user_key: str | ColumnElement[str]
) -> ColumnElement[bool]:
    """The rows of a table that may hold private ones which this member may see (for a member
    that does not manage the organization; managers see every row). `user_key` is the user id
    as participants hold it: text."""
    column = table.c
    return or_(
        column.visibility == Visibility.ORGANIZATION.value,
        column.created_by == user_id,
        column.owner_id == user_id,
        has_participant(column.participants, "userId", user_key),
    )

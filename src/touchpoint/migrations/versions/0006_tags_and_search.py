"""Tags and full-text search on activities; an index for follow-ups.

On SQLite the words live in the FTS5 table activities_search, which triggers keep in step with
activities.search_text. A later migration that rebuilds the activities table in batch mode
drops those triggers with the old table: it must create them again (`create_sqlite_search`).

Revision ID: 0006_tags_and_search
Revises: 0005_follow_up
Create Date: 2026-12-05 13:40:00.000000
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from touchpoint.core import types
from touchpoint.core.full_text import search_text

revision: str = "0006_tags_and_search"
down_revision: str | None = "0005_follow_up"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000
_SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE activities_search USING fts5(search_text, content='activities',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER activities_search_insert AFTER INSERT ON activities BEGIN"
    " INSERT INTO activities_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER activities_search_delete AFTER DELETE ON activities BEGIN"
    " INSERT INTO activities_search(activities_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER activities_search_update AFTER UPDATE OF search_text ON activities BEGIN"
    " INSERT INTO activities_search(activities_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO activities_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO activities_search(activities_search) VALUES ('rebuild')",
)


def create_sqlite_search() -> None:
    for statement in _SQLITE_SEARCH:
        op.execute(statement)


def _people(connection: sa.Connection, table: str, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    statement = sa.text(f"SELECT id, name, email FROM {table} WHERE id IN :ids")  # noqa: S608
    statement = statement.bindparams(sa.bindparam("ids", expanding=True))
    return {row.id: (row.name, row.email) for row in connection.execute(statement, {"ids": ids})}


def _linked(rows: Sequence[Any], key: str) -> set[int]:
    return {int(p[key]) for row in rows for p in _participants(row) if key in p}


def _participants(row: Any) -> list[dict[str, Any]]:
    # Plain SQL reads JSON back as text on both drivers.
    value = row.participants
    parsed: list[dict[str, Any]] = json.loads(value) if isinstance(value, str) else value
    return parsed


def _backfill(connection: sa.Connection) -> None:
    """The words of the activities that exist, as the service writes them from now on."""
    select = sa.text(
        "SELECT id, title, description, location, outcome, participants FROM activities"
        " WHERE id > :after ORDER BY id LIMIT :batch"
    )
    update = sa.text("UPDATE activities SET search_text = :text WHERE id = :id")
    after = 0
    while rows := connection.execute(select, {"after": after, "batch": _BATCH}).all():
        contacts = _people(connection, "contacts", _linked(rows, "contactId"))
        members = _people(connection, "users", _linked(rows, "userId"))
        values = []
        for row in rows:
            parts = [row.title, row.description, row.location, row.outcome]
            for participant in _participants(row):
                person = contacts.get(int(participant.get("contactId", 0))) or members.get(
                    int(participant.get("userId", 0))
                )
                parts += [participant.get("name"), participant.get("email"), *(person or ())]
            values.append({"id": row.id, "text": search_text(parts)})
        connection.execute(update, values)
        after = rows[-1].id


def upgrade() -> None:
    connection = op.get_bind()
    empty = "'{}'" if connection.dialect.name == "postgresql" else "'[]'"
    op.add_column(
        "activities",
        sa.Column("tags", types.StringList(), server_default=sa.text(empty), nullable=False),
    )
    op.add_column(
        "activities", sa.Column("search_text", sa.Text(), server_default="", nullable=False)
    )
    _backfill(connection)
    followed = sa.text("follow_up_of_id IS NOT NULL")
    op.create_index(
        "ix_activities_follow_ups",
        "activities",
        ["organization_id", "follow_up_of_id"],
        postgresql_where=followed,
        sqlite_where=followed,
    )
    if connection.dialect.name == "postgresql":
        op.create_index(
            "ix_activities_search",
            "activities",
            [sa.text("to_tsvector('simple'::regconfig, search_text)")],
            postgresql_using="gin",
        )
        op.create_index("ix_activities_tags", "activities", ["tags"], postgresql_using="gin")
    else:
        create_sqlite_search()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_activities_tags", table_name="activities")
        op.drop_index("ix_activities_search", table_name="activities")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER activities_search_{trigger}")
        op.execute("DROP TABLE activities_search")
    op.drop_index("ix_activities_follow_ups", table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("search_text")
        batch.drop_column("tags")

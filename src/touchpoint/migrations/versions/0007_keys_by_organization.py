"""Keys by organization: every tenant table's primary key, unique constraints and foreign keys
between tenant tables include organization_id, as a PostgreSQL sharded by organization (Citus)
requires (docs/scaling.md).

PostgreSQL: the primary key of each tenant table with an id becomes (organization_id, id); the
UNIQUE (organization_id, id) the composite foreign keys pointed at is then redundant and goes,
the foreign keys pointing at the primary key instead. Ids keep coming from each table's own
bigserial sequence: the columns and their defaults are untouched.

SQLite: only an INTEGER PRIMARY KEY column is generated (the rowid's alias), so the primary key
stays (id) with UNIQUE (organization_id, id) beside it (see models/base.py); the tables that
lacked that unique constraint get it.

Both: API key hashes and invitation token hashes are unique per organization, and a history
entry's API key is referenced by (organization_id, api_key_id).

Revision ID: 0007_keys_by_organization
Revises: 0006_tags_and_search
Create Date: 2026-12-09 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_keys_by_organization"
down_revision: str | None = "0006_tags_and_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYED = ("accounts", "activities", "contacts", "api_keys", "change_history", "invitations")
# The tables whose UNIQUE (organization_id, id) the PostgreSQL primary key makes redundant.
_UNIQUE_ID = ("accounts", "activities", "contacts", "api_keys")
# (name, table, columns, referred table): each points at (organization_id, id) of its referent.
_COMPOSITE = (
    (
        "fk_activities_organization_id_account_id_accounts",
        "activities",
        ["organization_id", "account_id"],
        "accounts",
    ),
    (
        "fk_activities_organization_id_follow_up_of_id_activities",
        "activities",
        ["organization_id", "follow_up_of_id"],
        "activities",
    ),
    (
        "fk_contacts_organization_id_account_id_accounts",
        "contacts",
        ["organization_id", "account_id"],
        "accounts",
    ),
)
_HISTORY_KEY_OLD = "fk_change_history_api_key_id_api_keys"
_HISTORY_KEY = "fk_change_history_organization_id_api_key_id_api_keys"
_KEY_HASH_OLD, _KEY_HASH = "uq_api_keys_key_hash", "uq_api_keys_key_hash_organization_id"
_TOKEN_OLD, _TOKEN = "uq_invitations_token_hash", "uq_invitations_organization_id_token_hash"
_BY_ORGANIZATION = ["organization_id", "id"]


def _postgresql_upgrade() -> None:
    # The foreign keys depend on the indexes about to be replaced: dropped first, made again
    # last, against the new primary keys.
    for name, table, _columns, _referent in _COMPOSITE:
        op.drop_constraint(name, table, type_="foreignkey")
    op.drop_constraint(_HISTORY_KEY_OLD, "change_history", type_="foreignkey")
    for table in _KEYED:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, _BY_ORGANIZATION)
    for table in _UNIQUE_ID:
        op.drop_constraint(f"uq_{table}_organization_id_id", table, type_="unique")
    op.drop_constraint(_KEY_HASH_OLD, "api_keys", type_="unique")
    op.create_unique_constraint(_KEY_HASH, "api_keys", ["key_hash", "organization_id"])
    op.drop_constraint(_TOKEN_OLD, "invitations", type_="unique")
    op.create_unique_constraint(_TOKEN, "invitations", ["organization_id", "token_hash"])
    for name, table, columns, referent in _COMPOSITE:
        op.create_foreign_key(name, table, referent, columns, _BY_ORGANIZATION)
    op.create_foreign_key(
        _HISTORY_KEY,
        "change_history",
        "api_keys",
        ["organization_id", "api_key_id"],
        _BY_ORGANIZATION,
    )


def _postgresql_downgrade() -> None:
    for name, table, _columns, _referent in _COMPOSITE:
        op.drop_constraint(name, table, type_="foreignkey")
    op.drop_constraint(_HISTORY_KEY, "change_history", type_="foreignkey")
    op.drop_constraint(_TOKEN, "invitations", type_="unique")
    op.create_unique_constraint(_TOKEN_OLD, "invitations", ["token_hash"])
    op.drop_constraint(_KEY_HASH, "api_keys", type_="unique")
    op.create_unique_constraint(_KEY_HASH_OLD, "api_keys", ["key_hash"])
    for table in _UNIQUE_ID:
        op.create_unique_constraint(f"uq_{table}_organization_id_id", table, _BY_ORGANIZATION)
    for table in _KEYED:
        op.drop_constraint(f"pk_{table}", table, type_="primary")
        op.create_primary_key(f"pk_{table}", table, ["id"])
    for name, table, columns, referent in _COMPOSITE:
        op.create_foreign_key(name, table, referent, columns, _BY_ORGANIZATION)
    op.create_foreign_key(_HISTORY_KEY_OLD, "change_history", "api_keys", ["api_key_id"], ["id"])


def _sqlite_upgrade() -> None:
    # Each batch rebuilds its table (copying every row, ids included); activities, accounts and
    # contacts already have what SQLite keeps, so the activities' search triggers stay as made.
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint(_KEY_HASH_OLD, type_="unique")
        batch.create_unique_constraint(_KEY_HASH, ["key_hash", "organization_id"])
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint(_TOKEN_OLD, type_="unique")
        batch.create_unique_constraint(_TOKEN, ["organization_id", "token_hash"])
        batch.create_unique_constraint("uq_invitations_organization_id_id", _BY_ORGANIZATION)
    with op.batch_alter_table("change_history") as batch:
        batch.drop_constraint(_HISTORY_KEY_OLD, type_="foreignkey")
        batch.create_unique_constraint("uq_change_history_organization_id_id", _BY_ORGANIZATION)
        batch.create_foreign_key(
            _HISTORY_KEY, "api_keys", ["organization_id", "api_key_id"], _BY_ORGANIZATION
        )


def _sqlite_downgrade() -> None:
    with op.batch_alter_table("change_history") as batch:
        batch.drop_constraint(_HISTORY_KEY, type_="foreignkey")
        batch.drop_constraint("uq_change_history_organization_id_id", type_="unique")
        batch.create_foreign_key(_HISTORY_KEY_OLD, "api_keys", ["api_key_id"], ["id"])
    with op.batch_alter_table("invitations") as batch:
        batch.drop_constraint("uq_invitations_organization_id_id", type_="unique")
        batch.drop_constraint(_TOKEN, type_="unique")
        batch.create_unique_constraint(_TOKEN_OLD, ["token_hash"])
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint(_KEY_HASH, type_="unique")
        batch.create_unique_constraint(_KEY_HASH_OLD, ["key_hash"])


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_upgrade()
    else:
        _sqlite_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_downgrade()
    else:
        _sqlite_downgrade()

"""Follow-up, ownership and privacy on activities; engagement figures on accounts.

Revision ID: 0005_follow_up
Revises: 0004_invitations
Create Date: 2026-12-01 11:32:18.766701
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from touchpoint.core import types

revision: str = "0005_follow_up"
down_revision: str | None = "0004_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_LIVE_PENDING = "status = 'PENDING' AND deleted_at IS NULL"
_COUNTED = "deleted_at IS NULL AND visibility = 'ORGANIZATION'"
_NEVER = datetime(1, 1, 1, tzinfo=UTC)
# The figures of the accounts that exist already, as core/engagement.py keeps them from now on.
_OF_ACCOUNT = (
    "FROM activities AS a WHERE a.organization_id = accounts.organization_id"
    " AND a.account_id = accounts.id AND a.deleted_at IS NULL AND a.visibility = 'ORGANIZATION'"
)
_ENGAGEMENT = f"""
UPDATE accounts SET
  last_activity_at = COALESCE((SELECT max(a.activity_timestamp) {_OF_ACCOUNT}
    AND a.status <> 'CANCELLED' AND a.activity_timestamp <= :now), :never),
  next_activity_at = (SELECT min(a.activity_timestamp) {_OF_ACCOUNT}
    AND a.status = 'PENDING' AND a.activity_timestamp > :now),
  open_activities = (SELECT count(*) {_OF_ACCOUNT} AND a.status = 'PENDING'),
  engagement_changes_at = (SELECT min(a.activity_timestamp) {_OF_ACCOUNT}
    AND a.status <> 'CANCELLED' AND a.activity_timestamp > :now)
"""  # noqa: S608 (constants only)


def _partial(name: str, columns: list[str], where: str) -> None:
    condition = sa.text(where)
    op.create_index(name, "activities", columns, postgresql_where=condition, sqlite_where=condition)


def _activities() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("owner_id", _ID, nullable=True))
        batch.add_column(
            sa.Column("visibility", sa.Text(), server_default="ORGANIZATION", nullable=False)
        )
        batch.add_column(sa.Column("outcome", sa.Text(), nullable=True))
        batch.add_column(sa.Column("remind_at", types.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("follow_up_of_id", _ID, nullable=True))
        batch.add_column(sa.Column("completed_at", types.UtcDateTime(timezone=True), nullable=True))
    # Every activity so far is owned by whoever recorded it; completed ones keep no instant.
    op.execute("UPDATE activities SET owner_id = created_by")
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("owner_id", existing_type=_ID, nullable=False)
        batch.create_unique_constraint(
            batch.f("uq_activities_organization_id_id"), ["organization_id", "id"]
        )
        batch.create_foreign_key(
            batch.f("fk_activities_owner_id_users"), "users", ["owner_id"], ["id"]
        )
        batch.create_foreign_key(
            batch.f("fk_activities_organization_id_follow_up_of_id_activities"),
            "activities",
            ["organization_id", "follow_up_of_id"],
            ["organization_id", "id"],
        )
        batch.create_check_constraint(
            batch.f("ck_activities_visibility"), "visibility IN ('ORGANIZATION', 'PRIVATE')"
        )
    _partial(
        "ix_activities_pending", ["organization_id", "activity_timestamp", "id"], _LIVE_PENDING
    )
    _partial(
        "ix_activities_pending_by_owner",
        ["organization_id", "owner_id", "activity_timestamp", "id"],
        _LIVE_PENDING,
    )
    _partial(
        "ix_activities_open_by_account",
        ["organization_id", "account_id", "activity_timestamp"],
        f"{_LIVE_PENDING} AND visibility = 'ORGANIZATION'",
    )
    _partial(
        "ix_activities_counted_by_account",
        ["organization_id", "account_id", "activity_timestamp"],
        f"{_COUNTED} AND status <> 'CANCELLED'",
    )


def _accounts() -> None:
    timestamp = types.UtcDateTime(timezone=True)
    with op.batch_alter_table("accounts") as batch:
        batch.add_column(sa.Column("last_activity_at", timestamp, nullable=True))
        batch.add_column(sa.Column("next_activity_at", timestamp, nullable=True))
        batch.add_column(
            sa.Column("open_activities", sa.Integer(), server_default="0", nullable=False)
        )
        batch.add_column(sa.Column("engagement_changes_at", timestamp, nullable=True))
    statement = sa.text(_ENGAGEMENT).bindparams(
        sa.bindparam("now", datetime.now(UTC), type_=timestamp),
        sa.bindparam("never", _NEVER, type_=timestamp),
    )
    op.get_bind().execute(statement)
    with op.batch_alter_table("accounts") as batch:
        batch.alter_column("last_activity_at", existing_type=timestamp, nullable=False)
    op.create_index(
        op.f("ix_accounts_organization_id_engagement_changes_at"),
        "accounts",
        ["organization_id", "engagement_changes_at"],
    )
    op.create_index(
        op.f("ix_accounts_organization_id_last_activity_at_id"),
        "accounts",
        ["organization_id", "last_activity_at", "id"],
    )


def upgrade() -> None:
    _activities()
    _accounts()


def downgrade() -> None:
    op.drop_index(op.f("ix_accounts_organization_id_last_activity_at_id"), table_name="accounts")
    op.drop_index(op.f("ix_accounts_organization_id_engagement_changes_at"), table_name="accounts")
    with op.batch_alter_table("accounts") as batch:
        for column in (
            "engagement_changes_at",
            "open_activities",
            "next_activity_at",
            "last_activity_at",
        ):
            batch.drop_column(column)
    for index in (
        "ix_activities_counted_by_account",
        "ix_activities_open_by_account",
        "ix_activities_pending_by_owner",
        "ix_activities_pending",
    ):
        op.drop_index(index, table_name="activities")
    with op.batch_alter_table("activities") as batch:
        batch.drop_constraint(batch.f("ck_activities_visibility"), type_="check")
        batch.drop_constraint(
            batch.f("fk_activities_organization_id_follow_up_of_id_activities"),
            type_="foreignkey",
        )
        batch.drop_constraint(batch.f("fk_activities_owner_id_users"), type_="foreignkey")
        batch.drop_constraint(batch.f("uq_activities_organization_id_id"), type_="unique")
        for column in (
            "completed_at",
            "follow_up_of_id",
            "remind_at",
            "outcome",
            "visibility",
            "owner_id",
        ):
            batch.drop_column(column)

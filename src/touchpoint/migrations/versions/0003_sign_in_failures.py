"""Failed sign-ins per email, counted across workers (the per-email sign-in limit).

Revision ID: 0003_sign_in_failures
Revises: 0002
Create Date: 2026-12-01 08:12:06.161531
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from touchpoint.core import types

revision: str = "0003_sign_in_failures"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Unlogged on PostgreSQL: a commit that wrote only unlogged rows does not wait for the WAL
    # to reach disk, so counting a sign-in costs no fsync. The price, counts lost on a crash
    # or failover, is one a rate limit can pay.
    unlogged = ["UNLOGGED"] if op.get_bind().dialect.name == "postgresql" else []
    op.create_table(
        "sign_in_failures",
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_sign_in_failures")),
        prefixes=unlogged,
    )
    op.create_index(
        op.f("ix_sign_in_failures_window_started_at"),
        "sign_in_failures",
        ["window_started_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_failures_window_started_at"), table_name="sign_in_failures")
    op.drop_table("sign_in_failures")

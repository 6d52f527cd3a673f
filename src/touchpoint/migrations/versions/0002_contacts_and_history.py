"""Contacts, the change history, and a GIN index on activities' participants (PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 17:45:56.350495
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from touchpoint.core import types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "organization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("resource_type", sa.Text(), nullable=False),
        sa.Column(
            "resource_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("changed_at", types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "api_key_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "changes",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.CheckConstraint(
            "action IN ('create', 'update', 'delete', 'restore')",
            name=op.f("ck_change_history_action"),
        ),
        sa.CheckConstraint(
            "resource_type IN ('account', 'activity', 'contact')",
            name=op.f("ck_change_history_resource_type"),
        ),
        sa.ForeignKeyConstraint(
            ["api_key_id"], ["api_keys.id"], name=op.f("fk_change_history_api_key_id_api_keys")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_change_history_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_change_history_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_history")),
    )
    op.create_index(
        op.f("ix_change_history_organization_id_resource_type_resource_id_changed_at_id"),
        "change_history",
        ["organization_id", "resource_type", "resource_id", "changed_at", "id"],
        unique=False,
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("uid", sa.Text(), nullable=False),
        sa.Column(
            "organization_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("first_name", sa.Text(), nullable=False),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("contact_type", sa.Text(), nullable=False),
        sa.Column(
            "metadata",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("is_active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column(
            "created_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", types.UtcDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "contact_type IN ('PRIMARY', 'BILLING', 'LEGAL', 'EXECUTIVE', 'OTHER')",
            name=op.f("ck_contacts_contact_type"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_contacts_created_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "account_id"],
            ["accounts.organization_id", "accounts.id"],
            name=op.f("fk_contacts_organization_id_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_contacts_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
        sa.UniqueConstraint("organization_id", "id", name=op.f("uq_contacts_organization_id_id")),
        sa.UniqueConstraint("organization_id", "uid", name=op.f("uq_contacts_organization_id_uid")),
    )
    op.create_index(
        op.f("ix_contacts_organization_id_account_id_created_at_id"),
        "contacts",
        ["organization_id", "account_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_contacts_organization_id_created_at_id"),
        "contacts",
        ["organization_id", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "uq_contacts_live_email",
        "contacts",
        ["organization_id", sa.literal_column("lower(email)")],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_activities_participants",
            "activities",
            ["participants"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"participants": "jsonb_path_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_activities_participants", table_name="activities")
    op.drop_index(
        "uq_contacts_live_email",
        table_name="contacts",
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_index(op.f("ix_contacts_organization_id_created_at_id"), table_name="contacts")
    op.drop_index(
        op.f("ix_contacts_organization_id_account_id_created_at_id"), table_name="contacts"
    )
    op.drop_table("contacts")
    op.drop_index(
        op.f("ix_change_history_organization_id_resource_type_resource_id_changed_at_id"),
        table_name="change_history",
    )
    op.drop_table("change_history")

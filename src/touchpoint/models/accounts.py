"""Accounts: the customer companies activities are about."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Table, Text, UniqueConstraint, text, true

from touchpoint.core.types import BigId, JsonDocument, UtcDateTime
from touchpoint.models.base import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("uid", Text, nullable=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", Text, nullable=False),
    # Stored lower-cased, so uniqueness is case-insensitive.
    Column("primary_domain", Text, nullable=False),
    Column("industry", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("website", Text, nullable=True),
    Column("metadata", JsonDocument, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    # Target of the activities' composite foreign key: an activity cannot point across tenants.
    UniqueConstraint("organization_id", "id"),
    UniqueConstraint("organization_id", "uid"),
    Index(
        "uq_accounts_live_primary_domain",
        "organization_id",
        "primary_domain",
        unique=True,
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
    Index(None, "organization_id", "created_at", "id"),
)

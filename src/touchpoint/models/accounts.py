"""Accounts: the customer companies activities are about."""

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)

from touchpoint.core.types import BigId, JsonDocument, UtcDateTime
from touchpoint.models.base import metadata, tenant_key

# "Never touched" is stored as the earliest instant, so one index both orders accounts by their
# last activity (never first) and finds those touched before a date; the API shows it as null.
NEVER = datetime(1, 1, 1, tzinfo=UTC)

accounts = Table(
    "accounts",
    metadata,
    Column("id", BigId, autoincrement=True),
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
    # Engagement, kept by every write to the account's activities (core/engagement.py).
    # A Python-side default: every insert path sets "never" without knowing the sentinel.
    Column("last_activity_at", UtcDateTime, nullable=False, default=NEVER),
    Column("next_activity_at", UtcDateTime, nullable=True),
    Column("open_activities", Integer, nullable=False, server_default="0"),
    # When time alone will change the figures above (the next activity's timestamp passing).
    Column("engagement_changes_at", UtcDateTime, nullable=True),
    # Also the target of the activities' and contacts' composite foreign keys: a row cannot
    # point across tenants.
    tenant_key(),
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
    Index(None, "organization_id", "last_activity_at", "id"),
    Index(None, "organization_id", "engagement_changes_at"),
)

"""Activities: every interaction with a customer account."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    true,
)

from touchpoint.core.types import BigId, JsonDocument, StringList, UtcDateTime
from touchpoint.models.base import metadata

ACTIVITY_TYPES = (
    "CALL",
    "EMAIL",
    "MEETING",
    "CHAT",
    "SITE_VISIT",
    "REVIEW",
    "PRESENTATION",
    "TRAINING",
)
ACTIVITY_STATUSES = ("PENDING", "COMPLETED", "CANCELLED")

activities = Table(
    "activities",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("uid", Text, nullable=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("account_id", BigId, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("type", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("activity_timestamp", UtcDateTime, nullable=False),
    Column("duration", Integer, nullable=False),
    Column("location", Text, nullable=False),
    Column("participants", JsonDocument, nullable=False),
    Column("attachment_urls", StringList, nullable=False),
    Column("title", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("metadata", JsonDocument, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(
        ["organization_id", "account_id"], ["accounts.organization_id", "accounts.id"]
    ),
    UniqueConstraint("organization_id", "uid"),
    CheckConstraint(f"type IN {ACTIVITY_TYPES!r}", name="type"),
    CheckConstraint(f"status IN {ACTIVITY_STATUSES!r}", name="status"),
    CheckConstraint("duration BETWEEN 0 AND 10080", name="duration"),
    # Each index ends in (sort key, id): the keyset order of the list, read forwards or backwards.
    Index(None, "organization_id", "activity_timestamp", "id"),
    Index(None, "organization_id", "account_id", "activity_timestamp", "id"),
    Index(None, "organization_id", "created_at", "id"),
    Index(None, "organization_id", "created_by", "activity_timestamp", "id"),
    # Serves participants @> '[{"contactId": "…"}]' (and userId); SQLite scans within the org.
    Index(
        "ix_activities_participants",
        "participants",
        postgresql_using="gin",
        postgresql_ops={"participants": "jsonb_path_ops"},
        info={"postgresql_only": True},
    ),
)

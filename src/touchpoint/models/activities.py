"""Activities: every interaction with a customer account."""

from enum import StrEnum

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
    text,
    true,
)

from touchpoint.core.types import BigId, JsonDocument, StringList, UtcDateTime
from touchpoint.models.base import metadata, tenant_key


class ActivityType(StrEnum):
    CALL = "CALL"
    EMAIL = "EMAIL"
    MEETING = "MEETING"
    CHAT = "CHAT"
    SITE_VISIT = "SITE_VISIT"
    REVIEW = "REVIEW"
    PRESENTATION = "PRESENTATION"
    TRAINING = "TRAINING"


class ActivityStatus(StrEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Visibility(StrEnum):
    ORGANIZATION = "ORGANIZATION"
    PRIVATE = "PRIVATE"


def _one_of(values: type[StrEnum]) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


_LIVE_PENDING = "status = 'PENDING' AND deleted_at IS NULL"
_COUNTED = "deleted_at IS NULL AND visibility = 'ORGANIZATION'"

activities = Table(
    "activities",
    metadata,
    Column("id", BigId, autoincrement=True),
    Column("uid", Text, nullable=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("account_id", BigId, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    # The member responsible for it (the follow-up queue's "mine"); the creator by default.
    Column("owner_id", ForeignKey("users.id"), nullable=False),
    Column("visibility", Text, nullable=False, server_default=Visibility.ORGANIZATION.value),
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
    Column("outcome", Text, nullable=True),
    Column("remind_at", UtcDateTime, nullable=True),
    Column("follow_up_of_id", BigId, nullable=True),
    Column("completed_at", UtcDateTime, nullable=True),
    # Lower-case, each once. The migration gives it an empty default on each engine ('{}' on
    # PostgreSQL, '[]' on SQLite), so rows loaded by plain SQL may leave it out.
    Column("tags", StringList, nullable=False),
    # The words a search matches (core/full_text.py), written with every change of them.
    Column("search_text", Text, nullable=False, server_default=""),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(
        ["organization_id", "account_id"], ["accounts.organization_id", "accounts.id"]
    ),
    # A follow-up points at an activity of its own organization only.
    ForeignKeyConstraint(
        ["organization_id", "follow_up_of_id"], ["activities.organization_id", "activities.id"]
    ),
    tenant_key(),
    UniqueConstraint("organization_id", "uid"),
    CheckConstraint(f"type IN {_one_of(ActivityType)}", name="type"),
    CheckConstraint(f"status IN {_one_of(ActivityStatus)}", name="status"),
    CheckConstraint(f"visibility IN {_one_of(Visibility)}", name="visibility"),
    CheckConstraint("duration BETWEEN 0 AND 10080", name="duration"),
    # Each index ends in (sort key, id): the keyset order of the list, read forwards or backwards.
    Index(None, "organization_id", "activity_timestamp", "id"),
    Index(None, "organization_id", "account_id", "activity_timestamp", "id"),
    Index(None, "organization_id", "created_at", "id"),
    Index(None, "organization_id", "created_by", "activity_timestamp", "id"),
    # The follow-up queue, everyone's and one owner's: pending rows only, oldest first.
    Index(
        "ix_activities_pending",
        "organization_id",
        "activity_timestamp",
        "id",
        postgresql_where=text(_LIVE_PENDING),
        sqlite_where=text(_LIVE_PENDING),
    ),
    Index(
        "ix_activities_pending_by_owner",
        "organization_id",
        "owner_id",
        "activity_timestamp",
        "id",
        postgresql_where=text(_LIVE_PENDING),
        sqlite_where=text(_LIVE_PENDING),
    ),
    # An account's engagement figures: its next and open activities, and its last one.
    Index(
        "ix_activities_open_by_account",
        "organization_id",
        "account_id",
        "activity_timestamp",
        postgresql_where=text(f"{_LIVE_PENDING} AND visibility = 'ORGANIZATION'"),
        sqlite_where=text(f"{_LIVE_PENDING} AND visibility = 'ORGANIZATION'"),
    ),
    Index(
        "ix_activities_counted_by_account",
        "organization_id",
        "account_id",
        "activity_timestamp",
        postgresql_where=text(f"{_COUNTED} AND status <> 'CANCELLED'"),
        sqlite_where=text(f"{_COUNTED} AND status <> 'CANCELLED'"),
    ),
    # A follow-up's activity: the followUpOfId filter, and the check of the foreign key when an
    # activity is removed for good (without it, a scan of the organization per removed row).
    Index(
        "ix_activities_follow_ups",
        "organization_id",
        "follow_up_of_id",
        postgresql_where=text("follow_up_of_id IS NOT NULL"),
        sqlite_where=text("follow_up_of_id IS NOT NULL"),
    ),
    # Search (core/full_text.py): SQLite's counterpart is the FTS5 table activities_search.
    Index(
        "ix_activities_search",
        text("to_tsvector('simple'::regconfig, search_text)"),
        postgresql_using="gin",
        info={"postgresql_only": True},
    ),
    # Serves tags && ARRAY['…'], the tag filter; SQLite scans within the org.
    Index("ix_activities_tags", "tags", postgresql_using="gin", info={"postgresql_only": True}),
    # Serves participants @> '[{"contactId": "…"}]' (and userId); SQLite scans within the org.
    Index(
        "ix_activities_participants",
        "participants",
        postgresql_using="gin",
        postgresql_ops={"participants": "jsonb_path_ops"},
        info={"postgresql_only": True},
    ),
)

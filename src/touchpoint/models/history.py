"""The change history of accounts, activities and contacts."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, ForeignKeyConstraint, Index, Table, Text

from touchpoint.core.types import BigId, JsonDocument, UtcDateTime
from touchpoint.models.base import metadata, tenant_key

RESOURCE_TYPES = ("account", "activity", "contact")
ACTIONS = ("create", "update", "delete", "restore")

change_history = Table(
    "change_history",
    metadata,
    Column("id", BigId, autoincrement=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("resource_type", Text, nullable=False),
    Column("resource_id", BigId, nullable=False),
    Column("action", Text, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("user_id", ForeignKey("users.id"), nullable=False),
    Column("api_key_id", BigId, nullable=True),
    # {"field": {"old": …, "new": …}} for an update; null for the other actions.
    Column("changes", JsonDocument, nullable=True),
    tenant_key(),
    ForeignKeyConstraint(
        ["organization_id", "api_key_id"], ["api_keys.organization_id", "api_keys.id"]
    ),
    CheckConstraint(f"resource_type IN {RESOURCE_TYPES!r}", name="resource_type"),
    CheckConstraint(f"action IN {ACTIONS!r}", name="action"),
    Index(None, "organization_id", "resource_type", "resource_id", "changed_at", "id"),
)

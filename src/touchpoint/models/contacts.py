"""Contacts: the people at customer accounts."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
    true,
)

from touchpoint.core.types import BigId, JsonDocument, UtcDateTime
from touchpoint.models.base import metadata, tenant_key

CONTACT_TYPES = ("PRIMARY", "BILLING", "LEGAL", "EXECUTIVE", "OTHER")

contacts = Table(
    "contacts",
    metadata,
    Column("id", BigId, autoincrement=True),
    Column("uid", Text, nullable=False),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("account_id", BigId, nullable=False),
    Column("first_name", Text, nullable=False),
    Column("last_name", Text, nullable=True),
    Column("email", Text, nullable=False),
    Column("phone", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("contact_type", Text, nullable=False),
    Column("metadata", JsonDocument, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    ForeignKeyConstraint(
        ["organization_id", "account_id"], ["accounts.organization_id", "accounts.id"]
    ),
    tenant_key(),
    UniqueConstraint("organization_id", "uid"),
    CheckConstraint(f"contact_type IN {CONTACT_TYPES!r}", name="contact_type"),
    # Emails are kept as written; uniqueness among live contacts ignores case.
    Index(
        "uq_contacts_live_email",
        "organization_id",
        func.lower(text("email")),
        unique=True,
        postgresql_where=text("deleted_at IS NULL"),
        sqlite_where=text("deleted_at IS NULL"),
    ),
    Index(None, "organization_id", "created_at", "id"),
    Index(None, "organization_id", "account_id", "created_at", "id"),
)

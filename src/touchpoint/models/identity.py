"""Organizations (tenants), users, their memberships and the organizations' API keys."""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Table,
    Text,
    UniqueConstraint,
    true,
)

from touchpoint.core.types import BigId, UtcDateTime
from touchpoint.models.base import metadata, tenant_key

ROLES = ("OWNER", "ADMIN", "MEMBER", "VIEWER")

organizations = Table(
    "organizations",
    metadata,
    Column("id", BigId, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", BigId, primary_key=True),
    # Stored lower-cased, so the unique constraint is case-insensitive.
    Column("email", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=true()),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("email"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("organization_id", ForeignKey("organizations.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True),
    Column("role", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint(f"role IN {ROLES!r}", name="role"),
    Index(None, "user_id"),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", BigId, autoincrement=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    Column("name", Text, nullable=False),
    # SHA-256 of the whole key: keys are 256-bit random, so a fast hash is safe to store.
    Column("key_hash", Text, nullable=False),
    Column("key_prefix", Text, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("last_used_at", UtcDateTime, nullable=True),
    tenant_key(),
    # Unique per organization. The hash leads: authentication finds a key by its hash and the
    # X-Org-Id organization, and only its failure path (a key of another organization, to say
    # so) by the hash alone; both use this index.
    UniqueConstraint("key_hash", "organization_id"),
)

# Instance-wide secrets (the token signing key) that every worker must share.
service_secrets = Table(
    "service_secrets",
    metadata,
    Column("name", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

# Failed sign-ins per email (lower-cased), in a fixed window that starts at the first failure.
# Not a tenant table: one email's failures count across every organization. Rows whose window
# has passed are purged whenever a new window starts, so the table holds ~15 minutes' emails.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("email", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", UtcDateTime, nullable=False),
    Index(None, "window_started_at"),
)

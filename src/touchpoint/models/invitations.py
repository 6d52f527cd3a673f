"""Invitations to join an organization: a tenant table, reached through the tenant scope by
the members feature and, before a principal exists, by accepting in auth/repository.py."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Table, Text, UniqueConstraint

from touchpoint.core.types import BigId, UtcDateTime
from touchpoint.models.base import metadata, tenant_key
from touchpoint.models.identity import ROLES

invitations = Table(
    "invitations",
    metadata,
    Column("id", BigId, autoincrement=True),
    Column("organization_id", ForeignKey("organizations.id"), nullable=False),
    # Stored lower-cased, like users' emails.
    Column("email", Text, nullable=False),
    # The name the inviter gave, used for a new user who accepts without one.
    Column("name", Text, nullable=True),
    Column("role", Text, nullable=False),
    # SHA-256 of the token: tokens are 256-bit random, so a fast hash is safe to store.
    Column("token_hash", Text, nullable=False),
    Column("created_by", ForeignKey("users.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    CheckConstraint(f"role IN {ROLES!r}", name="role"),
    tenant_key(),
    UniqueConstraint("organization_id", "token_hash"),
    Index(None, "organization_id", "created_at", "id"),
)

# One unused invitation per email and organization, also under concurrent invitations. Expired
# ones are deleted before a new one is made (they can never be used), so they do not block it.
Index(
    None,
    invitations.c.organization_id,
    invitations.c.email,
    unique=True,
    postgresql_where=invitations.c.accepted_at.is_(None) & invitations.c.revoked_at.is_(None),
    sqlite_where=invitations.c.accepted_at.is_(None) & invitations.c.revoked_at.is_(None),
)

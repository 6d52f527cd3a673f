"""All tables in one metadata, so foreign keys never need cross-feature imports."""

from touchpoint.models.accounts import accounts
from touchpoint.models.activities import activities
from touchpoint.models.base import metadata
from touchpoint.models.contacts import contacts
from touchpoint.models.history import change_history
from touchpoint.models.identity import (
    api_keys,
    memberships,
    organizations,
    service_secrets,
    sign_in_failures,
    users,
)
from touchpoint.models.invitations import invitations

__all__ = [
    "accounts",
    "activities",
    "api_keys",
    "change_history",
    "contacts",
    "invitations",
    "memberships",
    "metadata",
    "organizations",
    "service_secrets",
    "sign_in_failures",
    "users",
]

"""SQL for identities: users, organizations, memberships, API keys, the signing secret, failed
sign-ins, and accepting invitations.

These statements run before a principal exists (signing in, checking credentials, bootstrap),
so they are the one place that does not start from the tenant scope. Each still names the
organization of every tenant row it reads or writes (the X-Org-Id header's, or the key's), so
a database sharded by organization sends it to one shard (docs/scaling.md). Three do not, by
nature: `find_unrevoked_key`, only on authentication's failure path; `memberships_of`, every
organization of one user; and those of the tables that belong to no organization (users,
organizations, the signing secret, failed sign-ins).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.prepared import Prepared
from touchpoint.models import (
    api_keys,
    invitations,
    memberships,
    organizations,
    service_secrets,
    sign_in_failures,
    users,
)

SIGNING_SECRET = "token-signing-key"
# lastUsedAt is written at most once a minute per key, not on every request.
KEY_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class KeyAndMember:
    """An API key and, when the user belongs to the key's organization, the membership."""

    key_id: int
    organization_id: int
    key_expires_at: datetime | None
    key_last_used_at: datetime | None
    user_id: int | None
    user_name: str | None
    user_email: str | None
    user_is_active: bool | None
    role: str | None


@dataclass(frozen=True, slots=True)
class KeyFacts:
    """An unrevoked API key: what every pre-principal check starts from."""

    key_id: int
    organization_id: int
    key_expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class SignInFacts(KeyFacts):
    """What signing in needs to know, read in one query: the key, and the user by email with
    their membership in the key's organization (user fields None when the email is unknown)."""

    user_id: int | None
    password_hash: str | None
    user_is_active: bool | None
    role: str | None


@dataclass(frozen=True, slots=True)
class UserCredentials:
    id: int
    password_hash: str
    is_active: bool


# The organization the request names (X-Org-Id): every tenant row a statement here reads.
_ORGANIZATION = bindparam("organization_id", type_=api_keys.c.organization_id.type)


def _the_key() -> ColumnElement[bool]:
    """The unrevoked key with `key_hash`, of the organization the request names."""
    return and_(
        api_keys.c.key_hash == bindparam("key_hash"),
        api_keys.c.organization_id == _ORGANIZATION,
        api_keys.c.revoked_at.is_(None),
    )


def _membership_of_user() -> ColumnElement[bool]:
    return and_(memberships.c.organization_id == _ORGANIZATION, memberships.c.user_id == users.c.id)


def _key_with_user(user_matches: ColumnElement[bool], *columns: Any) -> Select[Any]:
    """The unrevoked key with `key_hash` of the organization, the user `user_matches` picks,
    and that user's membership in it (NULLs where there is no such user or membership)."""
    return (
        select(*columns)
        .select_from(api_keys)
        .outerjoin(users, user_matches)
        .outerjoin(memberships, _membership_of_user())
        .where(_the_key())
    )


# Every request runs it: a hot statement (core/prepared.py).
_KEY_AND_MEMBER = Prepared(
    _key_with_user(
        users.c.id == bindparam("user_id", type_=users.c.id.type),
        api_keys.c.id,
        api_keys.c.organization_id,
        api_keys.c.expires_at,
        api_keys.c.last_used_at,
        users.c.id,
        users.c.name,
        users.c.email,
        users.c.is_active,
        memberships.c.role,
    )
)


async def find_key_and_member(
    connection: AsyncConnection, key_hash: str, organization_id: int, user_id: int
) -> KeyAndMember | None:
    """One round trip: the organization's unrevoked key, the user, and their membership."""
    parameters = {"key_hash": key_hash, "organization_id": organization_id, "user_id": user_id}
    row = await _KEY_AND_MEMBER.first(connection, parameters)
    return KeyAndMember(*row.values()) if row else None


_SIGN_IN_FACTS = _key_with_user(
    users.c.email == bindparam("email", type_=users.c.email.type),
    api_keys.c.id,
    api_keys.c.organization_id,
    api_keys.c.expires_at,
    users.c.id,
    users.c.password_hash,
    users.c.is_active,
    memberships.c.role,
)


async def find_sign_in_facts(
    connection: AsyncConnection, key_hash: str, organization_id: int, email: str
) -> SignInFacts | None:
    """One round trip: the organization's unrevoked key, the user with this email, and their
    membership."""
    parameters = {"key_hash": key_hash, "organization_id": organization_id, "email": email}
    row = (await connection.execute(_SIGN_IN_FACTS, parameters)).first()
    return SignInFacts(*row) if row else None


@dataclass(frozen=True, slots=True)
class InvitationFacts(KeyFacts):
    """What accepting needs, in one query: the key, the invitation by token (None fields when
    unknown), and the user by email with their membership in the key's organization."""

    invitation_id: int | None
    invitation_organization_id: int | None
    invitation_email: str | None
    invitation_name: str | None
    invited_role: str | None
    invitation_expires_at: datetime | None
    accepted_at: datetime | None
    revoked_at: datetime | None
    user_id: int | None
    password_hash: str | None
    user_is_active: bool | None
    member_role: str | None


_INVITATION_FACTS = (
    select(
        api_keys.c.id,
        api_keys.c.organization_id,
        api_keys.c.expires_at,
        invitations.c.id,
        invitations.c.organization_id,
        invitations.c.email,
        invitations.c.name,
        invitations.c.role,
        invitations.c.expires_at,
        invitations.c.accepted_at,
        invitations.c.revoked_at,
        users.c.id,
        users.c.password_hash,
        users.c.is_active,
        memberships.c.role,
    )
    .select_from(api_keys)
    .outerjoin(
        invitations,
        and_(
            invitations.c.organization_id == _ORGANIZATION,
            invitations.c.token_hash == bindparam("token_hash"),
        ),
    )
    .outerjoin(users, users.c.email == bindparam("email", type_=users.c.email.type))
    .outerjoin(memberships, _membership_of_user())
    .where(_the_key())
)


async def find_invitation_facts(
    connection: AsyncConnection, key_hash: str, organization_id: int, token_hash: str, email: str
) -> InvitationFacts | None:
    """One round trip: the organization's unrevoked key, its invitation with this token (an
    invitation of another organization is not found), the user by email and their membership."""
    parameters = {
        "key_hash": key_hash,
        "organization_id": organization_id,
        "token_hash": token_hash,
        "email": email,
    }
    row = (await connection.execute(_INVITATION_FACTS, parameters)).first()
    return InvitationFacts(*tuple(row)) if row else None


async def use_invitation(
    connection: AsyncConnection, organization_id: int, invitation_id: int, now: datetime
) -> bool:
    """Marks the invitation accepted, if it still may be: of two concurrent accepts, the
    second finds accepted_at set (PostgreSQL re-checks after the first's row lock; SQLite's
    writers take turns) and gets False."""
    statement = (
        update(invitations)
        .where(
            invitations.c.organization_id == organization_id,
            invitations.c.id == invitation_id,
            invitations.c.accepted_at.is_(None),
            invitations.c.revoked_at.is_(None),
            invitations.c.expires_at > now,
        )
        .values(accepted_at=now)
        .returning(invitations.c.id)
    )
    return (await connection.execute(statement)).first() is not None


async def insert_new_user(
    connection: AsyncConnection, email: str, name: str, password_hash: str, now: datetime
) -> int | None:
    """The new user's id, or None when the email was taken meanwhile."""
    try:
        async with connection.begin_nested():
            return await insert_user(connection, email, name, password_hash, now)
    except IntegrityError:
        return None


async def insert_new_membership(
    connection: AsyncConnection, organization_id: int, user_id: int, role: str, now: datetime
) -> bool:
    """False when the user became a member meanwhile."""
    try:
        async with connection.begin_nested():
            await insert_membership(connection, organization_id, user_id, role, now)
    except IntegrityError:
        return False
    return True


async def count_sign_in_failure(
    connection: AsyncConnection, email: str, now: datetime, window: timedelta
) -> tuple[int, datetime]:
    """Counts one failure for the email in one atomic upsert: (failures, window start).

    The window is fixed from its first failure; once it has passed, the next failure starts a
    new one. Both engines evaluate SET against the row as it was, so the CASEs agree.
    """
    expired = sign_in_failures.c.window_started_at <= now - window
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(sign_in_failures).values(
        email=email, failures=1, window_started_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=[sign_in_failures.c.email],
        set_={
            "failures": case((expired, 1), else_=sign_in_failures.c.failures + 1),
            "window_started_at": case((expired, now), else_=sign_in_failures.c.window_started_at),
        },
    ).returning(sign_in_failures.c.failures, sign_in_failures.c.window_started_at)
    row = (await connection.execute(statement)).one()
    return int(row[0]), row[1]


async def purge_sign_in_failures(connection: AsyncConnection, started_before: datetime) -> None:
    """Deletes the counts whose window has passed (an index range scan)."""
    statement = delete(sign_in_failures).where(
        sign_in_failures.c.window_started_at <= started_before
    )
    await connection.execute(statement)


async def clear_sign_in_failures(connection: AsyncConnection, email: str) -> None:
    await connection.execute(delete(sign_in_failures).where(sign_in_failures.c.email == email))


async def note_key_use(
    connection: AsyncConnection, organization_id: int, key_id: int, now: datetime
) -> None:
    """Records the key's use, unless another request did within the last minute."""
    statement = (
        update(api_keys)
        .where(
            api_keys.c.organization_id == organization_id,
            api_keys.c.id == key_id,
            or_(
                api_keys.c.last_used_at.is_(None),
                api_keys.c.last_used_at < now - KEY_USE_RESOLUTION,
            ),
        )
        .values(last_used_at=now)
    )
    await connection.execute(statement)


UNREVOKED_KEY = select(api_keys.c.id, api_keys.c.organization_id, api_keys.c.expires_at).where(
    api_keys.c.key_hash == bindparam("key_hash"), api_keys.c.revoked_at.is_(None)
)


async def find_unrevoked_key(connection: AsyncConnection, key_hash: str) -> KeyFacts | None:
    """The unrevoked key with this hash, of whichever organization: only for saying why a key
    was refused (sharded, it asks every shard; uq_api_keys_key_hash_organization_id serves it)."""
    row = (await connection.execute(UNREVOKED_KEY, {"key_hash": key_hash})).first()
    return KeyFacts(*row) if row else None


async def find_credentials(connection: AsyncConnection, email: str) -> UserCredentials | None:
    statement = select(users.c.id, users.c.password_hash, users.c.is_active).where(
        users.c.email == email
    )
    row = (await connection.execute(statement)).first()
    return UserCredentials(*row) if row else None


async def insert_organization(connection: AsyncConnection, name: str, now: datetime) -> int:
    statement = (
        insert(organizations).values(name=name, created_at=now).returning(organizations.c.id)
    )
    return int((await connection.execute(statement)).scalar_one())


async def insert_user(
    connection: AsyncConnection, email: str, name: str, password_hash: str, now: datetime
) -> int:
    statement = (
        insert(users)
        .values(email=email, name=name, password_hash=password_hash, created_at=now)
        .returning(users.c.id)
    )
    return int((await connection.execute(statement)).scalar_one())


async def insert_membership(
    connection: AsyncConnection, organization_id: int, user_id: int, role: str, now: datetime
) -> None:
    await connection.execute(
        insert(memberships).values(
            organization_id=organization_id, user_id=user_id, role=role, created_at=now
        )
    )


async def insert_api_key(
    connection: AsyncConnection,
    *,
    organization_id: int,
    name: str,
    key_hash: str,
    key_prefix: str,
    created_by: int | None,
    now: datetime,
) -> int:
    statement = (
        insert(api_keys)
        .values(
            organization_id=organization_id,
            name=name,
            key_hash=key_hash,
            key_prefix=key_prefix,
            created_by=created_by,
            created_at=now,
        )
        .returning(api_keys.c.id)
    )
    return int((await connection.execute(statement)).scalar_one())


async def load_signing_secret(connection: AsyncConnection, candidate: str) -> str:
    """The shared signing secret; the first worker to ask stores its candidate."""
    select_secret = select(service_secrets.c.value).where(service_secrets.c.name == SIGNING_SECRET)
    existing = (await connection.execute(select_secret)).scalar_one_or_none()
    if existing is not None:
        return str(existing)
    try:
        async with connection.begin_nested():
            await connection.execute(
                insert(service_secrets).values(name=SIGNING_SECRET, value=candidate)
            )
    except IntegrityError:
        pass
    return str((await connection.execute(select_secret)).scalar_one())


# Every organization of one user (GET /v1/me): the one tenant read that cannot name a single
# organization. Sharded, it asks every shard (ix_memberships_user_id serves each).
MEMBERSHIPS_OF = (
    select(organizations.c.id, organizations.c.name, memberships.c.role)
    .join(memberships, memberships.c.organization_id == organizations.c.id)
    .where(memberships.c.user_id == bindparam("user_id", type_=memberships.c.user_id.type))
    .order_by(organizations.c.id)
)


async def memberships_of(connection: AsyncConnection, user_id: int) -> list[tuple[int, str, str]]:
    """(organization id, name, role) of every organization the user belongs to."""
    rows = await connection.execute(MEMBERSHIPS_OF, {"user_id": user_id})
    return [(row[0], row[1], row[2]) for row in rows]

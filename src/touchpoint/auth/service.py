"""Authentication rules: the three headers, signing in, accepting an invitation, and
bootstrapping an organization."""

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from touchpoint.auth import repository
from touchpoint.auth.failure_limit import FailureCounter, count_attempt
from touchpoint.auth.schemas import AcceptInvitationRequest
from touchpoint.core.database import short_connection
from touchpoint.core.errors import Conflict, Forbidden, Unauthorized, invalid_field
from touchpoint.core.password_hashing import BoundedPasswordHasher
from touchpoint.core.security import (
    generate_api_key,
    generate_password,
    generate_secret_key,
    hash_api_key,
    hash_invitation_token,
    hash_password,
    issue_access_token,
    read_access_token,
    verify_password,
)
from touchpoint.core.tenancy import Principal, Role

_MAX_ORG_ID_DIGITS = 18


@dataclass(frozen=True, slots=True)
class Bootstrapped:
    organization_id: int
    user_id: int
    email: str
    password: str | None
    api_key: str
    access_token: str


def _organization_id(header: str | None) -> int:
    if not header:
        raise Unauthorized("The X-Org-Id header is required.")
    if not (header.isascii() and header.isdigit() and len(header) <= _MAX_ORG_ID_DIGITS):
        raise Unauthorized("The X-Org-Id header must be an organization id.")
    return int(header)


def _key_hash(header: str | None) -> str:
    if not header:
        raise Unauthorized("The X-API-Key header is required.")
    return hash_api_key(header)


async def _note_key_use(connection: AsyncConnection, found: repository.KeyAndMember) -> None:
    now = datetime.now(UTC)
    last_used = found.key_last_used_at
    if last_used is None or now - last_used >= repository.KEY_USE_RESOLUTION:
        await repository.note_key_use(connection, found.organization_id, found.key_id, now)


def _expired(expires_at: datetime | None) -> bool:
    return expires_at is not None and expires_at <= datetime.now(UTC)


async def _refusal_of_key(
    connection: AsyncConnection, key_hash: str, found: repository.KeyAndMember | None
) -> Unauthorized:
    """Why the key does not let the request in. The request's query looks for the key in the
    X-Org-Id organization only; this failure path alone looks in every one, to say when the
    key is another organization's."""
    if found is None:
        elsewhere = await repository.find_unrevoked_key(connection, key_hash)
        if elsewhere is not None and not _expired(elsewhere.key_expires_at):
            return Unauthorized("The API key does not belong to the organization in X-Org-Id.")
    return Unauthorized("The API key is invalid, revoked or expired.")


async def authenticate(
    connection: AsyncConnection,
    secret_key: str,
    *,
    token: str | None,
    api_key: str | None,
    organization_header: str | None,
) -> Principal:
    """The principal of a request: 401 for missing or bad credentials, 403 for a non-member."""
    key_hash = _key_hash(api_key)
    organization_id = _organization_id(organization_header)
    if not token:
        raise Unauthorized("The Authorization header with a Bearer token is required.")
    user_id = read_access_token(token, secret_key)
    if user_id is None:
        raise Unauthorized("The access token is invalid or has expired.")
    found = await repository.find_key_and_member(connection, key_hash, organization_id, user_id)
    if found is None or _expired(found.key_expires_at):
        raise await _refusal_of_key(connection, key_hash, found)
    if found.user_id is None or not found.user_is_active:
        raise Unauthorized("The access token's user no longer exists or is disabled.")
    if found.role is None:
        raise Forbidden("The user is not a member of this organization.")
    await _note_key_use(connection, found)
    return Principal(
        organization_id=organization_id,
        user_id=found.user_id,
        user_name=found.user_name or "",
        user_email=found.user_email or "",
        role=Role(found.role),
        api_key_id=found.key_id,
    )


@dataclass(frozen=True, slots=True)
class Gate:
    """What a password check needs: the engine for short connections (none is held while a
    hash runs), the bounded hasher, and the per-email failure counter."""

    engine: AsyncEngine
    hasher: BoundedPasswordHasher
    failures: FailureCounter


def _check_key(facts: repository.KeyFacts | None) -> None:
    # The facts are read for the X-Org-Id organization: another organization's key is not found.
    if facts is None or _expired(facts.key_expires_at):
        raise Unauthorized("The API key is invalid, revoked, expired or of another organization.")


async def issue_token(
    gate: Gate,
    secret_key: str,
    lifetime_seconds: int,
    *,
    api_key: str | None,
    organization_header: str | None,
    email: str,
    password: str,
) -> str:
    """Reads what it needs on a short connection, counts the attempt, then hashes with no
    connection held: slow hashes cannot starve the pool."""
    key_hash = _key_hash(api_key)
    organization_id = _organization_id(organization_header)
    email = email.lower()
    async with short_connection(gate.engine) as connection:
        facts = await repository.find_sign_in_facts(connection, key_hash, organization_id, email)
        _check_key(facts)
        await count_attempt(gate.failures, email, connection)
    assert facts is not None
    # An unknown email costs one hash too (against a dummy), so timing does not reveal it.
    if not await gate.hasher.verify(facts.password_hash, password):
        raise Unauthorized("The email or password is wrong.")
    assert facts.user_id is not None
    if not facts.user_is_active:
        raise Unauthorized("The user is disabled.")
    if facts.role is None:
        raise Forbidden("The user is not a member of this organization.")
    await gate.failures.clear(email)
    return issue_access_token(facts.user_id, secret_key, lifetime_seconds)


_BAD_INVITATION = (
    "The invitation token is unknown, used, revoked or expired, or not for this email and "
    "organization."
)
MIN_NEW_PASSWORD_LENGTH = 8


def _usable(facts: repository.InvitationFacts, organization_id: int, email: str) -> bool:
    return (
        facts.invitation_id is not None
        and facts.invitation_organization_id == organization_id
        and facts.invitation_email == email
        and facts.accepted_at is None
        and facts.revoked_at is None
        and not _expired(facts.invitation_expires_at)
    )


async def _check_password(
    gate: Gate, facts: repository.InvitationFacts, password: str
) -> str | None:
    """An existing user's password must be theirs (None); a new user's is hashed (the hash)."""
    if facts.user_id is None:
        if len(password) < MIN_NEW_PASSWORD_LENGTH:
            raise invalid_field("password", f"At least {MIN_NEW_PASSWORD_LENGTH} characters.")
        return await gate.hasher.hash(password)
    if not await gate.hasher.verify(facts.password_hash, password):
        raise Unauthorized("The password is not this user's.")
    if not facts.user_is_active:
        raise Unauthorized("The user is disabled.")
    if facts.member_role is not None:
        raise Conflict("The user is a member of this organization already.")
    return None


async def _join(
    connection: AsyncConnection,
    facts: repository.InvitationFacts,
    new_user: tuple[str, str, str] | None,
) -> int:
    """Uses the invitation up and makes the membership; a lost race creates nothing."""
    now = datetime.now(UTC)
    assert facts.invitation_id is not None
    assert facts.invited_role is not None
    if not await repository.use_invitation(
        connection, facts.organization_id, facts.invitation_id, now
    ):
        raise Unauthorized(_BAD_INVITATION)
    user_id = facts.user_id
    if new_user is not None:
        user_id = await repository.insert_new_user(connection, *new_user, now)
        if user_id is None:
            raise Conflict("A user with this email was created meanwhile; accept again.")
    assert user_id is not None
    if not await repository.insert_new_membership(
        connection, facts.organization_id, user_id, facts.invited_role, now
    ):
        raise Conflict("The user is a member of this organization already.")
    return user_id


async def accept_invitation(
    gate: Gate,
    secret_key: str,
    lifetime_seconds: int,
    *,
    api_key: str | None,
    organization_header: str | None,
    body: AcceptInvitationRequest,
) -> str:
    """Joins the organization as invited; like signing in, no connection is held while the
    password is hashed, and attempts count toward the email's failed sign-in limit."""
    key_hash = _key_hash(api_key)
    organization_id = _organization_id(organization_header)
    email = body.email.strip().lower()
    token_hash = hash_invitation_token(body.invitation_token)
    async with short_connection(gate.engine) as connection:
        facts = await repository.find_invitation_facts(
            connection, key_hash, organization_id, token_hash, email
        )
        _check_key(facts)
        await count_attempt(gate.failures, email, connection)
    assert facts is not None
    if not _usable(facts, organization_id, email):
        raise Unauthorized(_BAD_INVITATION)
    password_hash = await _check_password(gate, facts, body.password)
    name = body.name or facts.invitation_name or email.split("@", 1)[0]
    new_user = (email, name, password_hash) if password_hash is not None else None
    async with gate.engine.begin() as connection:
        user_id = await _join(connection, facts, new_user)
    await gate.failures.clear(email)
    return issue_access_token(user_id, secret_key, lifetime_seconds)


async def _owner_user(
    connection: AsyncConnection, email: str, name: str, password: str | None, now: datetime
) -> tuple[int, str | None]:
    """The user to make owner: an existing one keeps their password; a new one gets one."""
    existing = await repository.find_credentials(connection, email)
    if existing is not None:
        if password is not None and not await asyncio.to_thread(
            verify_password, existing.password_hash, password
        ):
            raise Unauthorized(f"{email} exists already and the password given is not theirs.")
        return existing.id, password
    password = password or generate_password()
    password_hash = await asyncio.to_thread(hash_password, password)
    return await repository.insert_user(connection, email, name, password_hash, now), password


async def bootstrap(
    connection: AsyncConnection,
    secret_key: str,
    lifetime_seconds: int,
    *,
    organization_name: str,
    email: str,
    name: str,
    password: str | None,
) -> Bootstrapped:
    """A new organization with its owner and one API key."""
    now = datetime.now(UTC)
    email = email.strip().lower()
    organization_id = await repository.insert_organization(connection, organization_name, now)
    user_id, password = await _owner_user(connection, email, name, password, now)
    await repository.insert_membership(connection, organization_id, user_id, Role.OWNER, now)
    key = generate_api_key()
    await repository.insert_api_key(
        connection,
        organization_id=organization_id,
        name="bootstrap",
        key_hash=hash_api_key(key),
        key_prefix=key[:12],
        created_by=user_id,
        now=now,
    )
    token = issue_access_token(user_id, secret_key, lifetime_seconds)
    return Bootstrapped(organization_id, user_id, email, password, key, token)


async def signing_secret(connection: AsyncConnection, configured: str | None) -> str:
    """The configured secret, else the one kept in the database for every worker to share."""
    if configured:
        return configured
    return await repository.load_signing_secret(connection, generate_secret_key())

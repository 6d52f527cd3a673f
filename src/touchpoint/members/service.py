"""Member rules: only ADMIN and OWNER manage members, only an OWNER makes or touches an OWNER,
and the last OWNER can be neither removed nor demoted."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.auth import repository as identities
from touchpoint.core.errors import Conflict, Forbidden, NotFound
from touchpoint.core.paging import Position
from touchpoint.core.permissions import require_manager
from touchpoint.core.security import generate_password, hash_password
from touchpoint.core.tenancy import Principal, Role
from touchpoint.members.repository import MemberRepository
from touchpoint.members.schemas import Me, Member, MemberCreate, MemberCreated, Membership


def to_schema(row: RowMapping) -> Member:
    return Member.model_validate(row)


def _require_owner_for(principal: Principal, *roles: Role) -> None:
    if Role.OWNER in roles and principal.role is not Role.OWNER:
        raise Forbidden("Only an OWNER may make, change or remove an OWNER.")


async def _target(members: MemberRepository, user_id: int) -> tuple[RowMapping, int]:
    """The member to change, locked with every owner; and how many owners there are."""
    roles = await members.lock_owners_and(user_id)
    row = await members.find(user_id) if user_id in roles else None
    if row is None:
        raise NotFound(f"No member of this organization has the user id '{user_id}'.")
    return row, sum(1 for role in roles.values() if role == Role.OWNER)


def _keep_an_owner(target: RowMapping, owners: int) -> None:
    if target["role"] == Role.OWNER and owners <= 1:
        raise Conflict("The organization's last OWNER cannot be removed or demoted.")


async def list_page(
    members: MemberRepository, after: Position | None, limit: int
) -> Sequence[RowMapping]:
    return await members.list_page(after, limit)


async def add(
    members: MemberRepository, connection: AsyncConnection, body: MemberCreate
) -> MemberCreated:
    """Adds a user by email, creating the user (with a one-time password) when new."""
    principal = members.scope.principal
    require_manager(principal, "add members")
    _require_owner_for(principal, body.role)
    email, now = body.email.strip().lower(), datetime.now(UTC)
    existing = await identities.find_credentials(connection, email)
    password = None
    if existing is None:
        password = generate_password()
        password_hash = await asyncio.to_thread(hash_password, password)
        name = body.name or email.split("@", 1)[0]
        user_id = await identities.insert_user(connection, email, name, password_hash, now)
    elif await members.find(existing.id) is not None:
        raise Conflict(f"{email} is a member of this organization already.")
    else:
        user_id = existing.id
    await members.insert(user_id, body.role, now)
    row = await members.find(user_id)
    assert row is not None
    return MemberCreated.model_validate({**row, "one_time_password": password})


async def change_role(members: MemberRepository, user_id: int, role: Role) -> Member:
    principal = members.scope.principal
    require_manager(principal, "change members' roles")
    target, owners = await _target(members, user_id)
    _require_owner_for(principal, role, Role(target["role"]))
    if role is not Role.OWNER:
        _keep_an_owner(target, owners)
    await members.change_role(user_id, role)
    return Member.model_validate({**target, "role": role})


async def remove(members: MemberRepository, user_id: int) -> None:
    """Removes the user's access to the organization at once (the user itself remains)."""
    principal = members.scope.principal
    require_manager(principal, "remove members")
    target, owners = await _target(members, user_id)
    _require_owner_for(principal, Role(target["role"]))
    _keep_an_owner(target, owners)
    await members.remove(user_id)


async def me(connection: AsyncConnection, principal: Principal) -> Me:
    memberships = await identities.memberships_of(connection, principal.user_id)
    return Me(
        user_id=principal.user_id,
        email=principal.user_email,
        name=principal.user_name,
        organizations=[
            Membership(organization_id=org_id, organization_name=name, role=Role(role))
            for org_id, name, role in memberships
        ],
    )

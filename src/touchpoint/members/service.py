"""Member rules: only ADMIN and OWNER manage members, only an OWNER makes or touches an OWNER,
and the last OWNER can be neither removed nor demoted. People join by invitation only."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.auth import repository as identities
from touchpoint.core.errors import Conflict, Forbidden, NotFound
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.permissions import require_manager
from touchpoint.core.security import generate_invitation_token, hash_invitation_token
from touchpoint.core.tenancy import Principal, Role
from touchpoint.members.repository import (
    INVITED_FIRST,
    OLDEST_FIRST,
    InvitationRepository,
    MemberRepository,
)
from touchpoint.members.schemas import (
    Invitation,
    InvitationCreate,
    InvitationCreated,
    Me,
    Member,
    Membership,
)

INVITATION_LIFETIME = timedelta(days=7)


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


async def list_page(members: MemberRepository, paging: PageRequest) -> Page[Member]:
    rows = await members.list_page(paging.after(OLDEST_FIRST), paging.limit)
    return paging.page(Page[Member], rows, OLDEST_FIRST, to_schema)


async def invite(invitations: InvitationRepository, body: InvitationCreate) -> InvitationCreated:
    """Invites an email to join with a role. The answer does not depend on whether a user with
    that email exists anywhere, so inviting reveals nothing about other organizations."""
    principal = invitations.scope.principal
    require_manager(principal, "invite members")
    _require_owner_for(principal, body.role)
    email, now = body.email.strip().lower(), datetime.now(UTC)
    if await invitations.is_member(email):
        raise Conflict(f"{email} is a member of this organization already.")
    await invitations.delete_expired(email, now)
    token = generate_invitation_token()
    row = await invitations.insert(
        {
            "email": email,
            "name": body.name,
            "role": body.role.value,
            "token_hash": hash_invitation_token(token),
            "created_by": principal.user_id,
            "created_at": now,
            "expires_at": now + INVITATION_LIFETIME,
        }
    )
    if row is None:
        raise Conflict(f"{email} has an open invitation to this organization already.")
    return InvitationCreated.model_validate({**row, "invitation_token": token})


async def list_invitations(
    invitations: InvitationRepository, paging: PageRequest
) -> Page[Invitation]:
    """Open invitations only: not accepted, revoked or expired."""
    require_manager(invitations.scope.principal, "see invitations")
    after = paging.after(INVITED_FIRST)
    rows = await invitations.list_open(datetime.now(UTC), after, paging.limit)
    return paging.page(Page[Invitation], rows, INVITED_FIRST, invitation_schema)


def invitation_schema(row: RowMapping) -> Invitation:
    return Invitation.model_validate(row)


async def get_invitation(invitations: InvitationRepository, invitation_id: int) -> Invitation:
    require_manager(invitations.scope.principal, "see invitations")
    found = await invitations.find_open(invitation_id, datetime.now(UTC))
    if found is None:
        raise NotFound(f"This organization has no open invitation with the id '{invitation_id}'.")
    return invitation_schema(found)


async def revoke_invitation(invitations: InvitationRepository, invitation_id: int) -> None:
    """Revoking twice is fine; an accepted invitation is a membership now, removed as one."""
    principal = invitations.scope.principal
    require_manager(principal, "revoke invitations")
    found = await invitations.find(invitation_id, for_update=True)
    if found is None:
        raise NotFound(f"This organization has no invitation with the id '{invitation_id}'.")
    _require_owner_for(principal, Role(found["role"]))
    if found["accepted_at"] is not None:
        raise Conflict("The invitation was accepted; remove the member instead.")
    await invitations.revoke(invitation_id, datetime.now(UTC))


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

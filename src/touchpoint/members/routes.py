"""HTTP handlers for /v1/me, /v1/members and /v1/members/invitations."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from touchpoint.auth.dependencies import Cursors, Tenant
from touchpoint.core.errors import NotFound
from touchpoint.core.fields import MAX_BIGINT
from touchpoint.core.paging import Page, PageRequest
from touchpoint.core.references import parse_reference
from touchpoint.core.retries import RetryingRoute
from touchpoint.members import service
from touchpoint.members.repository import (
    InvitationRepository,
    MemberRepository,
)
from touchpoint.members.schemas import (
    Invitation,
    InvitationCreate,
    InvitationCreated,
    InvitationListQuery,
    Me,
    Member,
    MemberListQuery,
    MemberUpdate,
)

router = APIRouter(route_class=RetryingRoute, tags=["members"])


async def member_repository(tenant: Tenant) -> MemberRepository:
    return MemberRepository(tenant.connection, tenant.scope)


Members = Annotated[MemberRepository, Depends(member_repository)]


async def invitation_repository(tenant: Tenant) -> InvitationRepository:
    return InvitationRepository(tenant.connection, tenant.scope)


Invitations = Annotated[InvitationRepository, Depends(invitation_repository)]


def _user_id(value: int) -> int:
    if not 1 <= value <= MAX_BIGINT:
        raise NotFound(f"No member of this organization has the user id '{str(value)[:64]}'.")
    return value


def _invitation_id(value: str) -> int:
    number = parse_reference(value, "invitation").id
    if number is None:
        raise NotFound(f"This organization has no invitation with the id '{value[:64]}'.")
    return number


@router.get("/v1/me")
async def get_me(tenant: Tenant) -> Me:
    """The signed-in user and every organization they belong to, with their role there."""
    return await service.me(tenant.connection, tenant.scope.principal)


@router.get("/v1/members")
async def list_members(
    query: Annotated[MemberListQuery, Query()], members: Members, cursors: Cursors
) -> Page[Member]:
    """The organization's members, in the order they joined."""
    return await service.list_page(members, PageRequest(query.cursor, query.limit, cursors))


@router.post("/v1/members", status_code=status.HTTP_201_CREATED)
async def invite_member(
    body: InvitationCreate, invitations: Invitations, response: Response
) -> InvitationCreated:
    """Invite an email to join with a role; the invitee accepts with
    POST /v1/auth/accept-invitation. The token is in this response only."""
    invitation = await service.invite(invitations, body)
    response.headers["Location"] = f"/v1/members/invitations/{invitation.id}"
    return invitation


@router.get("/v1/members/invitations")
async def list_invitations(
    query: Annotated[InvitationListQuery, Query()], invitations: Invitations, cursors: Cursors
) -> Page[Invitation]:
    """The organization's open invitations, oldest first; never their tokens."""
    paging = PageRequest(query.cursor, query.limit, cursors)
    return await service.list_invitations(invitations, paging)


@router.get("/v1/members/invitations/{invitation_id}")
async def get_invitation(invitation_id: str, invitations: Invitations) -> Invitation:
    """One open invitation (never its token); a used, revoked or expired one is 404."""
    return await service.get_invitation(invitations, _invitation_id(invitation_id))


@router.delete("/v1/members/invitations/{invitation_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_invitation(invitation_id: str, invitations: Invitations) -> None:
    """Revoke an invitation: its token can no longer be accepted."""
    await service.revoke_invitation(invitations, _invitation_id(invitation_id))


# A user id is digits only: `/v1/members/invitations` is never read as a member's path.
@router.patch("/v1/members/{user_id:int}")
async def change_member_role(user_id: int, body: MemberUpdate, members: Members) -> Member:
    """Change a member's role; the last OWNER cannot be demoted."""
    return await service.change_role(members, _user_id(user_id), body.role)


@router.delete("/v1/members/{user_id:int}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_member(user_id: int, members: Members) -> None:
    """Remove a member's access at once; the last OWNER cannot be removed."""
    await service.remove(members, _user_id(user_id))

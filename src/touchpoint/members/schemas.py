"""Member bodies: who belongs to the organization, with which role, and who is invited."""

from typing import Literal

from pydantic import Field

from touchpoint.core.fields import (
    ApiModel,
    EmailAddress,
    OutputId,
    OutputTimestamp,
    PersonName,
    WriteModel,
)
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit
from touchpoint.core.tenancy import Role


class Member(ApiModel):
    user_id: OutputId
    email: str
    name: str
    role: Role
    created_at: OutputTimestamp = Field(description="When the user joined the organization.")


class InvitationCreate(WriteModel):
    email: EmailAddress
    role: Role = Role.MEMBER
    name: PersonName | None = Field(
        None,
        description="Suggested name, used if the invitee has no user yet and accepts without "
        "one; defaults then to the email's local part.",
    )


class Invitation(ApiModel):
    """The same fields whether or not a user with this email exists anywhere."""

    id: OutputId
    email: str
    role: Role
    status: Literal["PENDING"] = "PENDING"
    expires_at: OutputTimestamp


class InvitationCreated(Invitation):
    invitation_token: str = Field(
        description="Shown here once, stored only as a hash: give it to the invitee."
    )


class InvitationListQuery(WriteModel):
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None


class MemberUpdate(WriteModel):
    role: Role


class MemberListQuery(WriteModel):
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None


class Membership(ApiModel):
    organization_id: OutputId
    organization_name: str
    role: Role


class Me(ApiModel):
    user_id: OutputId
    email: str
    name: str
    organizations: list[Membership]

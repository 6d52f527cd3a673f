"""Member bodies: who belongs to the organization, with which role."""

from pydantic import Field

from touchpoint.core.fields import (
    ApiModel,
    EmailAddress,
    OutputId,
    OutputTimestamp,
    WriteModel,
    text,
)
from touchpoint.core.paging import CursorParameter
from touchpoint.core.tenancy import Role

PersonName = text(255, min_length=1, strip=True)


class Member(ApiModel):
    user_id: OutputId
    email: str
    name: str
    role: Role
    created_at: OutputTimestamp = Field(description="When the user joined the organization.")


class MemberCreated(Member):
    one_time_password: str | None = Field(
        description="Shown once, when adding the member created the user; null otherwise."
    )


class MemberCreate(WriteModel):
    email: EmailAddress
    role: Role = Role.MEMBER
    name: PersonName | None = Field(  # type: ignore[valid-type]
        None, description="For a new user; defaults to the email's local part."
    )


class MemberUpdate(WriteModel):
    role: Role


class MemberListQuery(WriteModel):
    limit: int = Field(50, ge=1, le=200)
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

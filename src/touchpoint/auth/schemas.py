"""Request and response bodies of signing in and accepting an invitation."""

from typing import Annotated, Literal

from pydantic import Field

from touchpoint.core.fields import ApiModel, EmailAddress, PersonName, TextRules, WriteModel

SignInEmail = Annotated[str, TextRules(320, min_length=1, strip=True)]
Password = Annotated[str, TextRules(1024, min_length=1)]
InvitationToken = Annotated[str, TextRules(255, min_length=1)]


class TokenRequest(WriteModel):
    email: SignInEmail
    password: Password


class AcceptInvitationRequest(WriteModel):
    invitation_token: InvitationToken
    email: EmailAddress = Field(description="The invited email.")
    password: Password = Field(
        description="An existing user's password; for a new user, the one to set "
        "(at least 8 characters)."
    )
    name: PersonName | None = Field(
        None,
        description="A new user's name; defaults to the name in the invitation, else the "
        "email's local part. An existing user keeps theirs.",
    )


class TokenResponse(ApiModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int

"""Request and response bodies of signing in and accepting an invitation."""

from typing import Literal

from pydantic import Field

from touchpoint.core.fields import ApiModel, EmailAddress, WriteModel, text


class TokenRequest(WriteModel):
    email: text(320, min_length=1, strip=True)  # type: ignore[valid-type]
    password: text(1024, min_length=1)  # type: ignore[valid-type]


class AcceptInvitationRequest(WriteModel):
    invitation_token: text(255, min_length=1)  # type: ignore[valid-type]
    email: EmailAddress = Field(description="The invited email.")
    password: text(1024, min_length=1) = Field(  # type: ignore[valid-type]
        description="An existing user's password; for a new user, the one to set "
        "(at least 8 characters)."
    )
    name: text(255, min_length=1, strip=True) | None = Field(  # type: ignore[valid-type]
        None,
        description="A new user's name; defaults to the name in the invitation, else the "
        "email's local part. An existing user keeps theirs.",
    )


class TokenResponse(ApiModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int

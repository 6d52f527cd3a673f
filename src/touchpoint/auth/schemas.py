"""Request and response bodies of signing in."""

from typing import Literal

from touchpoint.core.fields import ApiModel, WriteModel, text


class TokenRequest(WriteModel):
    email: text(320, min_length=1, strip=True)  # type: ignore[valid-type]
    password: text(1024, min_length=1)  # type: ignore[valid-type]


class TokenResponse(ApiModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int

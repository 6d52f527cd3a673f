"""POST /v1/auth/token: the one endpoint that needs no bearer token."""

from typing import Annotated

from fastapi import APIRouter, Request, Security

from touchpoint.auth import service
from touchpoint.auth.dependencies import (
    PasswordGate,
    SigningSecret,
    api_key_scheme,
    organization_scheme,
)
from touchpoint.auth.schemas import TokenRequest, TokenResponse

router = APIRouter(prefix="/v1/auth", tags=["auth"])


@router.post("/token", response_model_by_alias=True)
async def issue_token(
    body: TokenRequest,
    request: Request,
    gate: PasswordGate,
    secret_key: SigningSecret,
    api_key: Annotated[str | None, Security(api_key_scheme)],
    organization_id: Annotated[str | None, Security(organization_scheme)],
) -> TokenResponse:
    """Exchange a user's email and password for a signed access token (with X-API-Key, X-Org-Id)."""
    lifetime = request.app.state.settings.access_token_seconds
    token = await service.issue_token(
        gate,
        secret_key,
        lifetime,
        api_key=api_key,
        organization_header=organization_id,
        email=body.email,
        password=body.password,
    )
    return TokenResponse(access_token=token, expires_in=lifetime)

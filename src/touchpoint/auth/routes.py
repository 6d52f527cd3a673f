"""POST /v1/auth/token and /v1/auth/accept-invitation: the endpoints that need no bearer token."""

from typing import Annotated

from fastapi import APIRouter, Request, Security

from touchpoint.auth import service
from touchpoint.auth.dependencies import (
    PasswordGate,
    SigningSecret,
    api_key_scheme,
    organization_scheme,
)
from touchpoint.auth.schemas import AcceptInvitationRequest, TokenRequest, TokenResponse
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, prefix="/v1/auth", tags=["auth"])


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


@router.post("/accept-invitation", response_model_by_alias=True)
async def accept_invitation(
    body: AcceptInvitationRequest,
    request: Request,
    gate: PasswordGate,
    secret_key: SigningSecret,
    api_key: Annotated[str | None, Security(api_key_scheme)],
    organization_id: Annotated[str | None, Security(organization_scheme)],
) -> TokenResponse:
    """Join the organization an invitation is for (with X-API-Key and X-Org-Id of that
    organization): a new email becomes a user with this password, an existing user proves it
    with theirs. Answers like /v1/auth/token."""
    lifetime = request.app.state.settings.access_token_seconds
    token = await service.accept_invitation(
        gate,
        secret_key,
        lifetime,
        api_key=api_key,
        organization_header=organization_id,
        body=body,
    )
    return TokenResponse(access_token=token, expires_in=lifetime)

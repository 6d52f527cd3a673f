"""POST /v1/auth/token and /v1/auth/accept-invitation: the endpoints that need no bearer token."""

from fastapi import APIRouter, Request

from touchpoint.auth import service
from touchpoint.auth.dependencies import PasswordGate, SigningSecret
from touchpoint.auth.schemas import AcceptInvitationRequest, TokenRequest, TokenResponse
from touchpoint.core.retries import RetryingRoute
from touchpoint.core.security import API_KEY_HEADER, ORGANIZATION_HEADER

router = APIRouter(route_class=RetryingRoute, prefix="/v1/auth", tags=["auth"])


@router.post("/token", response_model_by_alias=True)
async def issue_token(
    body: TokenRequest,
    request: Request,
    gate: PasswordGate,
    secret_key: SigningSecret,
) -> TokenResponse:
    """Exchange a user's email and password for a signed access token (with X-API-Key, X-Org-Id)."""
    lifetime = request.app.state.settings.access_token_seconds
    token = await service.issue_token(
        gate,
        secret_key,
        lifetime,
        api_key=request.headers.get(API_KEY_HEADER),
        organization_header=request.headers.get(ORGANIZATION_HEADER),
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
) -> TokenResponse:
    """Join the organization an invitation is for (with X-API-Key and X-Org-Id of that
    organization): a new email becomes a user with this password, an existing user proves it
    with theirs. Answers like /v1/auth/token."""
    lifetime = request.app.state.settings.access_token_seconds
    token = await service.accept_invitation(
        gate,
        secret_key,
        lifetime,
        api_key=request.headers.get(API_KEY_HEADER),
        organization_header=request.headers.get(ORGANIZATION_HEADER),
        body=body,
    )
    return TokenResponse(access_token=token, expires_in=lifetime)

"""Credentials: slow password hashes, hashed API keys and signed, expiring access tokens."""

import hashlib
import secrets
import time
from datetime import UTC, datetime, timedelta

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

API_KEY_PREFIX = "tpk_"
INVITATION_TOKEN_PREFIX = "tpi_"
_password_hasher = PasswordHasher()
# Verified when the email is unknown, so a miss costs as long as a hit and reveals nothing.
_DUMMY_HASH = _password_hasher.hash(secrets.token_urlsafe(16))
_TOKEN_ALGORITHM = "HS256"
_TOKEN_AUDIENCE = "touchpoint"
_MAX_USER_ID = 2**63 - 1  # a bigint: a larger subject would overflow the database parameter
# The credential headers besides Authorization, as ASGI servers give them: lower case.
API_KEY_HEADER = "x-api-key"
ORGANIZATION_HEADER = "x-org-id"
# Tokens this process has verified: (token, secret) -> (user id, expiry as a POSIX time).
# Verifying a signature and its claims costs more than the rest of authentication in Python,
# and a client sends the same token for its whole lifetime. This remembers a pure function's
# answers, not shared state: a token cannot be revoked (a disabled user, a revoked key or a
# removed member are checked in the database on every request), and expiry is checked on
# every use. Bounded: cleared whole when full, which costs one verification per token again.
_VERIFIED_TOKENS: dict[tuple[str, str], tuple[int, float]] = {}
_VERIFIED_TOKENS_LIMIT = 10_000


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash or _DUMMY_HASH, password) and bool(
            password_hash
        )
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(18)


def generate_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def generate_invitation_token() -> str:
    return INVITATION_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_invitation_token(token: str) -> str:
    """SHA-256, like API keys: the token is 256 random bits, so a slow hash would add nothing."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def generate_secret_key() -> str:
    return secrets.token_urlsafe(48)


def issue_access_token(user_id: int, secret_key: str, lifetime_seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "aud": _TOKEN_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime_seconds),
    }
    return jwt.encode(claims, secret_key, algorithm=_TOKEN_ALGORITHM)


def bearer_token(authorization: str | None) -> str | None:
    """The credentials of an `Authorization: Bearer <token>` header (the scheme in any case)."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip() or None


def read_access_token(token: str, secret_key: str) -> int | None:
    """The user id the token was issued to, or None when it is forged, malformed or expired."""
    verified = _VERIFIED_TOKENS.get((token, secret_key))
    if verified is not None:
        user_id, expires_at = verified
        return user_id if time.time() < expires_at else None
    claims = _verified_claims(token, secret_key)
    subject = _user_id(claims)
    expiry = claims.get("exp") if claims is not None else None
    if subject is not None and isinstance(expiry, int | float):
        if len(_VERIFIED_TOKENS) >= _VERIFIED_TOKENS_LIMIT:
            _VERIFIED_TOKENS.clear()
        _VERIFIED_TOKENS[(token, secret_key)] = (subject, float(expiry))
    return subject


def _verified_claims(token: str, secret_key: str) -> dict[str, object] | None:
    try:
        claims: dict[str, object] = jwt.decode(
            token,
            secret_key,
            algorithms=[_TOKEN_ALGORITHM],
            audience=_TOKEN_AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud"]},
        )
    except jwt.InvalidTokenError:
        return None
    return claims


def _user_id(claims: dict[str, object] | None) -> int | None:
    subject = claims.get("sub") if claims is not None else None
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    if len(subject) > 19 or not 1 <= int(subject) <= _MAX_USER_ID:
        return None
    return int(subject)

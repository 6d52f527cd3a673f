"""Credentials: slow password hashes, hashed API keys and signed, expiring access tokens."""

import hashlib
import secrets
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


def read_access_token(token: str, secret_key: str) -> int | None:
    """The user id the token was issued to, or None when it is forged, malformed or expired."""
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[_TOKEN_ALGORITHM],
            audience=_TOKEN_AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud"]},
        )
        subject = claims["sub"]
    except (jwt.InvalidTokenError, KeyError):
        return None
    if not isinstance(subject, str) or not subject.isascii() or not subject.isdigit():
        return None
    if len(subject) > 19 or not 1 <= int(subject) <= _MAX_USER_ID:
        return None
    return int(subject)

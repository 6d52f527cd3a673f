"""Service settings, read from `TOUCHPOINT_*` environment variables."""

from functools import lru_cache
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///./touchpoint.db"
ENVIRONMENT_PREFIX = "TOUCHPOINT_"
_DATABASE_BACKENDS = ("sqlite", "postgresql")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENVIRONMENT_PREFIX, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Unset: a random key is generated once and kept in the database, so every worker shares it.
    secret_key: str | None = None
    access_token_seconds: int = Field(default=3600, ge=60, le=86400)
    # Connections kept open per worker. Requests beyond it wait for one rather than open (and
    # close) a connection of their own: a new connection costs a handshake and cold caches.
    database_pool_size: int = Field(default=20, ge=1, le=200)
    # Seconds to open a connection: a database that accepts but does not answer (or a network
    # that drops packets) must not hold requests for the driver's default of a minute.
    database_connect_timeout: float = Field(default=5, gt=0, le=60)
    # Seconds a request waits for a pooled connection before it is answered 503.
    database_pool_timeout: float = Field(default=10, gt=0, le=300)
    # Password hashes (argon2) run at most this many at a time per process (default: one per
    # CPU); at most `password_hash_waiting` more may queue, beyond that a sign-in is 503 at once.
    password_hash_threads: int | None = Field(default=None, ge=1, le=256)
    password_hash_waiting: int = Field(default=128, ge=0, le=10000)
    # Set: failed sign-ins are counted in Redis; unset: in the database. Either way every
    # worker shares the count.
    redis_url: str | None = None
    redis_key_prefix: str = "touchpoint:"
    max_body_bytes: int = 1024 * 1024
    # Browser origins allowed to call the API (CORS), comma-separated; none by default.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            backend = make_url(value).get_backend_name()
        except ArgumentError as error:
            raise ValueError("must be a database URL such as postgresql://user@host/db") from error
        if backend not in _DATABASE_BACKENDS:
            raise ValueError("must name PostgreSQL (postgresql://…) or SQLite (sqlite:///…)")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        origins = [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        for origin in origins:
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(f"'{origin}' is not an origin such as https://app.example.com")
        return origins


def problems_with(error: ValidationError) -> list[str]:
    """One line per bad setting, naming its environment variable."""
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "settings"
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{ENVIRONMENT_PREFIX}{field.upper()}: {message} (it is {problem['input']!r})")
    return lines


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Service settings, read from `TOUCHPOINT_*` environment variables."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./touchpoint.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOUCHPOINT_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Unset: a random key is generated once and kept in the database, so every worker shares it.
    secret_key: str | None = None
    access_token_seconds: int = Field(default=3600, ge=60, le=86400)
    # Connections kept open per worker. Requests beyond it wait for one rather than open (and
    # close) a connection of their own: a new connection costs a handshake and cold caches.
    database_pool_size: int = Field(default=20, ge=1, le=200)
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


@lru_cache
def get_settings() -> Settings:
    return Settings()

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
    # Seconds to open a connection: a database that accepts but does not answer (or a network
    # that drops packets) must not hold requests for the driver's default of a minute.
    database_connect_timeout: float = Field(default=5, gt=0, le=60)
    max_body_bytes: int = 1024 * 1024


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""API key bodies. A key's secret is shown once, in the response that creates it."""

from typing import Annotated

from pydantic import Field

from touchpoint.core.fields import (
    ApiModel,
    OutputId,
    OutputTimestamp,
    TextRules,
    UtcTimestamp,
    WriteModel,
)
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit

KeyName = Annotated[str, TextRules(255, min_length=1, strip=True)]


class ApiKey(ApiModel):
    id: OutputId
    name: str
    prefix: str = Field(description="The key's first characters, to tell keys apart.")
    creator_id: OutputId | None
    created_at: OutputTimestamp
    expires_at: OutputTimestamp | None
    last_used_at: OutputTimestamp | None = Field(
        description="Updated at most once a minute, so it may lag by up to a minute."
    )
    revoked_at: OutputTimestamp | None


class ApiKeyCreated(ApiKey):
    key: str = Field(description="The secret: shown here once, stored only as a hash.")


class ApiKeyCreate(WriteModel):
    name: KeyName
    expires_at: UtcTimestamp | None = Field(None, description="In the future; null: never.")


class ApiKeyListQuery(WriteModel):
    include_revoked: bool = False
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None

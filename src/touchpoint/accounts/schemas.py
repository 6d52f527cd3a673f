"""Account bodies: what a client sends and what it reads back."""

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, WithJsonSchema, field_validator

from touchpoint.core.fields import (
    SPACE,
    ApiModel,
    HttpUrlString,
    JsonObject,
    OutputId,
    OutputTimestamp,
    SearchText,
    TextRules,
    UtcTimestamp,
    WriteModel,
    reject_nul,
    required_when_sent,
)
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit
from touchpoint.models.accounts import NEVER

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LABEL_PATTERN = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# Labels of letters, digits and inner hyphens; the last begins with a letter (no IP addresses).
_LAST_LABEL_PATTERN = "[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
DOMAIN_PATTERN = f"^[{SPACE}]*(?:{_LABEL_PATTERN}\\.)+{_LAST_LABEL_PATTERN}\\.?[{SPACE}]*$"


def check_domain(value: str) -> str:
    domain = value.strip().lower().removesuffix(".")
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValueError("Must be a domain name, such as example.com.")
    if not labels[-1][0].isalpha():
        raise ValueError("Must be a domain name whose last label begins with a letter.")
    return domain


DomainName = Annotated[
    str,
    AfterValidator(reject_nul),
    AfterValidator(check_domain),
    WithJsonSchema(
        {"type": "string", "examples": ["acme.com"], "maxLength": 253, "pattern": DOMAIN_PATTERN}
    ),
]
AccountName = Annotated[str, TextRules(255, min_length=1, strip=True)]
Industry = Annotated[str, TextRules(255)]
LongText = Annotated[str, TextRules(32768)]


class AccountCreate(WriteModel):
    name: AccountName
    primary_domain: DomainName
    industry: Industry | None = None
    description: LongText | None = None
    website: HttpUrlString | None = None
    metadata: JsonObject = Field(default_factory=dict)


class AccountUpdate(WriteModel):
    """PATCH: only the fields sent change; null clears an optional one."""

    name: AccountName | None = None
    primary_domain: DomainName | None = None
    industry: Industry | None = None
    description: LongText | None = None
    website: HttpUrlString | None = None
    metadata: JsonObject | None = None
    is_active: StrictBool | None = None

    _required = required_when_sent("name", "primary_domain", "is_active")


class Account(ApiModel):
    id: OutputId
    uid: str
    name: str
    primary_domain: str
    industry: str | None
    description: str | None
    website: str | None
    metadata: dict[str, Any]
    is_active: bool
    creator_id: OutputId
    created_at: OutputTimestamp
    updated_at: OutputTimestamp
    deleted_at: OutputTimestamp | None
    last_activity_at: OutputTimestamp | None = Field(
        description="The latest activityTimestamp at or before now among its live, non-cancelled"
        " ORGANIZATION activities; null when it has none."
    )
    next_activity_at: OutputTimestamp | None = Field(
        description="The earliest PENDING ORGANIZATION activity after now."
    )
    open_activities: int = Field(description="How many ORGANIZATION activities are PENDING.")

    @field_validator("last_activity_at", mode="before")
    @classmethod
    def _never_is_null(cls, value: datetime | None) -> datetime | None:
        return None if value == NEVER else value


def account_values(
    body: AccountCreate | AccountUpdate, fields: set[str] | None = None
) -> dict[str, Any]:
    """Column values of a body: all of them, or only the fields the client sent."""
    chosen = body.model_fields_set if fields is None else fields
    values = {name: getattr(body, name) for name in chosen}
    if values.get("metadata", {}) is None:
        values["metadata"] = {}
    return values


AccountSort = Literal[
    "-createdAt", "createdAt", "-updatedAt", "updatedAt", "lastActivityAt", "-lastActivityAt"
]


class AccountListQuery(WriteModel):
    """Query parameters of GET /v1/accounts; unknown ones are refused."""

    q: SearchText | None = Field(None, description="Part of the name, any case.")
    primary_domain: DomainName | None = None
    industry: Industry | None = None
    is_active: bool | None = None
    include_deleted: bool = Field(False, description="ADMIN and OWNER only.")
    last_activity_before: UtcTimestamp | None = Field(
        None, description="Accounts last touched before this instant, or never."
    )
    sort: AccountSort = "-createdAt"
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None

"""Contact bodies: what a client sends and what it reads back."""

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from touchpoint.core.fields import (
    ApiModel,
    EmailAddress,
    Identifier,
    JsonObject,
    OutputId,
    OutputTimestamp,
    SearchText,
    TextRules,
    WriteModel,
    required_when_sent,
)
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit
from touchpoint.core.query_parameters import OneOrMore


class ContactType(StrEnum):
    PRIMARY = "PRIMARY"
    BILLING = "BILLING"
    LEGAL = "LEGAL"
    EXECUTIVE = "EXECUTIVE"
    OTHER = "OTHER"


FirstName = Annotated[str, TextRules(255, min_length=1, strip=True)]
LastName = Annotated[str, TextRules(255, strip=True)]
Phone = Annotated[str, TextRules(64, strip=True)]
JobTitle = Annotated[str, TextRules(255)]
ContactTypes = Annotated[list[str], OneOrMore(ContactType, "contactType")]


class ContactCreate(WriteModel):
    account_id: Identifier
    first_name: FirstName
    last_name: LastName | None = None
    email: EmailAddress
    phone: Phone | None = None
    title: JobTitle | None = None
    contact_type: ContactType = ContactType.OTHER
    metadata: JsonObject = Field(default_factory=dict)


class ContactUpdate(WriteModel):
    """PATCH: only the fields sent change; null clears an optional field (to its default)."""

    account_id: Identifier | None = None
    first_name: FirstName | None = None
    last_name: LastName | None = None
    email: EmailAddress | None = None
    phone: Phone | None = None
    title: JobTitle | None = None
    contact_type: ContactType | None = None
    metadata: JsonObject | None = None
    is_active: StrictBool | None = None

    _required = required_when_sent("account_id", "first_name", "email", "is_active")


class Contact(ApiModel):
    id: OutputId
    uid: str
    account_id: OutputId
    first_name: str
    last_name: str | None
    email: str
    phone: str | None
    title: str | None
    contact_type: ContactType
    metadata: dict[str, Any]
    is_active: bool
    creator_id: OutputId
    created_at: OutputTimestamp
    updated_at: OutputTimestamp
    deleted_at: OutputTimestamp | None


_DEFAULTS: dict[str, Any] = {"contact_type": ContactType.OTHER, "metadata": {}}


def contact_values(body: ContactCreate | ContactUpdate, fields: set[str]) -> dict[str, Any]:
    """Column values for the fields given; null on a defaulted field restores its default."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(body, name)
        if value is None and name in _DEFAULTS:
            value = _DEFAULTS[name]
        values[name] = str(value) if isinstance(value, StrEnum) else value
    return values


class ContactListQuery(WriteModel):
    """Query parameters of GET /v1/contacts; unknown ones are refused."""

    account_id: Identifier | None = None
    contact_type: ContactTypes | None = None
    email: EmailAddress | None = Field(None, description="The exact email, any case.")
    q: SearchText | None = Field(None, description="Part of the name or email, any case.")
    is_active: bool | None = None
    include_deleted: bool = Field(False, description="ADMIN and OWNER only.")
    sort: Literal["-createdAt", "createdAt"] = "-createdAt"
    limit: PageLimit = DEFAULT_PAGE_SIZE
    cursor: CursorParameter = None

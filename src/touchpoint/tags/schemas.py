"""GET /v1/tags: the organization's tags in use, most used first."""

from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema

from touchpoint.activities.tags import MAX_TAG_LENGTH
from touchpoint.core.fields import ApiModel, TextRules, WriteModel
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, PageLimit

# Any start of a tag: lower-cased as tags are; not trimmed, so "sales " asks for the space too.
TagPrefix = Annotated[
    str,
    TextRules(MAX_TAG_LENGTH, min_length=1),
    AfterValidator(str.lower),
    WithJsonSchema(
        {"type": "string", "minLength": 1, "maxLength": MAX_TAG_LENGTH, "pattern": "^[^\\u0000]*$"}
    ),
]


class TagQuery(WriteModel):
    """Query parameters of GET /v1/tags; unknown ones are refused."""

    prefix: TagPrefix | None = Field(None, description="Only tags that start with this, any case.")
    limit: PageLimit = DEFAULT_PAGE_SIZE


class TagUse(ApiModel):
    tag: str
    count: int = Field(description="Live activities the caller can see that carry the tag.")


class TagList(ApiModel):
    data: list[TagUse]

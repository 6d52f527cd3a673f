"""Tag rules, defined once: an activity's `tags`, the list's `tag` filter, GET /v1/tags.

A tag is 1 to 50 characters after trimming, without control characters, compared ignoring
case and kept lower-case. It may not contain a comma either: `tag=a,b` is how a filter names
several, so a comma inside one could never be asked for.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, WithJsonSchema

from touchpoint.core.fields import reject_nul, trimmed_pattern

MAX_TAGS = 20
MAX_TAG_LENGTH = 50
_REFUSED = "\\u0000-\\u001f\\u007f-\\u009f,"
_REFUSED_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f,]")
TAG_SCHEMA = {"type": "string", "pattern": trimmed_pattern(1, MAX_TAG_LENGTH, _REFUSED)}


def tag(value: str) -> str:
    """The tag as it is kept: trimmed and lower-case; ValueError saying which rule it breaks."""
    value = reject_nul(value).strip()
    if not 1 <= len(value) <= MAX_TAG_LENGTH:
        raise ValueError(f"A tag is 1 to {MAX_TAG_LENGTH} characters long, after trimming.")
    if _REFUSED_CHARACTERS.search(value):
        raise ValueError("A tag may not contain control characters or commas.")
    return value.lower()


def distinct_tags(values: list[str]) -> list[str]:
    """Each tag once, in the order first given; at most MAX_TAGS of them."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) > MAX_TAGS:
        raise ValueError(f"At most {MAX_TAGS} different tags.")
    return distinct


Tag = Annotated[str, AfterValidator(tag), WithJsonSchema(TAG_SCHEMA)]
Tags = Annotated[
    list[Tag],
    AfterValidator(distinct_tags),
    WithJsonSchema(
        {
            "type": "array",
            "items": TAG_SCHEMA,
            "description": f"At most {MAX_TAGS} once duplicates (ignoring case) are removed;"
            " answered lower-case, each once, in the order first given.",
        }
    ),
]


@dataclass(frozen=True, slots=True)
class TagFilter(GroupedMetadata):
    """The `tag` query parameter: one tag, or several separated by commas, ignoring case."""

    def __iter__(self) -> Iterator[object]:
        def check(values: list[str]) -> list[str]:
            return list(dict.fromkeys(tag(part) for value in values for part in value.split(",")))

        yield AfterValidator(check)
        yield WithJsonSchema(
            {
                "type": "array",
                "items": TAG_SCHEMA,
                "minItems": 1,
                "description": "Activities with any of these tags (ignoring case); several are"
                " separated by commas.",
            }
        )

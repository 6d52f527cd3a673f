"""Field types shared by every feature's schemas: ids, timestamps, text, URLs and JSON objects."""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from annotated_types import GroupedMetadata
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic.alias_generators import to_camel

MAX_BIGINT = 2**63 - 1
# The largest id accepted as a JSON number: beyond it most JSON parsers lose digits.
MAX_JSON_INTEGER_ID = 2**53 - 1
METADATA_MAX_BYTES = 16 * 1024
# Deeper documents cannot be serialized back (pydantic stops at 255 levels): refuse them on input.
METADATA_MAX_DEPTH = 32
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
# Exactly the characters str.isspace() (and so str.strip()) treats as white space, spelt so the
# same class means the same in Python and in the ECMA-262 patterns of the OpenAPI document.
SPACE = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_EMAIL_PATTERN = f"^[^@{SPACE}\\u0000]+@[^@{SPACE}\\u0000]+\\.[^@{SPACE}\\u0000]+$"
_EMAIL = re.compile(_EMAIL_PATTERN)
# Text neither database can store: NUL, and lone surrogates (valid JSON "\ud800" escapes).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NO_NUL = "^[^\\u0000]*$"


def trimmed_pattern(min_length: int, max_length: int, refused: str = "\\u0000") -> str:
    """Text whose length is counted after trimming: the pattern counts it, not maxLength.
    `refused` is a character class body of what may not occur (NUL by default)."""
    core = f"[^{SPACE}{refused}](?:[^{refused}]{{0,{max_length - 2}}}[^{SPACE}{refused}])?"
    if not min_length:
        core = f"(?:{core})?"
    return f"^[{SPACE}]*{core}[{SPACE}]*$"


class ApiModel(BaseModel):
    """camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _not_nullable_when_refused(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """A field guarded by `required_when_sent` may be left out but refuses null: say so."""
    refused: set[str] = set()
    for decorator in model.__pydantic_decorators__.field_validators.values():
        if decorator.func.__name__ == _refuse_null.__name__:
            refused.update(decorator.info.fields)
    properties = schema.get("properties", {})
    for name in refused:
        info = model.model_fields.get(name)
        alias = (info.alias if info is not None else None) or to_camel(name)
        prop = properties.get(alias)
        if prop is None or "anyOf" not in prop:
            continue
        options = [option for option in prop["anyOf"] if option != {"type": "null"}]
        del prop["anyOf"]
        if len(options) == 1:
            prop.update(options[0])
        else:
            prop["anyOf"] = options


class WriteModel(ApiModel):
    """A request body: unknown fields are refused, never silently dropped."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=False,
        extra="forbid",
        json_schema_extra=_not_nullable_when_refused,
    )


def _at_most(limit: str) -> str:
    """A regular expression for the decimal numbers 1..limit, without leading zeros."""
    width = len(limit)
    options = [f"[1-9][0-9]{{0,{width - 2}}}"]
    for index, digit in enumerate(limit):
        low = "1" if index == 0 else "0"
        if digit > low:
            top = chr(ord(digit) - 1)
            rest = width - index - 1
            options.append(f"{limit[:index]}[{low}-{top}]" + (f"[0-9]{{{rest}}}" if rest else ""))
    options.append(limit)
    return "|".join(options)


# Exactly what parse_identifier accepts as a string: 1 to 2^63-1, up to 19 digits (leading zeros
# allowed within the 19).
ID_PATTERN = f"^(?=[0-9]{{1,19}}$)0*(?:{_at_most(str(MAX_BIGINT))})$"
ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN, "examples": ["42"]}
OUTPUT_ID_SCHEMA: dict[str, Any] = {"type": "string", "pattern": "^[1-9][0-9]{0,18}$"}
# A path's {id}: the numeric id or the 26-character ULID uid, any case.
REFERENCE_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": f"{ID_PATTERN}|^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{{25}}$",
    "examples": ["42"],
}


def parse_identifier(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        if value > MAX_JSON_INTEGER_ID:
            raise ValueError("Must be an id: larger ones than 2^53-1 must be strings of digits.")
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        raise ValueError("Must be an id: a string of digits.")
    if not 1 <= number <= MAX_BIGINT:
        raise ValueError("Must be an id between 1 and 9223372036854775807.")
    return number


def parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise ValueError(
            "Must be an RFC 3339 date-time with a UTC offset, such as 2026-01-31T09:30:00Z."
        )
    try:
        parsed = datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError) as error:
        raise ValueError("Is not a valid date-time.") from error


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def reject_nul(value: str) -> str:
    """Refuses text neither database can store: NUL, and lone surrogates (JSON "\\ud800")."""
    if "\x00" in value:
        raise ValueError("Must not contain NUL characters.")
    if _LONE_SURROGATE.search(value):
        raise ValueError("Must be Unicode text: it contains a lone surrogate.")
    return value


def _find_nul(value: Any, path: str) -> str | None:
    """The path of the first string (or key) holding NUL or a lone surrogate, else None."""
    if isinstance(value, str):
        return path if _UNSTORABLE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}"
            found = here if _UNSTORABLE.search(key) else _find_nul(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find_nul(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


def _nested_deeper_than(value: Any, limit: int) -> bool:
    """Whether objects and arrays nest more than `limit` levels (the value itself is level 1)."""
    level = [value]
    for _ in range(limit):
        level = [
            child
            for item in level
            for child in (item.values() if isinstance(item, dict) else item)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return True


def check_json_object(value: dict[str, Any]) -> dict[str, Any]:
    if _nested_deeper_than(value, METADATA_MAX_DEPTH):
        raise ValueError(
            f"Must not nest objects and arrays more than {METADATA_MAX_DEPTH} levels deep."
        )
    nul_at = _find_nul(value, "")
    if nul_at is not None:
        # The path is shown without the offending characters, which cannot be rendered.
        shown = _UNSTORABLE.sub("?", nul_at)
        raise ValueError(f"Must not contain NUL characters or lone surrogates (at '{shown}').")
    try:
        encoded = json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
    except ValueError as error:
        raise ValueError("Must not contain NaN or Infinity.") from error
    if len(encoded.encode("utf-8", "surrogatepass")) > METADATA_MAX_BYTES:
        raise ValueError("Must be at most 16 KiB when serialized.")
    return value


def check_http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("Must be an absolute http or https URL.")
    if any(character.isspace() or ord(character) < 32 for character in value):
        raise ValueError("Must not contain spaces or control characters.")
    return value


def check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError("Must be an email address.")
    return value


def trimmed(value: str) -> str:
    return value.strip()


Identifier = Annotated[
    int,
    BeforeValidator(parse_identifier),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                ID_SCHEMA,
                {"type": "integer", "minimum": 1, "maximum": MAX_JSON_INTEGER_ID},
            ]
        },
        mode="validation",
    ),
    WithJsonSchema(OUTPUT_ID_SCHEMA, mode="serialization"),
]
UtcTimestamp = Annotated[
    datetime,
    BeforeValidator(parse_timestamp),
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
OutputTimestamp = Annotated[
    datetime,
    PlainSerializer(format_timestamp, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]
OutputId = Annotated[int, PlainSerializer(str, return_type=str), WithJsonSchema(OUTPUT_ID_SCHEMA)]


# A type alias must be written `Annotated[...]` literally for mypy to accept it, so the rules
# are grouped metadata (pydantic unpacks it in order), not a function returning a type.
@dataclass(frozen=True, slots=True)
class TextRules(GroupedMetadata):
    """A string's rules: write `Name = Annotated[str, TextRules(255, min_length=1, strip=True)]`.

    NUL and lone surrogates are refused; with strip, surrounding white space is trimmed first
    and the length counted after trimming."""

    max_length: int
    min_length: int = 0
    strip: bool = False

    def __iter__(self) -> Iterator[object]:
        if self.strip:
            yield AfterValidator(trimmed)
        yield AfterValidator(reject_nul)
        yield AfterValidator(_length_check(self.min_length, self.max_length))
        yield WithJsonSchema(
            {"type": "string", "pattern": trimmed_pattern(self.min_length, self.max_length)}
            if self.strip
            else {
                "type": "string",
                "minLength": self.min_length,
                "maxLength": self.max_length,
                "pattern": _NO_NUL,
            }
        )


# Shared by several features: a person's name (members, accepting an invitation) and a list's
# `q` search text (accounts, contacts).
PersonName = Annotated[str, TextRules(255, min_length=1, strip=True)]
SearchText = Annotated[str, TextRules(255)]


def _length_check(min_length: int, max_length: int) -> Any:
    def check(value: str) -> str:
        if not min_length <= len(value) <= max_length:
            if min_length and not value:
                raise ValueError("Must not be empty.")
            raise ValueError(f"Must be {min_length} to {max_length} characters long.")
        return value

    return check


# Any JSON value without NUL in its strings and keys (components.schemas.JsonValue, added by
# core/openapi.py). The 16 KiB and 32-level limits are checked but not expressible there.
JSON_VALUE_SCHEMA: dict[str, Any] = {
    "description": "Any JSON value; no string or key may contain NUL.",
    "anyOf": [
        {"type": "null"},
        {"type": "boolean"},
        {"type": "number"},
        {"type": "string", "pattern": _NO_NUL},
        {"type": "array", "items": {"$ref": "#/components/schemas/JsonValue"}},
        {
            "type": "object",
            "propertyNames": {"pattern": _NO_NUL},
            "additionalProperties": {"$ref": "#/components/schemas/JsonValue"},
        },
    ],
}
JsonObject = Annotated[
    dict[str, Any],
    AfterValidator(check_json_object),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": _NO_NUL},
            "additionalProperties": {"$ref": "#/components/schemas/JsonValue"},
            "description": "A JSON object of at most 16 KiB, nesting at most 32 levels.",
        },
        mode="validation",
    ),
]
HttpUrlString = Annotated[
    str,
    AfterValidator(reject_nul),
    Field(max_length=2048),
    AfterValidator(check_http_url),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": 2048,
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#][!-~]*)?$",
        }
    ),
]
EmailAddress = Annotated[
    str,
    AfterValidator(reject_nul),
    Field(max_length=320),
    AfterValidator(check_email),
    WithJsonSchema({"type": "string", "maxLength": 320, "pattern": _EMAIL_PATTERN}),
]


# System-managed fields: a request body that sets one is refused with a message that says so.
SYSTEM_FIELDS = frozenset(
    {
        "id",
        "uid",
        "category",
        "isActive",
        "creatorId",
        "creator",
        "creatorEmail",
        "createdBy",
        "account",
        "createdAt",
        "updatedAt",
        "deletedAt",
    }
)


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("Must not be null: the field is required.")
    return value


def required_when_sent(*fields: str) -> Any:
    """For a PATCH body: these fields may be left out, but not sent as null."""
    return field_validator(*fields)(_refuse_null)

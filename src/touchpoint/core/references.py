"""`{id}` in a path: the numeric id or the 26-character ULID uid of a row."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam
from starlette.convertors import Convertor, register_url_convertor

from touchpoint.core.errors import NotFound
from touchpoint.core.fields import MAX_BIGINT

_CROCKFORD = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


@dataclass(frozen=True, slots=True)
class Reference:
    id: int | None = None
    uid: str | None = None

    def matches(self, table: Table) -> ColumnElement[bool]:
        if self.id is not None:
            return table.c.id == self.id
        return table.c.uid == self.uid

    @property
    def by_id(self) -> bool:
        return self.id is not None

    def matches_parameter(self, table: Table) -> ColumnElement[bool]:
        """`matches` for a statement built once (core/prepared.py), given `parameters`."""
        if self.by_id:
            return table.c.id == bindparam("reference_id", type_=table.c.id.type)
        return table.c.uid == bindparam("reference_uid", type_=table.c.uid.type)

    @property
    def parameters(self) -> dict[str, Any]:
        return {"reference_id": self.id} if self.by_id else {"reference_uid": self.uid}


def not_found(resource: str, value: str) -> NotFound:
    """The one answer for a row that is missing, deleted or another organization's."""
    return NotFound(f"No {resource} has the id '{value[:64]}'.")


def parse_reference(value: str, resource: str) -> Reference:
    """A reference that cannot name any row is answered like a missing row: 404."""
    if value.isascii() and value.isdigit() and len(value) <= 19 and 1 <= int(value) <= MAX_BIGINT:
        return Reference(id=int(value))
    candidate = value.upper()
    if len(candidate) == 26 and set(candidate) <= _CROCKFORD and candidate[0] <= "7":
        return Reference(uid=candidate)
    raise not_found(resource, value)


class ReferenceConvertor(Convertor[str]):
    """`{name:reference}` in a route's path: only what could be an id (digits) or a uid (26
    Crockford characters) matches, so a sibling path such as `/v1/activities/stats` is never
    taken for a reference: its other methods are 405, not a lookup of an activity "stats".
    What matches is still checked by parse_reference (a 404 when it can name no row)."""

    regex = "[0-9]{1,19}|[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


# The convertor's name in a path: `{activity_id:reference}`.
REFERENCE = "reference"
register_url_convertor(REFERENCE, ReferenceConvertor())

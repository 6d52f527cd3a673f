"""`{id}` in a path: the numeric id or the 26-character ULID uid of a row."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table

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

"""Keyset paging with opaque, signed cursors: page 10,000 costs what page 1 costs."""

import base64
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from pydantic import AfterValidator, Field, WithJsonSchema
from sqlalchemy import ColumnElement, Label, Select, literal, tuple_

from touchpoint.core.errors import BadRequest
from touchpoint.core.fields import ApiModel, format_timestamp, parse_timestamp

Item = TypeVar("Item")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Every list's `limit` parameter: write `limit: PageLimit = DEFAULT_PAGE_SIZE`.
PageLimit = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE, description="Rows per page.")]


# Any string is accepted here: one the service did not issue is a 400 from the codec, not a 422.
def _not_empty(value: str | None) -> str | None:
    if value == "":
        raise ValueError("Must not be empty: leave cursor out to read the first page.")
    return value


CursorParameter = Annotated[
    str | None,
    AfterValidator(_not_empty),
    Field(description="The nextCursor of the previous page; absent for the first."),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{16}$",
            "description": "The nextCursor of the previous page; absent for the first.",
        }
    ),
]


class Page(ApiModel, Generic[Item]):
    data: list[Item]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to read the next page; null on the last page."
    )


def page_document(data: list[Any], next_cursor: str | None) -> dict[str, Any]:
    """A `Page` as an answer written straight to JSON (core/json_answers.py) holds it."""
    return {"data": data, "nextCursor": next_cursor}


@dataclass(frozen=True, slots=True)
class SortOrder:
    """One of a list's orders: a timestamp column (or a labelled score, such as a search's
    relevance, which the page then selects too), then the id, ascending or descending."""

    name: str
    column: ColumnElement[Any]
    id_column: ColumnElement[Any]
    descending: bool


@dataclass(frozen=True, slots=True)
class Position:
    """Where the previous page ended."""

    value: datetime | float
    id: int


class CursorCodec:
    """Encodes positions as opaque strings, signed so only cursors the service issued are read."""

    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"cursor:" + secret_key.encode()).digest()

    def _signature(self, payload: bytes) -> str:
        digest = hmac.new(self._key, payload, hashlib.sha256).digest()[:12]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def encode(self, order: SortOrder, position: Position) -> str:
        value = position.value
        shown = format_timestamp(value) if isinstance(value, datetime) else value
        payload = orjson.dumps([order.name, shown, position.id])
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._signature(payload)}"

    def decode(self, cursor: str, order: SortOrder) -> Position:
        try:
            body, signature = cursor.split(".")
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            if not hmac.compare_digest(signature, self._signature(payload)):
                raise ValueError("bad signature")
            name, value, last_id = orjson.loads(payload)
        except (ValueError, TypeError, orjson.JSONDecodeError) as error:
            raise BadRequest("The cursor is not one this service issued.") from error
        if name != order.name:
            raise BadRequest(f"The cursor belongs to another sort order than '{order.name}'.")
        return Position(_sort_value(value), int(last_id))

    def next_cursor(self, rows: Sequence[Any], limit: int, order: SortOrder) -> str | None:
        """Rows hold one row past the page when there is a next page; None on the last page."""
        if len(rows) <= limit:
            return None
        last = rows[limit - 1]
        return self.encode(order, Position(last[order.column.key], last[order.id_column.key]))


@dataclass(frozen=True, slots=True)
class PageRequest:
    """What a list asks for, handed by its route to its service, which pages in one place:
    where the previous page ended (the cursor) and how many rows."""

    cursor: str | None
    limit: int
    cursors: CursorCodec

    def after(self, order: SortOrder) -> Position | None:
        return self.cursors.decode(self.cursor, order) if self.cursor else None

    def page(
        self,
        model: type[Page[Item]],
        rows: Sequence[Any],
        order: SortOrder,
        item: Callable[[Any], Item],
    ) -> Page[Item]:
        """The page of rows read one past the limit (see page_query)."""
        data = [item(row) for row in rows[: self.limit]]
        return model(data=data, next_cursor=self.next_cursor(rows, order))

    def next_cursor(self, rows: Sequence[Any], order: SortOrder) -> str | None:
        return self.cursors.next_cursor(rows, self.limit, order)


def _sort_value(value: Any) -> datetime | float:
    # orjson writes a float such as 1.0 as 1.0, and reads it back as the same float.
    return float(value) if isinstance(value, int | float) else parse_timestamp(value)


def page_query(
    statement: Select[Any], order: SortOrder, after: Position | None, limit: int
) -> Select[Any]:
    """Orders by (sort key, id), starts after the position, and reads one row past the page."""
    if isinstance(order.column, Label):
        statement = statement.add_columns(order.column)
    key = tuple_(order.column, order.id_column)
    if after is not None:
        bound = tuple_(
            literal(after.value, order.column.type), literal(after.id, order.id_column.type)
        )
        statement = statement.where(key < bound if order.descending else key > bound)
    if order.descending:
        statement = statement.order_by(order.column.desc(), order.id_column.desc())
    else:
        statement = statement.order_by(order.column.asc(), order.id_column.asc())
    return statement.limit(limit + 1)

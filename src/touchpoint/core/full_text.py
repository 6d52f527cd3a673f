"""Full-text search: words normalized in Python, matched by each engine's own index.

Both engines see the same words: text is cut into runs of letters and digits, lower-cased and
stripped of accents here ("Résumé" and "resume" are one word), and a table keeps those words,
space-separated, in a `search_text` column. PostgreSQL matches them through a GIN index on
`to_tsvector('simple', search_text)`; SQLite through an FTS5 table named after the table
(`activities_search`), which triggers keep in step with the column.

A query matches a row when every word of it is among the row's words, the last one also as a
prefix ("pres" finds "presentation").
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Float, FunctionElement, Table, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

# A run of letters or digits: "o'brien" is two words, "e-mail" two, "x1" one.
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of a text, lower-case and without accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(plain.casefold())


def search_text(parts: Iterable[str | None]) -> str:
    """What a row stores in `search_text`: the words of all its searchable parts."""
    return " ".join(word for part in parts if part for word in words(part))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """The words a client searched for; the last one matches as a prefix too."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "SearchQuery":
        return cls(tuple(words(text)))

    @property
    def finds_anything(self) -> bool:
        """Text with no word in it (only punctuation or spaces) matches no row."""
        return bool(self.words)

    def for_postgresql(self) -> str:
        # Words are letters and digits only, so quoting them is all to_tsquery needs.
        *whole, last = (f"'{word}'" for word in self.words)
        return " & ".join([*whole, f"{last}:*"])

    def for_sqlite(self) -> str:
        *whole, last = (f'"{word}"' for word in self.words)
        return " ".join([*whole, f"{last}*"])


class _FullTextElement(FunctionElement[Any]):
    """A table's search_text and id, and the query for each engine; compiled per dialect."""

    inherit_cache = True

    def __init__(self, table: Table, query: SearchQuery) -> None:
        self.table = table
        super().__init__(
            table.c.search_text,
            table.c.id,
            literal(query.for_postgresql()),
            literal(query.for_sqlite()),
        )


class matches(_FullTextElement):  # noqa: N801 (used like an SQL function)
    """Whether a row of the table holds every word of the query."""

    type = Boolean()
    inherit_cache = True
    name = "matches"


class relevance(_FullTextElement):  # noqa: N801 (used like an SQL function)
    """How well a matching row fits the query: higher is better, on either engine."""

    type = Float()
    inherit_cache = True
    name = "relevance"


def fts_table(table: Table) -> str:
    """The SQLite FTS5 table that indexes a table's search_text."""
    return f"{table.name}_search"


def _compiled(element: Any, compiler: SQLCompiler, *positions: int, **kw: Any) -> list[str]:
    # Only the clauses a dialect's SQL uses are compiled: each compiled one is a bound parameter.
    clauses = element.clauses.clauses
    return [compiler.process(clauses[position], **kw) for position in positions]


def _vector(text: str) -> str:
    # Exactly the expression the GIN index is built on, so the planner can use it.
    return f"to_tsvector('simple'::regconfig, {text})"


@compiles(matches, "postgresql")
def _matches_on_postgresql(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    text, query = _compiled(element, compiler, 0, 2, **kw)
    return f"{_vector(text)} @@ to_tsquery('simple'::regconfig, {query})"


@compiles(matches, "sqlite")
def _matches_on_sqlite(element: matches, compiler: SQLCompiler, **kw: Any) -> str:
    row_id, query = _compiled(element, compiler, 1, 3, **kw)
    search = fts_table(element.table)
    # Only compiled clauses and a name derived from the table are interpolated.
    return f"{row_id} IN (SELECT rowid FROM {search} WHERE {search} MATCH {query})"  # noqa: S608


@compiles(relevance, "postgresql")
def _relevance_on_postgresql(element: relevance, compiler: SQLCompiler, **kw: Any) -> str:
    text, query = _compiled(element, compiler, 0, 2, **kw)
    return f"CAST(ts_rank({_vector(text)}, to_tsquery('simple'::regconfig, {query})) AS FLOAT)"


@compiles(relevance, "sqlite")
def _relevance_on_sqlite(element: relevance, compiler: SQLCompiler, **kw: Any) -> str:
    row_id, query = _compiled(element, compiler, 1, 3, **kw)
    search = fts_table(element.table)
    # bm25 is lower for a better match: negated, so both engines sort it descending.
    return (
        f"(SELECT -bm25({search}) FROM {search}"  # noqa: S608
        f" WHERE {search} MATCH {query} AND rowid = {row_id})"
    )

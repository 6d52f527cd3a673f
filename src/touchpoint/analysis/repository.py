"""All SQL for statistics and export: built from the tenant scope and the list's own filter
conditions, so a statistic or an export sees exactly the activities the list would show."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    Text,
    case,
    cast,
    func,
    literal_column,
    true,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.activities.filters import ActivityFilters
from touchpoint.activities.repository import ActivityRepository
from touchpoint.activities.schemas import category_of
from touchpoint.analysis.schemas import GroupKey
from touchpoint.core.errors import invalid_field
from touchpoint.core.tenancy import TenantScope
from touchpoint.core.time_buckets import time_bucket
from touchpoint.core.types import each_value
from touchpoint.models import activities
from touchpoint.models.activities import ActivityType

# The most groups an answer holds; one more is read, so that the service knows there are more.
MAX_GROUPS = 10_000
# Rows fetched from the server-side cursor at a time, and presented and sent together.
EXPORT_BATCH = 2_000
# PostgreSQL's invalid_parameter_value: what AT TIME ZONE says of a zone it does not know.
_UNKNOWN_ZONE_SQLSTATE = "22023"

# CASE type WHEN 'CALL' THEN 'COMMUNICATION' …: the category rule of activities/schemas.py,
# written out for every type, so there is still one definition of it.
_CATEGORY = case({kind.value: category_of(kind) for kind in ActivityType}, value=activities.c.type)
_IDS = {
    GroupKey.ACCOUNT_ID: activities.c.account_id,
    GroupKey.OWNER_ID: activities.c.owner_id,
    GroupKey.CREATED_BY: activities.c.created_by,
}
_TEXTS: dict[GroupKey, ColumnElement[Any]] = {
    GroupKey.TYPE: activities.c.type,
    GroupKey.STATUS: activities.c.status,
    GroupKey.CATEGORY: _CATEGORY,
}


def _minutes() -> ColumnElement[int]:
    return func.coalesce(func.sum(activities.c.duration), 0)


def group_label(position: int) -> str:
    # Not the name of any column: PostgreSQL reads a GROUP BY name as an input column first.
    return f"group_key_{position}"


@dataclass(frozen=True, slots=True)
class AnalysisRepository:
    connection: AsyncConnection
    scope: TenantScope

    @property
    def activities(self) -> ActivityRepository:
        """The list's repository on the same connection: its filter conditions and reads."""
        return ActivityRepository(self.connection, self.scope)

    def _each_tag(self) -> Any:
        """One row per tag of an activity, LEFT JOINed so an untagged activity keeps one row
        (with a NULL tag): unnest on PostgreSQL, json_each on SQLite."""
        return each_value(activities.c.tags, self.connection.dialect.name, "tag")

    def _key(self, key: GroupKey, zone: str, tag: Any) -> ColumnElement[Any]:
        """A group key's value as text: ids as the API writes them, labels of time periods."""
        unit = key.time_unit
        value: ColumnElement[Any]
        if unit is not None:
            value = time_bucket(activities.c.activity_timestamp, unit, zone)
        elif key is GroupKey.TAG:
            value = tag.c.value
        elif key in _IDS:
            value = cast(_IDS[key], Text)
        else:
            value = _TEXTS[key]
        if self.connection.dialect.name == "postgresql":
            # Ordered by code point, as SQLite's BINARY orders, whatever the database's locale.
            value = value.collate("C")
        return value

    async def grouped(
        self, keys: Sequence[GroupKey], zone: str, filters: ActivityFilters
    ) -> list[RowMapping]:
        """Each group's count and minutes, sorted by its keys, at most MAX_GROUPS + 1 of them;
        every row also carries the totals over the matching activities, each counted once."""
        try:
            result = await self.connection.execute(self.grouping(keys, zone, filters))
        except DBAPIError as error:
            raise self._refusal(error, zone) from error
        return list(result.mappings().all())

    def grouping(
        self, keys: Sequence[GroupKey], zone: str, filters: ActivityFilters
    ) -> Select[Any]:
        """The one aggregate statement of a statistic (bench/analysis.py times it alone)."""
        conditions = self.activities.conditions(filters)
        tag = self._each_tag() if GroupKey.TAG in keys else None
        labels = [group_label(position) for position in range(len(keys))]
        statement = self.scope.select(
            activities,
            *(
                self._key(key, zone, tag).label(name)
                for key, name in zip(keys, labels, strict=True)
            ),
            func.count().label("count"),
            _minutes().label("total_duration"),
            self._totals(conditions, func.count()).label("total_count"),
            self._totals(conditions, _minutes()).label("all_duration"),
        ).where(*conditions)
        if tag is not None:
            statement = statement.outerjoin(tag, true())
        # By label: the zone is a bound parameter, and PostgreSQL would not know the grouped
        # expression and the selected one (each with its own parameter) for the same.
        named: list[ColumnElement[Any]] = [literal_column(name) for name in labels]
        statement = statement.group_by(*named).order_by(*(n.asc().nulls_last() for n in named))
        return statement.limit(MAX_GROUPS + 1)

    def _totals(
        self, conditions: list[ColumnElement[bool]], figure: ColumnElement[Any]
    ) -> ColumnElement[Any]:
        # Uncorrelated, so each engine computes it once for the whole statement.
        statement = self.scope.select(activities, figure).where(*conditions).correlate(None)
        return statement.scalar_subquery()

    @staticmethod
    def _refusal(error: DBAPIError, zone: str) -> Exception:
        # Python's zone database validated `tz`; PostgreSQL's own may be older and not know it.
        sqlstate = getattr(error.orig, "sqlstate", None)
        if sqlstate == _UNKNOWN_ZONE_SQLSTATE and "time zone" in str(error.orig):
            return invalid_field("tz", f"The database does not know the time zone '{zone}'.")
        return error

    async def exported(self, filters: ActivityFilters) -> AsyncIterator[Sequence[RowMapping]]:
        """Every matching activity as the list reads it, newest first, through a server-side
        cursor, in batches: memory holds one batch, however many rows match. The statement runs
        now; the batches are fetched as they are read."""
        statement = (
            self.activities.reading()
            .where(*self.activities.conditions(filters))
            .order_by(activities.c.activity_timestamp.desc(), activities.c.id.desc())
            .execution_options(yield_per=EXPORT_BATCH)
        )
        result = await self.connection.stream(statement)
        batches: AsyncIterator[Sequence[RowMapping]] = result.mappings().partitions()
        return batches

"""Statistics and export: what a client asks for and what it reads back."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from annotated_types import GroupedMetadata
from pydantic import AfterValidator, Field, WithJsonSchema

from touchpoint.activities.schemas import ActivityListFilterQuery
from touchpoint.core.fields import ApiModel
from touchpoint.core.time_buckets import TimeUnit
from touchpoint.core.time_zones import TimeZoneName

MAX_GROUP_KEYS = 3
_TIME_UNITS = frozenset(unit.value for unit in TimeUnit)


class GroupKey(StrEnum):
    TYPE = "type"
    CATEGORY = "category"
    STATUS = "status"
    ACCOUNT_ID = "accountId"
    OWNER_ID = "ownerId"
    CREATED_BY = "createdBy"
    TAG = "tag"
    DAY = TimeUnit.DAY.value
    WEEK = TimeUnit.WEEK.value
    MONTH = TimeUnit.MONTH.value
    QUARTER = TimeUnit.QUARTER.value
    YEAR = TimeUnit.YEAR.value

    @property
    def time_unit(self) -> TimeUnit | None:
        """The calendar period this key cuts activityTimestamp into, if it is a time key."""
        return TimeUnit(self.value) if self.value in _TIME_UNITS else None


@dataclass(frozen=True, slots=True)
class GroupKeys(GroupedMetadata):
    """`groupBy`: one to three distinct keys, separated by commas."""

    def __iter__(self) -> Iterator[object]:
        names = [key.value for key in GroupKey]

        def check(values: list[str]) -> list[str]:
            chosen = [part for value in values for part in value.split(",")]
            unknown = [part for part in chosen if part not in names]
            if unknown:
                raise ValueError(
                    f"Unknown key '{unknown[0]}': expected some of {', '.join(names)}."
                )
            if len(set(chosen)) != len(chosen):
                raise ValueError("Each key may be given once.")
            if not 1 <= len(chosen) <= MAX_GROUP_KEYS:
                raise ValueError(f"One to {MAX_GROUP_KEYS} keys, separated by commas.")
            return chosen

        yield AfterValidator(check)
        yield WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": names},
                "minItems": 1,
                "maxItems": MAX_GROUP_KEYS,
                "uniqueItems": True,
                "description": "One to three keys to group by, separated by commas; day, week"
                " (ISO), month, quarter and year are cut in `tz`.",
            }
        )


class StatsQuery(ActivityListFilterQuery):
    """Query parameters of GET /v1/activities/stats: the list's filters, the keys, the zone."""

    group_by: Annotated[list[str], GroupKeys()]
    tz: TimeZoneName = "UTC"

    @property
    def keys(self) -> list[GroupKey]:
        return [GroupKey(name) for name in self.group_by]


ExportFormat = Literal["ndjson", "csv"]


class ExportQuery(ActivityListFilterQuery):
    """Query parameters of GET /v1/activities/export: the list's filters and the format."""

    format: ExportFormat = Field(
        "ndjson",
        description="ndjson (the default): one activity per line, as GET /v1/activities/{id}"
        " answers it. csv: RFC 4180, a header row of the same field names.",
    )


# A group's key: each groupBy name with its value (ids as strings, a tag, a time label);
# `tag` is null for the activities that have no tag.
GroupKeyValues = Annotated[
    dict[str, str | None],
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"enum": [key.value for key in GroupKey]},
            "additionalProperties": {"type": ["string", "null"]},
            "examples": [{"type": "CALL", "month": "2026-11"}],
        }
    ),
]
Average = Annotated[float, Field(description="Minutes per activity, rounded to two decimals.")]


class StatsGroup(ApiModel):
    key: GroupKeyValues
    count: int = Field(description="Activities in the group.")
    total_duration: int = Field(description="Their minutes, summed.")
    average_duration: Average


class StatsTotal(ApiModel):
    count: int = Field(description="Activities counted, each once (whatever its tags).")
    total_duration: int
    average_duration: Average | None = Field(description="null when nothing is counted.")


class Stats(ApiModel):
    data: list[StatsGroup] = Field(description="Groups with activities, sorted by their keys.")
    total: StatsTotal

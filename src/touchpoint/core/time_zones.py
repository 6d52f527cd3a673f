"""IANA time zones named in a query (`tz`), and the instants that bound a local day."""

from datetime import UTC, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field

_LONGEST_NAME = 64


def check_zone(name: str) -> str:
    """The name, if it is a zone this machine's time zone database knows."""
    if not 1 <= len(name) <= _LONGEST_NAME or name != name.strip() or "\x00" in name:
        raise ValueError("Must be an IANA time zone name, such as Europe/Paris.")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ValueError(
            f"'{name}' is not an IANA time zone name, such as Europe/Paris."
        ) from error
    return name


TimeZoneName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=_LONGEST_NAME,
        description="An IANA time zone name, such as Europe/Paris; UTC by default.",
        examples=["Europe/Paris"],
    ),
    AfterValidator(check_zone),
]


def local_day(zone: str, instant: datetime) -> tuple[datetime, datetime]:
    """The UTC instants that begin the local day of `instant` in the zone, and the next one."""
    local_zone = ZoneInfo(zone)
    day = instant.astimezone(local_zone).date()
    start = datetime.combine(day, time(), local_zone)
    end = datetime.combine(day + timedelta(days=1), time(), local_zone)
    return start.astimezone(UTC), end.astimezone(UTC)

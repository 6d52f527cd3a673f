"""An account's engagement figures: its last activity, its next one and how many are open.

Only live ORGANIZATION activities count (a private one never shows through its account), and
CANCELLED ones never do. The figures are stored on the account, so accounts can be ordered and
filtered by them through an index, and every write to an account's activities refreshes them
in its own unit of work: the very next request reads them right.

They also change with time alone: a planned activity becomes the last one once its timestamp
passes. `engagement_changes_at` stores when that happens next. Reads show such an account's
figures computed on the spot, and the few reads that order or filter by them first refresh
the accounts whose moment has passed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FunctionElement, RowMapping, bindparam, case, func
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler

from touchpoint.core.prepared import PreparedStatements
from touchpoint.core.tenancy import TenantScope
from touchpoint.core.types import UtcDateTime
from touchpoint.models import accounts, activities
from touchpoint.models.accounts import NEVER
from touchpoint.models.activities import ActivityStatus, Visibility


class current_instant(FunctionElement[Any]):  # noqa: N801 (used like an SQL function)
    """The database's clock, at microseconds, in the form timestamps are stored in."""

    type = UtcDateTime()
    inherit_cache = True
    name = "current_instant"


@compiles(current_instant, "postgresql")
def _now_on_postgresql(_element: current_instant, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "statement_timestamp()"


@compiles(current_instant, "sqlite")
def _now_on_sqlite(_element: current_instant, _compiler: SQLCompiler, **_kw: Any) -> str:
    # UtcDateTime stores "YYYY-MM-DD HH:MM:SS.ffffff" on SQLite; these strings sort alike.
    return "strftime('%Y-%m-%d %H:%M:%f', 'now')"


def _counted(scope: TenantScope, *figure: Any) -> Any:
    """A correlated subquery over the live ORGANIZATION activities of the account at hand."""
    column = activities.c
    return scope.select_regardless_of_privacy(activities, *figure).where(
        column.account_id == accounts.c.id,
        column.deleted_at.is_(None),
        column.visibility == Visibility.ORGANIZATION.value,
    )


def _not_cancelled() -> ColumnElement[bool]:
    return activities.c.status != ActivityStatus.CANCELLED.value


def _pending() -> ColumnElement[bool]:
    return activities.c.status == ActivityStatus.PENDING.value


def figures(scope: TenantScope) -> dict[str, Any]:
    """The figures as they are now, computed for the account at hand (correlated)."""
    timestamp, now = activities.c.activity_timestamp, current_instant()
    last = _counted(scope, func.max(timestamp)).where(_not_cancelled(), timestamp <= now)
    upcoming = _counted(scope, func.min(timestamp)).where(timestamp > now)
    return {
        "last_activity_at": func.coalesce(last.scalar_subquery(), NEVER),
        "next_activity_at": upcoming.where(_pending()).scalar_subquery(),
        "open_activities": _counted(scope, func.count()).where(_pending()).scalar_subquery(),
        "engagement_changes_at": upcoming.where(_not_cancelled()).scalar_subquery(),
    }


def _outdated() -> ColumnElement[bool]:
    return accounts.c.engagement_changes_at <= current_instant()


def any_outdated(scope: TenantScope) -> ColumnElement[bool]:
    """Whether time has changed some account's figures since they were stored (an index probe)."""
    return scope.select_regardless_of_privacy(accounts, accounts.c.id).where(_outdated()).exists()


def current_columns(scope: TenantScope) -> tuple[Any, ...]:
    """The figures as a read shows them: stored, unless time has changed them since."""
    computed = figures(scope)
    last, upcoming = (
        case((_outdated(), computed[name]), else_=accounts.c[name]).label(name)
        for name in ("last_activity_at", "next_activity_at")
    )
    return last, upcoming, accounts.c.open_activities


# count_new's statement, by whether the new activity is PENDING (core/prepared.py).
_COUNT_NEW = PreparedStatements()


@dataclass(frozen=True, slots=True)
class Engagement:
    connection: AsyncConnection
    scope: TenantScope

    async def refresh(self, account_ids: Iterable[int | None]) -> None:
        """Recomputes these accounts' figures, after a write to their activities (which has
        locked the accounts first, so the figures see every write committed before)."""
        ids = sorted({account_id for account_id in account_ids if account_id is not None})
        if ids:
            statement = self.scope.update(accounts).where(accounts.c.id.in_(ids))
            await self.connection.execute(statement.values(figures(self.scope)))

    async def count_new(self, activity: RowMapping) -> None:
        """Adds one newly created activity to its account's figures. A new activity can only
        move them one way (the last one later, the next one sooner, one more open), so this
        reads the account's row alone instead of all of its activities, as refresh does."""
        if activity["account_id"] is None or not _counts(activity):
            return
        pending = activity["status"] == ActivityStatus.PENDING.value

        def build() -> Any:
            shared = self.scope.for_every_principal()
            account = accounts.c.id == bindparam("account_id", type_=accounts.c.id.type)
            return shared.update(accounts).where(account).values(_moved_by(pending))

        values = {"account_id": activity["account_id"], "instant": activity["activity_timestamp"]}
        parameters = self.scope.parameters | values
        await _COUNT_NEW.get(pending, build).all(self.connection, parameters)

    async def refresh_outdated(self) -> None:
        """Brings up to date the accounts whose figures time has changed, before a read that
        orders or filters by them (usually none: an index finds that in one probe)."""
        statement = self.scope.update(accounts).where(_outdated())
        await self.connection.execute(statement.values(figures(self.scope)))


def _counts(activity: RowMapping) -> bool:
    return bool(
        activity["deleted_at"] is None
        and activity["visibility"] == Visibility.ORGANIZATION.value
        and activity["status"] != ActivityStatus.CANCELLED.value
    )


def _moved_by(pending: bool) -> dict[str, Any]:
    """The stored figures with one more live, not cancelled activity at the instant given as
    the `instant` parameter. A figure that time has already made stale stays flagged by
    `engagement_changes_at`, which only moves sooner here, so reads keep computing it until
    refresh_outdated runs."""
    column, now = accounts.c, current_instant()
    instant = bindparam("instant", type_=UtcDateTime())
    past, future = instant <= now, instant > now
    values: dict[str, Any] = {
        "last_activity_at": case(
            (past & (instant > column.last_activity_at), instant), else_=column.last_activity_at
        ),
        "engagement_changes_at": _sooner(future, instant, column.engagement_changes_at),
    }
    if pending:
        values["next_activity_at"] = _sooner(future, instant, column.next_activity_at)
        values["open_activities"] = column.open_activities + 1
    return values


def _sooner(future: ColumnElement[bool], instant: Any, stored: Any) -> Any:
    return case(
        (future & (stored.is_(None) | (instant < stored)), instant),
        else_=stored,
    )

"""Writing the change history: one entry per create, change, delete and restore, in the unit of
work of the change it records. Reading it is the history feature's (history/)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic.alias_generators import to_camel
from sqlalchemy import Insert, RowMapping, bindparam
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.fields import format_timestamp
from touchpoint.core.prepared import PreparedStatements
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import change_history

# Each entry's INSERT, by the columns it fills (core/prepared.py).
_RECORDS = PreparedStatements()


@dataclass(frozen=True, slots=True)
class HistoryRecords:
    connection: AsyncConnection
    scope: TenantScope

    def _entry(self, resource_type: str, action: str, now: datetime) -> dict[str, Any]:
        principal = self.scope.principal
        return {
            "resource_type": resource_type,
            "action": action,
            "changed_at": now,
            "user_id": principal.user_id,
            "api_key_id": principal.api_key_id,
        }

    async def record(
        self,
        resource_type: str,
        resource_id: int,
        action: str,
        now: datetime,
        changes: dict[str, Any] | None = None,
    ) -> None:
        values = {**self._entry(resource_type, action, now), "resource_id": resource_id}
        if changes is not None:
            values["changes"] = changes
        statement = _RECORDS.get(frozenset(values), lambda: self._recording(values))
        await statement.all(self.connection, self.scope.parameters | values)

    def _recording(self, values: dict[str, Any]) -> Insert:
        """The entry's INSERT, its values bind parameters (`changes` left out when there are
        none: the column is then NULL)."""
        columns = change_history.c
        parameters = {name: bindparam(name, type_=columns[name].type) for name in values}
        return self.scope.for_every_principal().insert(change_history, parameters)

    async def record_many(
        self, resource_type: str, resource_ids: list[int], action: str, now: datetime
    ) -> None:
        """One entry for each of these rows (a cascade's), in one statement."""
        if not resource_ids:
            return
        entry = {**self._entry(resource_type, action, now), "changes": None}
        rows = [{**entry, "resource_id": resource_id} for resource_id in resource_ids]
        await self.connection.execute(self.scope.insert(change_history), rows)


def _as_json(field: str, value: Any) -> Any:
    """A value as the API shows it: timestamps in RFC 3339 UTC, ids as strings of digits."""
    if isinstance(value, datetime):
        return format_timestamp(value)
    if field.endswith("_id") and isinstance(value, int):
        return str(value)
    return value


def difference(
    old: RowMapping | Mapping[str, Any], new: RowMapping | Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for each of `fields` whose value changed."""
    changes: dict[str, dict[str, Any]] = {}
    for field in fields:
        before, after = _as_json(field, old[field]), _as_json(field, new[field])
        if before != after:
            changes[to_camel(field)] = {"old": before, "new": after}
    return changes


async def record_change(
    history: HistoryRecords,
    resource_type: str,
    old: RowMapping,
    new: RowMapping,
    fields: Iterable[str],
) -> None:
    """Records an update, unless it changed nothing. Only fields the API shows are recorded:
    not updated_at, nor what the service derives and keeps for itself (an activity's words)."""
    shown = [field for field in fields if field != "updated_at" and field in new]
    changes = difference(old, new, shown)
    if changes:
        await history.record(resource_type, new["id"], "update", new["updated_at"], changes)

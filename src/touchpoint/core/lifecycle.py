"""The shared life of a resource: change, delete and restore, each checked and recorded.

Every step finds the row locked (FOR UPDATE on PostgreSQL; SQLite's write transactions are
serial), checks the principal may change it, writes it, and records the change in the same
unit of work.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import RowMapping
from ulid import ULID

from touchpoint.core.errors import Forbidden
from touchpoint.core.history_records import HistoryRecords, record_change
from touchpoint.core.permissions import require_manager, require_writer
from touchpoint.core.references import Reference, not_found
from touchpoint.core.resources import ResourceRepository
from touchpoint.core.tenancy import Principal


def _history(repository: ResourceRepository) -> HistoryRecords:
    return repository.sibling(HistoryRecords)


def require_may_change(principal: Principal, row: RowMapping, resource: str) -> None:
    """A MEMBER changes what it created, or (for what has an owner) what it owns."""
    require_writer(principal)
    if principal.manages_organization:
        return
    if principal.user_id not in (row["creator_id"], row.get("owner_id")):
        raise Forbidden(
            f"A MEMBER may change only what it created or owns; this {resource} is another's."
        )


def require_may_see_deleted(principal: Principal, resource: str, include_deleted: bool) -> None:
    """includeDeleted is for ADMIN and OWNER; anyone else asking is refused, not ignored."""
    if include_deleted:
        require_manager(principal, f"see a deleted {resource} (includeDeleted=true)")


async def find_readable(
    repository: ResourceRepository,
    resource: str,
    reference: Reference,
    value: str,
    include_deleted: bool = False,
) -> RowMapping:
    """The row, for reading: 404 when missing (or deleted, unless asked for by a manager)."""
    require_may_see_deleted(repository.scope.principal, resource, include_deleted)
    row = await repository.find(reference, include_deleted=include_deleted)
    if row is None:
        raise not_found(resource, value)
    return row


async def find_for_change(
    repository: ResourceRepository,
    resource: str,
    reference: Reference,
    value: str,
    *,
    include_deleted: bool = False,
    naming_account: int | None = None,
) -> RowMapping:
    """The row, locked (after the accounts it belongs to and is moved to: see
    AccountOwnedRepository.lock), for a principal that may change it: 404 or 403 otherwise."""
    require_writer(repository.scope.principal)
    row = await repository.lock(
        reference, include_deleted=include_deleted, naming_account=naming_account
    )
    if row is None:
        raise not_found(resource, value)
    require_may_change(repository.scope.principal, row, resource)
    return row


async def created(
    repository: ResourceRepository, resource: str, values: dict[str, Any]
) -> RowMapping:
    """Inserts a new row, stamped with its uid, creator and times, and records its creation."""
    principal = repository.scope.principal
    require_writer(principal)
    now = datetime.now(UTC)
    stamps = {"uid": str(ULID()), "created_by": principal.user_id, "created_at": now}
    row = await repository.insert({**values, **stamps, "updated_at": now})
    await _history(repository).record(resource, row["id"], "create", now)
    return row


async def changed(
    repository: ResourceRepository,
    resource: str,
    old: RowMapping,
    values: dict[str, Any],
) -> RowMapping:
    """Writes the values (none: nothing happens) and records what they changed."""
    if not values:
        return old
    new = await repository.update_row(old["id"], {**values, "updated_at": datetime.now(UTC)})
    await record_change(_history(repository), resource, old, new, values)
    return new


async def deleted(repository: ResourceRepository, resource: str, old: RowMapping) -> RowMapping:
    now = datetime.now(UTC)
    row = await repository.update_row(old["id"], repository.deletion_values(now))
    await _history(repository).record(resource, row["id"], "delete", now)
    return row


async def restored(repository: ResourceRepository, resource: str, old: RowMapping) -> RowMapping:
    now = datetime.now(UTC)
    row = await repository.update_row(old["id"], repository.restoration_values(now))
    await _history(repository).record(resource, row["id"], "restore", now)
    return row

"""What a resource that belongs to an account shares (activities, contacts): it is written only
against a live account of the organization, deleted with it by a cascade and restored with it,
and every change locks the account before the row."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import RowMapping
from sqlalchemy.exc import IntegrityError

from touchpoint.core.references import Reference
from touchpoint.core.resources import ResourceRepository
from touchpoint.core.tenancy import TenantScope
from touchpoint.models import accounts

# A row moved to another account between locking the accounts and the row is locked again.
_LOCKING_ROUNDS = 3
# The resource name of an account, in its 404 and 403 answers.
ACCOUNT = "account"


def live_account_id(scope: TenantScope, account_id: int, updates_account: bool) -> Any:
    """A scalar subquery: the id if it names a live account of the organization, else NULL.

    Writing it into a NOT NULL account_id column turns a missing, deleted or foreign account
    into a constraint violation, so the check costs no round trip of its own. The lock makes
    a concurrent delete of the account wait for this write, or this write see the delete.
    """
    return (
        scope.select(accounts, accounts.c.id)
        .where(accounts.c.id == account_id, accounts.c.deleted_at.is_(None))
        .with_for_update(read=not updates_account, key_share=updates_account)
        .scalar_subquery()
    )


@dataclass(frozen=True, slots=True)
class AccountOwnedRepository(ResourceRepository):
    """A resource that belongs to an account: written only against a live one, deleted with it
    by a cascade and restored with it."""

    # How a write locks the accounts it names: FOR SHARE, or FOR NO KEY UPDATE when the write
    # then updates the account itself (two writers sharing it could never upgrade: deadlock).
    updates_account: ClassVar[bool] = False

    def prepared(self, values: dict[str, Any]) -> dict[str, Any]:
        if "account_id" in values:
            live = live_account_id(self.scope, values["account_id"], self.updates_account)
            return {**values, "account_id": live}
        return values

    async def lock(
        self, reference: Reference, *, include_deleted: bool = False, naming_account: int | None
    ) -> RowMapping | None:
        """Locks the accounts first (the row's own and the one a change names, in id order),
        then the row: the order every write path takes, since an account's cascade locks the
        account and then its rows. The other order deadlocks with a concurrent cascade."""
        if self.connection.dialect.name == "sqlite":
            # SQLite's writers are serial: a write transaction holds the whole database.
            return await self.find(reference, include_deleted=include_deleted, for_update=True)
        row = None
        for _ in range(_LOCKING_ROUNDS):
            locked = await self._lock_accounts(reference, naming_account)
            row = await self.find(reference, include_deleted=include_deleted, for_update=True)
            if row is None or row["account_id"] in locked:
                return row
        # Moved to yet another account between the two statements every round: the row is
        # locked now; a deadlock this leaves possible is retried by the service.
        return row

    async def _lock_accounts(self, reference: Reference, naming_account: int | None) -> set[int]:
        table = self.table
        own_account = (
            self.scope.select(table, table.c.account_id)
            .where(reference.matches(table))
            .scalar_subquery()
        )
        named = [own_account] if naming_account is None else [own_account, naming_account]
        statement = (
            self.scope.select(accounts, accounts.c.id)
            .where(accounts.c.id.in_(named))
            .order_by(accounts.c.id)
            .with_for_update(read=not self.updates_account, key_share=self.updates_account)
        )
        return set((await self.connection.execute(statement)).scalars().all())

    async def account_id(self, reference: Reference, include_deleted: bool) -> int | None:
        """The id of the organization's account a reference names (deleted ones only when
        asked for), or None: for the rows of one account, read by its id or uid."""
        statement = self.scope.select(accounts, accounts.c.id).where(reference.matches(accounts))
        if not include_deleted:
            statement = statement.where(accounts.c.deleted_at.is_(None))
        found: int | None = (await self.connection.execute(statement)).scalar_one_or_none()
        return found

    async def account_is_live(self, account_id: int) -> bool:
        statement = self.scope.select(accounts, accounts.c.id).where(
            accounts.c.id == account_id, accounts.c.deleted_at.is_(None)
        )
        return (await self.connection.execute(statement)).first() is not None

    async def delete_for_account(self, account_id: int, now: datetime) -> list[int]:
        """Soft-deletes the account's live rows; their ids, for the history."""
        table = self.table
        statement = self.scope.update(table).where(
            table.c.account_id == account_id, table.c.deleted_at.is_(None)
        )
        statement = statement.values(self.deletion_values(now)).returning(table.c.id)
        return list((await self.connection.execute(statement)).scalars().all())

    async def restore_for_account(
        self, account_id: int, deleted_at: datetime, now: datetime
    ) -> list[int]:
        """Restores the rows deleted with the account (at the same instant); their ids."""
        table = self.table
        statement = self.scope.update(table).where(
            table.c.account_id == account_id, table.c.deleted_at == deleted_at
        )
        statement = statement.values(self.restoration_values(now)).returning(table.c.id)
        try:
            result = await self.connection.execute(statement)
        except IntegrityError as error:
            # A restored contact's email may have been taken meanwhile: 409, nothing restored.
            raise self.refusal(error) from error
        return list(result.scalars().all())

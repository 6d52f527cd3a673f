"""All SQL for the organization's memberships and invitations, every statement from the tenant
scope."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, RowMapping, Select, and_, or_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from touchpoint.core.paging import Position, SortOrder, page_query
from touchpoint.core.tenancy import Role, TenantScope
from touchpoint.models import invitations, memberships, users

COLUMNS = (
    memberships.c.user_id,
    users.c.email,
    users.c.name,
    memberships.c.role,
    memberships.c.created_at,
)
OLDEST_FIRST = SortOrder("createdAt", memberships.c.created_at, memberships.c.user_id, False)


@dataclass(frozen=True, slots=True)
class MemberRepository:
    connection: AsyncConnection
    scope: TenantScope

    def _reading(self) -> Select[Any]:
        return self.scope.select(memberships, *COLUMNS).join(
            users, users.c.id == memberships.c.user_id
        )

    async def list_page(self, after: Position | None, limit: int) -> Sequence[RowMapping]:
        statement = page_query(self._reading(), OLDEST_FIRST, after, limit)
        rows: Sequence[RowMapping] = (await self.connection.execute(statement)).mappings().all()
        return rows

    async def find(self, user_id: int) -> RowMapping | None:
        statement = self._reading().where(memberships.c.user_id == user_id)
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def lock_owners_and(self, user_id: int) -> dict[int, str]:
        """Locks the owners' memberships and this user's, in user id order, until the unit of
        work ends; their roles. One order for every change, so two changes to owners cannot
        deadlock, and neither can believe the other one leaves an owner behind."""
        statement = (
            self.scope.select(memberships, memberships.c.user_id, memberships.c.role)
            .where(or_(memberships.c.role == Role.OWNER, memberships.c.user_id == user_id))
            .order_by(memberships.c.user_id)
            .with_for_update()
        )
        return {row[0]: row[1] for row in await self.connection.execute(statement)}

    async def existing_user_ids(self, user_ids: Sequence[int]) -> set[int]:
        statement = self.scope.select(memberships, memberships.c.user_id).where(
            memberships.c.user_id.in_(user_ids)
        )
        return set((await self.connection.execute(statement)).scalars().all())

    async def names_and_emails(self, user_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Current name and email of these users, members of the organization or not."""
        statement = self.scope.select(memberships, users.c.id, users.c.name, users.c.email)
        statement = statement.join(users, users.c.id == memberships.c.user_id).where(
            users.c.id.in_(user_ids)
        )
        return {row[0]: (row[1], row[2]) for row in await self.connection.execute(statement)}

    async def change_role(self, user_id: int, role: Role) -> None:
        statement = self.scope.update(memberships).where(memberships.c.user_id == user_id)
        await self.connection.execute(statement.values(role=role.value))

    async def remove(self, user_id: int) -> None:
        statement = self.scope.delete(memberships).where(memberships.c.user_id == user_id)
        await self.connection.execute(statement)


INVITATION_COLUMNS = (
    invitations.c.id,
    invitations.c.email,
    invitations.c.role,
    invitations.c.created_at,
    invitations.c.expires_at,
    invitations.c.accepted_at,
    invitations.c.revoked_at,
)
INVITED_FIRST = SortOrder("createdAt", invitations.c.created_at, invitations.c.id, False)


def _unused() -> ColumnElement[bool]:
    return and_(invitations.c.accepted_at.is_(None), invitations.c.revoked_at.is_(None))


def _open(now: datetime) -> ColumnElement[bool]:
    """Neither accepted nor revoked, and not expired."""
    return and_(_unused(), invitations.c.expires_at > now)


@dataclass(frozen=True, slots=True)
class InvitationRepository:
    connection: AsyncConnection
    scope: TenantScope

    async def is_member(self, email: str) -> bool:
        statement = (
            self.scope.select(memberships, memberships.c.user_id)
            .join(users, users.c.id == memberships.c.user_id)
            .where(users.c.email == email)
        )
        return (await self.connection.execute(statement)).first() is not None

    async def delete_expired(self, email: str, now: datetime) -> None:
        """Unused invitations of this email that have expired: they can never be used."""
        statement = self.scope.delete(invitations).where(
            invitations.c.email == email, _unused(), invitations.c.expires_at <= now
        )
        await self.connection.execute(statement)

    async def insert(self, values: dict[str, Any]) -> RowMapping | None:
        """The new invitation, or None when the email has an unused one already."""
        statement = self.scope.insert(invitations, values).returning(*INVITATION_COLUMNS)
        try:
            async with self.connection.begin_nested():
                result = await self.connection.execute(statement)
        except IntegrityError:
            return None
        row: RowMapping = result.mappings().one()
        return row

    async def list_open(
        self, now: datetime, after: Position | None, limit: int
    ) -> Sequence[RowMapping]:
        statement = self.scope.select(invitations, *INVITATION_COLUMNS).where(_open(now))
        result = await self.connection.execute(page_query(statement, INVITED_FIRST, after, limit))
        rows: Sequence[RowMapping] = result.mappings().all()
        return rows

    async def find_open(self, invitation_id: int, now: datetime) -> RowMapping | None:
        statement = self.scope.select(invitations, *INVITATION_COLUMNS).where(
            invitations.c.id == invitation_id, _open(now)
        )
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def find(self, invitation_id: int, *, for_update: bool = False) -> RowMapping | None:
        statement = self.scope.select(invitations, *INVITATION_COLUMNS).where(
            invitations.c.id == invitation_id
        )
        if for_update:
            statement = statement.with_for_update()
        row: RowMapping | None = (await self.connection.execute(statement)).mappings().first()
        return row

    async def revoke(self, invitation_id: int, now: datetime) -> None:
        statement = self.scope.update(invitations).where(
            invitations.c.id == invitation_id, _unused()
        )
        await self.connection.execute(statement.values(revoked_at=now))

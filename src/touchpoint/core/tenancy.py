"""Tenancy by construction: every tenant statement is built here, from the request's principal."""

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Delete,
    Insert,
    Select,
    Table,
    Text,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from touchpoint.core.privacy import may_be_private, visible_to


class Role(StrEnum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"
    VIEWER = "VIEWER"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting, in which organization, through which API key."""

    organization_id: int
    user_id: int
    user_name: str
    user_email: str
    role: Role
    api_key_id: int

    @property
    def manages_organization(self) -> bool:
        return self.role in (Role.OWNER, Role.ADMIN)

    @property
    def may_write(self) -> bool:
        return self.role is not Role.VIEWER


# The principal's values in a statement built once for every principal (core/prepared.py):
# TenantScope.parameters gives them at each execution.
_ORGANIZATION = bindparam("scope_organization_id", type_=BigInteger)
_USER = bindparam("scope_user_id", type_=BigInteger)
_USER_KEY = bindparam("scope_user_key", type_=Text)  # the user id as participants hold it


@dataclass(frozen=True, slots=True)
class TenantScope:
    """Builds statements that can only see the principal's organization."""

    principal: Principal
    # Whether the principal's values are bind parameters rather than values (see _ORGANIZATION).
    parameterized: bool = False

    def for_every_principal(self) -> "TenantScope":
        """This scope building statements that serve every principal of the same kind (what
        `shape` tells apart), given `parameters` when executed."""
        return replace(self, parameterized=True)

    @property
    def parameters(self) -> dict[str, Any]:
        principal = self.principal
        return {
            "scope_organization_id": principal.organization_id,
            "scope_user_id": principal.user_id,
            "scope_user_key": str(principal.user_id),
        }

    @property
    def shape(self) -> bool:
        """What, of the principal, changes the statements built for them: whether they see
        private rows."""
        return self.principal.manages_organization

    def _owned(self, table: Table) -> ColumnElement[bool]:
        if self.parameterized:
            return table.c.organization_id == _ORGANIZATION
        return table.c.organization_id == self.principal.organization_id

    def select(self, table: Table, *columns: Any) -> Select[Any]:
        """Rows of the organization the principal may see: private ones only where it may."""
        statement = self.select_regardless_of_privacy(table, *columns)
        if may_be_private(table) and not self.principal.manages_organization:
            user_id = self.principal.user_id
            if self.parameterized:
                statement = statement.where(visible_to(table, _USER, _USER_KEY))
            else:
                statement = statement.where(visible_to(table, user_id, str(user_id)))
        return statement

    def select_regardless_of_privacy(self, table: Table, *columns: Any) -> Select[Any]:
        """Every row of the organization, private ones included: for what the service checks
        or keeps up to date on its own behalf (whether an account still has activities, its
        engagement figures), never for an answer that shows rows."""
        return select(*(columns or (table,))).select_from(table).where(self._owned(table))

    def update(self, table: Table) -> Update:
        return update(table).where(self._owned(table))

    def delete(self, table: Table) -> Delete:
        return delete(table).where(self._owned(table))

    def insert(self, table: Table, values: dict[str, Any] | None = None) -> Insert:
        """Executed with a list of rows, it inserts each of them, all in the organization."""
        organization = _ORGANIZATION if self.parameterized else self.principal.organization_id
        return insert(table).values(organization_id=organization, **values or {})

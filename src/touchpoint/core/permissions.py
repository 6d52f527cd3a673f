"""Role rules shared by every resource (contract section 4: Roles)."""

from touchpoint.core.errors import Forbidden, NotFound
from touchpoint.core.tenancy import Principal


def require_writer(principal: Principal) -> None:
    if not principal.may_write:
        raise Forbidden("A VIEWER may read but not change anything.")


def require_manager(principal: Principal, action: str) -> None:
    if not principal.manages_organization:
        raise Forbidden(f"Only an ADMIN or OWNER may {action}.")


def creator_limit(principal: Principal) -> int | None:
    """A MEMBER changes only what it created; None means no such limit."""
    require_writer(principal)
    return None if principal.manages_organization else principal.user_id


def explain_refused_change(exists: bool, resource: str) -> Exception:
    """Why a scoped change touched no row: the row is missing, or it belongs to someone else."""
    if not exists:
        return NotFound(f"The {resource} does not exist.")
    return Forbidden(f"A MEMBER may change only the {resource}s it created.")

"""Role rules shared by every resource: VIEWER reads, MEMBER writes its own, managers all."""

from touchpoint.core.errors import Forbidden
from touchpoint.core.tenancy import Principal


def require_writer(principal: Principal) -> None:
    if not principal.may_write:
        raise Forbidden("A VIEWER may read but not change anything.")


def require_manager(principal: Principal, action: str) -> None:
    if not principal.manages_organization:
        raise Forbidden(f"Only an ADMIN or OWNER may {action}.")

"""Every kind of action, with the status each role must get (contract section 4, the issue's
member and API key rules). `prepare` builds what the action needs and returns the request."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tests.api_keys.helpers import create_key
from tests.factories import (
    account_body,
    activity_body,
    contact_body,
    create_account,
    create_activity,
    create_contact,
    unique,
)

ROLES = ("OWNER", "ADMIN", "MEMBER", "VIEWER")
KINDS = ("accounts", "activities", "contacts")
Request = tuple[str, str, Any]  # method, path, JSON body (None: none)


@dataclass
class Context:
    client: Any
    tenant: Any
    role: str
    actor: dict[str, str]

    async def someone_else(self) -> dict[str, str]:
        """A MEMBER other than the actor: the creator of 'another's' resources."""
        return await self.tenant.member("MEMBER")

    async def own(self) -> dict[str, str]:
        """The actor, when it may create; a VIEWER's 'own' is made by a MEMBER instead."""
        return self.actor if self.role != "VIEWER" else await self.someone_else()


@dataclass(frozen=True)
class Action:
    name: str
    prepare: Callable[[Context], Awaitable[Request]]
    statuses: tuple[int, int, int, int]  # for OWNER, ADMIN, MEMBER, VIEWER
    writes: bool = True

    def status_for(self, role: str) -> int:
        return self.statuses[ROLES.index(role)]


ALL_OK = (200, 200, 200, 200)
MANAGERS = (200, 200, 403, 403)


async def make(ctx: Context, kind: str, creator: dict[str, str]) -> dict[str, Any]:
    """A live resource of `kind` created by `creator` (its account by the organization's owner)."""
    if kind == "accounts":
        return await create_account(ctx.client, creator)
    account = await create_account(ctx.client, ctx.tenant.headers)
    if kind == "activities":
        return await create_activity(ctx.client, creator, account["id"])
    return await create_contact(ctx.client, creator, account["id"])


async def make_deleted(ctx: Context, kind: str, creator: dict[str, str]) -> dict[str, Any]:
    row = await make(ctx, kind, creator)
    response = await ctx.client.delete(f"/v1/{kind}/{row['id']}", headers=ctx.tenant.headers)
    assert response.status_code == 204, response.text
    return row


def new_body(kind: str, account_id: str) -> dict[str, Any]:
    if kind == "accounts":
        return account_body()
    if kind == "activities":
        return activity_body(account_id)
    return contact_body(account_id)


def replacement(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    if kind == "accounts":
        return account_body(name="Replaced", primaryDomain=row["primaryDomain"])
    if kind == "activities":
        return activity_body(row["accountId"], title="Replaced")
    return contact_body(row["accountId"], firstName="Replaced", email=row["email"])


PATCHES = {"accounts": {"industry": "Changed"}, "activities": {"title": "Changed"}}


def patch_of(kind: str) -> dict[str, Any]:
    return PATCHES.get(kind, {"title": "Changed"})


def resource_actions(kind: str) -> list[Action]:
    base = f"/v1/{kind}"

    async def create(ctx: Context) -> Request:
        account = await create_account(ctx.client, ctx.tenant.headers)
        return "POST", base, new_body(kind, account["id"])

    async def read(ctx: Context) -> Request:
        return "GET", f"{base}/{(await make(ctx, kind, ctx.tenant.headers))['id']}", None

    async def read_list(ctx: Context) -> Request:
        await make(ctx, kind, ctx.tenant.headers)
        return "GET", base, None

    async def list_deleted(ctx: Context) -> Request:
        await make_deleted(ctx, kind, ctx.tenant.headers)
        return "GET", f"{base}?includeDeleted=true", None

    async def read_deleted(ctx: Context) -> Request:
        row = await make_deleted(ctx, kind, ctx.tenant.headers)
        return "GET", f"{base}/{row['id']}?includeDeleted=true", None

    async def patch_others(ctx: Context) -> Request:
        row = await make(ctx, kind, await ctx.someone_else())
        return "PATCH", f"{base}/{row['id']}", patch_of(kind)

    async def put_others(ctx: Context) -> Request:
        row = await make(ctx, kind, await ctx.someone_else())
        return "PUT", f"{base}/{row['id']}", replacement(kind, row)

    async def delete_others(ctx: Context) -> Request:
        return "DELETE", f"{base}/{(await make(ctx, kind, await ctx.someone_else()))['id']}", None

    async def restore_others(ctx: Context) -> Request:
        row = await make_deleted(ctx, kind, await ctx.someone_else())
        return "POST", f"{base}/{row['id']}/restore", None

    async def patch_own(ctx: Context) -> Request:
        row = await make(ctx, kind, await ctx.own())
        return "PATCH", f"{base}/{row['id']}", patch_of(kind)

    async def delete_own(ctx: Context) -> Request:
        return "DELETE", f"{base}/{(await make(ctx, kind, await ctx.own()))['id']}", None

    async def restore_own(ctx: Context) -> Request:
        creator = await ctx.own()
        row = await make(ctx, kind, creator)
        path = f"{base}/{row['id']}"
        response = await ctx.client.delete(path, headers=creator)
        assert response.status_code == 204, response.text
        return "POST", f"{path}/restore", None

    async def history(ctx: Context) -> Request:
        return "GET", f"{base}/{(await make(ctx, kind, ctx.tenant.headers))['id']}/history", None

    async def deleted_history(ctx: Context) -> Request:
        row = await make_deleted(ctx, kind, ctx.tenant.headers)
        return "GET", f"{base}/{row['id']}/history", None

    return [
        Action(f"{kind}-create", create, (201, 201, 201, 403)),
        Action(f"{kind}-read", read, ALL_OK, writes=False),
        Action(f"{kind}-list", read_list, ALL_OK, writes=False),
        Action(f"{kind}-list-deleted", list_deleted, MANAGERS, writes=False),
        Action(f"{kind}-read-deleted", read_deleted, MANAGERS, writes=False),
        Action(f"{kind}-patch-anothers", patch_others, MANAGERS),
        Action(f"{kind}-put-anothers", put_others, MANAGERS),
        Action(f"{kind}-delete-anothers", delete_others, (204, 204, 403, 403)),
        Action(f"{kind}-restore-anothers", restore_others, MANAGERS),
        Action(f"{kind}-patch-own", patch_own, (200, 200, 200, 403)),
        Action(f"{kind}-delete-own", delete_own, (204, 204, 204, 403)),
        Action(f"{kind}-restore-own", restore_own, (200, 200, 200, 403)),
        Action(f"{kind}-history", history, ALL_OK, writes=False),
        Action(f"{kind}-history-of-deleted", deleted_history, (200, 200, 404, 404), writes=False),
    ]


async def cascade_own_account(ctx: Context) -> Request:
    """Even its own account: a cascade deletes what others may have made, so managers only."""
    creator = await ctx.own()
    account = await create_account(ctx.client, creator)
    await create_activity(ctx.client, creator, account["id"])
    return "DELETE", f"/v1/accounts/{account['id']}?cascade=true", None


def _email() -> str:
    return unique("added") + "@example.com"


async def list_members(ctx: Context) -> Request:
    return "GET", "/v1/members", None


async def add_member(ctx: Context) -> Request:
    return "POST", "/v1/members", {"email": _email(), "role": "MEMBER"}


async def add_owner(ctx: Context) -> Request:
    return "POST", "/v1/members", {"email": _email(), "role": "OWNER"}


async def list_invitations(ctx: Context) -> Request:
    return "GET", "/v1/members/invitations", None


async def revoke_invitation(ctx: Context) -> Request:
    headers = ctx.tenant.headers
    body = {"email": _email(), "role": "MEMBER"}
    response = await ctx.client.post("/v1/members", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return "DELETE", f"/v1/members/invitations/{response.json()['id']}", None


async def demote_member(ctx: Context) -> Request:
    target = await ctx.tenant.member("MEMBER")
    return "PATCH", f"/v1/members/{target['X-User-Id']}", {"role": "VIEWER"}


async def promote_to_owner(ctx: Context) -> Request:
    target = await ctx.tenant.member("MEMBER")
    return "PATCH", f"/v1/members/{target['X-User-Id']}", {"role": "OWNER"}


async def demote_an_owner(ctx: Context) -> Request:
    target = await ctx.tenant.member("OWNER")
    return "PATCH", f"/v1/members/{target['X-User-Id']}", {"role": "ADMIN"}


async def remove_member(ctx: Context) -> Request:
    target = await ctx.tenant.member("VIEWER")
    return "DELETE", f"/v1/members/{target['X-User-Id']}", None


async def remove_an_owner(ctx: Context) -> Request:
    target = await ctx.tenant.member("OWNER")
    return "DELETE", f"/v1/members/{target['X-User-Id']}", None


async def me(ctx: Context) -> Request:
    return "GET", "/v1/me", None


async def list_keys(ctx: Context) -> Request:
    return "GET", "/v1/api-keys", None


async def create_a_key(ctx: Context) -> Request:
    return "POST", "/v1/api-keys", {"name": "matrix"}


async def revoke_a_key(ctx: Context) -> Request:
    key = await create_key(ctx.client, ctx.tenant.headers)
    return "DELETE", f"/v1/api-keys/{key['id']}", None


ONLY_OWNER = (201, 403, 403, 403)
ACTIONS = [
    *(action for kind in KINDS for action in resource_actions(kind)),
    Action("accounts-delete-own-with-cascade", cascade_own_account, (204, 204, 403, 403)),
    Action("me", me, ALL_OK, writes=False),
    Action("members-list", list_members, ALL_OK, writes=False),
    Action("members-add", add_member, (201, 201, 403, 403)),
    Action("members-add-owner", add_owner, ONLY_OWNER),
    Action("members-list-invitations", list_invitations, MANAGERS, writes=False),
    Action("members-revoke-invitation", revoke_invitation, (204, 204, 403, 403)),
    Action("members-change-role", demote_member, MANAGERS),
    Action("members-promote-to-owner", promote_to_owner, (200, 403, 403, 403)),
    Action("members-demote-an-owner", demote_an_owner, (200, 403, 403, 403)),
    Action("members-remove", remove_member, (204, 204, 403, 403)),
    Action("members-remove-an-owner", remove_an_owner, (204, 403, 403, 403)),
    Action("api-keys-list", list_keys, MANAGERS, writes=False),
    Action("api-keys-create", create_a_key, (201, 201, 403, 403)),
    Action("api-keys-revoke", revoke_a_key, (204, 204, 403, 403)),
]

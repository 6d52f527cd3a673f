"""Roles enforced everywhere: each role, each kind of action, exactly the status the rules give,
and a refused request changes nothing (no row, no member, no invitation, no key,
no history entry)."""

from typing import Any

import pytest

from tests.api_keys.helpers import key_list
from tests.factories import assert_problem, list_all
from tests.history.helpers import history
from tests.members.helpers import member_list
from tests.roles.actions import ACTIONS, KINDS, ROLES, Action, Context


async def organization_state(client, tenant) -> dict[str, Any]:
    """Everything the organization holds, as its (never targeted) first owner sees it."""
    state: dict[str, Any] = {}
    for kind in KINDS:
        rows = await list_all(client, f"/v1/{kind}", tenant.headers, includeDeleted="true")
        state[kind] = rows
        state[f"{kind} history"] = {
            row["id"]: await history(client, tenant.headers, kind, row["id"]) for row in rows
        }
    state["members"] = await member_list(client, tenant.headers)
    state["invitations"] = await list_all(client, "/v1/members/invitations", tenant.headers)
    keys = await key_list(client, tenant.headers, includeRevoked="true")
    state["api keys"] = [{k: v for k, v in key.items() if k != "lastUsedAt"} for key in keys]
    return state


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.name)
class TestEveryRoleEveryAction:
    async def test_the_role_gets_its_status_and_only_allowed_writes_change_anything(
        self, client, tenant, action: Action, role
    ):
        actor = await tenant.member(role)
        method, path, body = await action.prepare(Context(client, tenant, role, actor))
        before = await organization_state(client, tenant)
        response = await client.request(method, path, json=body, headers=actor)
        expected = action.status_for(role)
        if expected >= 400:
            assert_problem(response, expected)
        else:
            assert response.status_code == expected, response.text
        after = await organization_state(client, tenant)
        if action.writes and expected < 400:
            assert after != before, "an allowed write changed nothing"
        else:
            assert after == before, "a read or a refused request changed something"

"""Every statement the service sends names the organization of each tenant table it touches, so
a database sharded by organization (Citus, docs/scaling.md) sends it to one shard.

The service is driven through every kind of action (each route, signing in, accepting an
invitation, the failure paths) while every statement it sends is recorded: on SQLite and on
PostgreSQL, where hot reads bypass SQLAlchemy for asyncpg and are recorded there. A tenant
table named in a statement (FROM, JOIN, UPDATE, INSERT INTO, DELETE FROM) must have its
organization_id in it: qualified by its name or alias, or among an INSERT's columns. Only the
statements that cannot, by nature, are allowed (`ALLOWED`), and the test checks it saw them.

A check of text, not a planner: it catches a statement that forgot the organization, which
is what a sharded database would send to every shard.
"""

import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Dialect

from tests.factories import (
    PASSWORD,
    create_account,
    create_activity,
    create_contact,
    new_tenant,
    unique,
)
from tests.members.helpers import accept, invite
from tests.roles.actions import ACTIONS, Context
from touchpoint.app import create_app
from touchpoint.auth import repository as identities
from touchpoint.core.settings import Settings
from touchpoint.models import metadata

TENANT_TABLES = frozenset(
    name for name, table in metadata.tables.items() if "organization_id" in table.c
)
_KEYWORDS = (
    "where|on|join|left|right|inner|outer|cross|full|set|values|group|order|limit|for|union"
    "|returning|having|offset|using|natural|lateral|as|select"
)
# A table after FROM, JOIN, UPDATE or INTO, and its alias (a keyword that follows is none).
_REFERENCE = re.compile(
    r"\b(?:from|join|update|into)\s+\"?(\w+)\"?"
    rf"(?:\s+(?:as\s+)?(?!(?:{_KEYWORDS})\b)\"?(\w+)\"?)?",
    re.IGNORECASE,
)
_INSERT = re.compile(r"\binsert\s+into\s+\"?(\w+)\"?\s*\(([^)]*)\)", re.IGNORECASE)


def _normalized(statement: str) -> str:
    return " ".join(statement.split())


def unnamed_organizations(statement: str) -> list[str]:
    """The tenant tables (by name or alias) a statement touches without naming their
    organization_id."""
    missing = []
    inserted = dict(_INSERT.findall(statement))
    for table, alias in _REFERENCE.findall(statement):
        if table not in TENANT_TABLES:
            continue
        name = alias or table
        if table in inserted and "organization_id" in inserted[table]:
            continue
        if not re.search(rf"\b{re.escape(name)}\"?\.\"?organization_id\b", statement):
            missing.append(name)
    return missing


def allowed(dialect: Dialect) -> dict[str, str]:
    """The statements that cannot name one organization, each for its reason."""
    return {
        _normalized(str(identities.UNREVOKED_KEY.compile(dialect=dialect))): (
            "authentication's failure path: whose is this key?"
        ),
        _normalized(str(identities.MEMBERSHIPS_OF.compile(dialect=dialect))): (
            "GET /v1/me: every organization of one user"
        ),
    }


class TestTheCheckItself:
    @pytest.mark.parametrize(
        ("statement", "missing"),
        [
            ("SELECT api_keys.id FROM api_keys WHERE api_keys.key_hash = $1", ["api_keys"]),
            (
                "SELECT a.id FROM activities JOIN accounts ON accounts.id = activities.account_id"
                " WHERE activities.organization_id = $1",
                ["accounts"],
            ),
            ("UPDATE invitations SET revoked_at = ? WHERE invitations.id = ?", ["invitations"]),
            ("DELETE FROM memberships WHERE memberships.user_id = ?", ["memberships"]),
            ("INSERT INTO change_history (id, action) VALUES (?, ?)", ["change_history"]),
            (
                "SELECT (SELECT a.name FROM accounts AS a WHERE a.id = activities.account_id)"
                " FROM activities WHERE activities.organization_id = ?",
                ["a"],
            ),
        ],
    )
    def test_it_finds_a_tenant_table_without_its_organization(self, statement, missing):
        assert unnamed_organizations(statement) == missing

    @pytest.mark.parametrize(
        "statement",
        [
            "SELECT users.id FROM users WHERE users.email = ?",
            "SELECT activities.id FROM activities JOIN accounts ON accounts.organization_id ="
            " activities.organization_id AND accounts.id = activities.account_id"
            " WHERE activities.organization_id = $1",
            "INSERT INTO api_keys (organization_id, name) VALUES (?, ?)",
            "SELECT (SELECT a.name FROM accounts AS a WHERE a.organization_id ="
            " activities.organization_id) FROM activities WHERE activities.organization_id = ?",
            "SELECT activities.id FROM activities WHERE activities.organization_id = ?"
            " FOR UPDATE OF activities",
        ],
    )
    def test_it_passes_statements_that_name_it(self, statement):
        assert unnamed_organizations(statement) == []


@pytest.fixture
async def recorded(service: Any) -> AsyncIterator[tuple[Any, list[str]]]:
    """An app of its own over the test database, recording every statement it sends."""
    app = create_app(Settings(database_url=service.database_url, database_pool_size=5))
    statements: list[str] = []
    engine = app.state.engine

    def before(_connection: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    if service.name == "postgresql":
        # Hot reads go straight to asyncpg (core/prepared.py): recorded by asyncpg itself.
        def connected(dbapi_connection: Any, _record: Any) -> None:
            driver = dbapi_connection.driver_connection
            driver.add_query_logger(lambda query: statements.append(query.query))

        event.listen(engine.sync_engine, "connect", connected)
    yield app, statements
    await app.state.failure_counter.close()
    app.state.password_hasher.close()
    await engine.dispose()


async def _drive(client: httpx.AsyncClient, app: Any) -> None:
    """Every kind of action, and what the role matrix leaves out."""
    tenant = await new_tenant(app)
    other = await new_tenant(app)
    for action in ACTIONS:
        for role in ("OWNER", "MEMBER"):
            actor = await tenant.member(role)
            method, path, body = await action.prepare(Context(client, tenant, role, actor))
            await client.request(method, path, json=body, headers=actor)
    headers = tenant.headers
    account = await create_account(client, headers)
    contact = await create_contact(client, headers, account["id"])
    member = await tenant.member("MEMBER")
    participants = [{"contactId": contact["id"]}, {"userId": member["X-User-Id"]}]
    activity = await create_activity(
        client,
        member,
        account["id"],
        title="Quarterly review",
        tags=["renewal"],
        participants=participants,
        visibility="PRIVATE",
    )
    await create_activity(client, headers, account["id"], tags=["renewal", "q3"])
    reads = [
        ("/v1/activities", {"q": "quarterly", "sort": "relevance"}),
        ("/v1/activities", {"tag": "renewal", "contactId": contact["id"], "ownerId": "me"}),
        ("/v1/activities/stats", {"groupBy": "tag,day,ownerId"}),
        ("/v1/activities/export", {"format": "csv"}),
        ("/v1/activities/export", {}),
        ("/v1/tags", {"prefix": "re"}),
        ("/v1/follow-ups", {"when": "overdue", "ownerId": "me"}),
        ("/v1/accounts", {"sort": "-lastActivityAt"}),
        (f"/v1/accounts/{account['id']}/activities", {}),
        (f"/v1/activities/{activity['uid']}", {}),
    ]
    for path, params in reads:
        for who in (headers, member):
            response = await client.get(path, params=params, headers=who)
            assert response.status_code == 200, (path, response.text)
    planned = {"activityTimestamp": "2026-03-09T09:00:00Z", "duration": 15, "location": "Phone"}
    complete = {"outcome": "done", "followUp": planned}
    response = await client.post(
        f"/v1/activities/{activity['id']}/complete", json=complete, headers=member
    )
    assert response.status_code == 200, response.text
    response = await client.delete(f"/v1/accounts/{account['id']}?cascade=true", headers=headers)
    assert response.status_code == 204, response.text
    response = await client.post(f"/v1/accounts/{account['id']}/restore", headers=headers)
    assert response.status_code == 200, response.text
    # Signing in, accepting an invitation, and the failure paths.
    key_only = {"X-API-Key": tenant.api_key, "X-Org-Id": tenant.org_id}
    for password in (PASSWORD, "wrong"):
        body = {"email": tenant.email, "password": password}
        await client.post("/v1/auth/token", json=body, headers=key_only)
    email = unique("joiner") + "@example.com"
    invited = await invite(client, headers, email)
    assert (await accept(client, headers, invited["invitationToken"], email)).status_code == 200
    theirs = await invite(client, other.headers, unique("elsewhere") + "@example.com")
    await accept(client, headers, theirs["invitationToken"], email)
    for wrong in (
        {**headers, "X-API-Key": other.api_key},
        {**headers, "X-API-Key": "tpk_unknown"},
        {**headers, "X-Org-Id": other.org_id},
    ):
        assert (await client.get("/v1/accounts", headers=wrong)).status_code == 401


class TestEveryStatementNamesTheOrganization:
    async def test_every_statement_of_every_action(self, recorded):
        app, statements = recorded
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as client:
            await _drive(client, app)
        exceptions = allowed(app.state.engine.dialect)
        seen = {_normalized(statement) for statement in statements}
        touching = [s for s in seen if any(t in TENANT_TABLES for t, _ in _REFERENCE.findall(s))]
        assert len(touching) > 50, "the actions sent fewer statements than expected"
        unnamed = {s: unnamed_organizations(s) for s in seen if s not in exceptions}
        assert {s: tables for s, tables in unnamed.items() if tables} == {}
        assert set(exceptions) <= seen, "the allowed statements were not exercised"

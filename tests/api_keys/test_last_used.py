"""lastUsedAt: set by a request with the key, written at most once a minute per key."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from tests.api_keys.helpers import create_key, key_list, parse, using_key
from tests.factories import assert_problem
from touchpoint.models import api_keys


async def last_used(client, tenant, key_id):
    (row,) = [row for row in await key_list(client, tenant.headers) if row["id"] == key_id]
    return row["lastUsedAt"]


async def set_last_used_back(service, key_id, by):
    """Setup only: move the stored lastUsedAt into the past, as if time had passed."""
    async with service.app.state.engine.begin() as connection:
        where = api_keys.c.id == int(key_id)
        stored = (await connection.execute(select(api_keys.c.last_used_at).where(where))).scalar()
        await connection.execute(update(api_keys).where(where).values(last_used_at=stored - by))


class TestLastUsedAt:
    async def test_a_new_key_has_not_been_used(self, client, tenant):
        key = await create_key(client, tenant.headers)
        assert key["lastUsedAt"] is None
        assert await last_used(client, tenant, key["id"]) is None

    async def test_the_first_request_sets_it(self, client, tenant):
        key = await create_key(client, tenant.headers)
        before = datetime.now(UTC) - timedelta(seconds=1)
        response = await client.get("/v1/accounts", headers=using_key(tenant.headers, key["key"]))
        assert response.status_code == 200
        used = await last_used(client, tenant, key["id"])
        assert used is not None
        assert before <= parse(used) <= datetime.now(UTC)

    async def test_requests_within_a_minute_leave_it_unchanged(self, client, tenant):
        key = await create_key(client, tenant.headers)
        headers = using_key(tenant.headers, key["key"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        first = await last_used(client, tenant, key["id"])
        for _ in range(3):
            assert (await client.get("/v1/accounts", headers=headers)).status_code == 200
        assert await last_used(client, tenant, key["id"]) == first

    async def test_a_request_over_a_minute_later_moves_it_forward(self, client, tenant, service):
        key = await create_key(client, tenant.headers)
        headers = using_key(tenant.headers, key["key"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        await set_last_used_back(service, key["id"], timedelta(minutes=2))
        stale = await last_used(client, tenant, key["id"])
        assert datetime.now(UTC) - parse(stale) >= timedelta(minutes=2)
        before = datetime.now(UTC) - timedelta(seconds=1)
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        moved = parse(await last_used(client, tenant, key["id"]))
        assert before <= moved <= datetime.now(UTC)

    async def test_a_use_under_a_minute_ago_is_not_rewritten(self, client, tenant, service):
        key = await create_key(client, tenant.headers)
        headers = using_key(tenant.headers, key["key"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        await set_last_used_back(service, key["id"], timedelta(seconds=50))
        stale = await last_used(client, tenant, key["id"])
        assert (await client.get("/v1/me", headers=headers)).status_code == 200
        assert await last_used(client, tenant, key["id"]) == stale

    async def test_a_refused_request_does_not_count_as_use(self, client, tenant, other_tenant):
        key = await create_key(client, tenant.headers)
        # A valid key and token, but the user is not a member of the key's organization: 403.
        stranger = {**other_tenant.headers, "X-API-Key": key["key"], "X-Org-Id": tenant.org_id}
        assert_problem(await client.get("/v1/me", headers=stranger), 403)
        assert await last_used(client, tenant, key["id"]) is None

    async def test_each_key_keeps_its_own_time(self, client, tenant):
        used = await create_key(client, tenant.headers, name="used")
        idle = await create_key(client, tenant.headers, name="idle")
        response = await client.get("/v1/me", headers=using_key(tenant.headers, used["key"]))
        assert response.status_code == 200
        assert await last_used(client, tenant, used["id"]) is not None
        assert await last_used(client, tenant, idle["id"]) is None

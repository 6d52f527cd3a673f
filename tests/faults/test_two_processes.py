"""Two `touchpoint serve` processes on one PostgreSQL database, as stateless workers behind a
load balancer (docs/scaling.md): a change made through one holds at once on the other. Nothing
about a key or a membership is kept in a process: every request reads them anew.

PostgreSQL only: the embedded SQLite default is one file for one machine, not a database that
several servers share.
"""

import httpx
import pytest

from tests.faults.harness import bootstrap, headers_of, http_client, serve

pytestmark = pytest.mark.faults

REVOKED = "The API key is invalid, revoked or expired."
NOT_A_MEMBER = "The user is not a member of this organization."


async def _status(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.get("/v1/accounts", params={"limit": 1}, headers=headers)


class TestTwoProcessesShareEverything:
    async def test_a_revoked_key_and_a_removed_member_hold_at_once_on_the_other_process(
        self, shared_postgres_database, workdir
    ):
        url = shared_postgres_database
        credentials = bootstrap(url)
        owner = headers_of(credentials)
        key_only = {"X-API-Key": credentials["apiKey"], "X-Org-Id": credentials["orgId"]}
        with serve(url, workdir, workers=1) as a, serve(url, workdir, workers=1) as b:
            assert a.process.pid != b.process.pid
            async with http_client(a.base_url) as on_a, http_client(b.base_url) as on_b:
                for client in (on_a, on_b):
                    assert (await _status(client, owner)).status_code == 200

                # A key made through A works on B; revoked through A, B refuses its next use.
                made = await on_a.post("/v1/api-keys", json={"name": "second"}, headers=owner)
                assert made.status_code == 201, made.text
                second = {**owner, "X-API-Key": made.json()["key"]}
                for client in (on_b, on_a, on_b):
                    assert (await _status(client, second)).status_code == 200
                revoked = await on_a.delete(f"/v1/api-keys/{made.json()['id']}", headers=owner)
                assert revoked.status_code == 204, revoked.text
                refused = await _status(on_b, second)
                assert refused.status_code == 401, refused.text
                assert refused.json()["detail"] == REVOKED
                assert (await _status(on_a, second)).status_code == 401
                assert (await _status(on_b, owner)).status_code == 200

                # A member invited through A joins through B; removed through A, B refuses
                # that member's very next request.
                email = "two-processes@example.com"
                invited = await on_a.post(
                    "/v1/members", json={"email": email, "role": "MEMBER"}, headers=owner
                )
                assert invited.status_code == 201, invited.text
                body = {
                    "invitationToken": invited.json()["invitationToken"],
                    "email": email,
                    "password": "a long enough password",
                }
                joined = await on_b.post("/v1/auth/accept-invitation", json=body, headers=key_only)
                assert joined.status_code == 200, joined.text
                member = {**key_only, "Authorization": f"Bearer {joined.json()['accessToken']}"}
                me = await on_a.get("/v1/me", headers=member)
                assert me.status_code == 200, me.text
                user_id = me.json()["userId"]
                for client in (on_b, on_a, on_b):
                    assert (await _status(client, member)).status_code == 200
                removed = await on_a.delete(f"/v1/members/{user_id}", headers=owner)
                assert removed.status_code == 204, removed.text
                forbidden = await _status(on_b, member)
                assert forbidden.status_code == 403, forbidden.text
                assert forbidden.json()["detail"] == NOT_A_MEMBER
                assert (await _status(on_a, member)).status_code == 403
                assert (await _status(on_b, owner)).status_code == 200
            for server in (a, b):
                assert server.process.poll() is None, server.log()

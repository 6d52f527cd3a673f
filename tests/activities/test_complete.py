"""POST /v1/activities/{id}/complete: the outcome and the follow-up, in one transaction."""

import pytest

from tests.activities.helpers import ACTIVITIES, read, stored
from tests.factories import assert_problem, create_account, create_activity


async def pending(client, tenant, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_activity(client, tenant.headers, account["id"], **overrides)


def complete_path(activity):
    return f"{ACTIVITIES}/{activity['id']}/complete"


FOLLOW_UP = {"activityTimestamp": "2026-03-09T09:00:00Z", "duration": 15, "location": "Phone"}


class TestRefused:
    @pytest.mark.parametrize("status", ["COMPLETED", "CANCELLED"])
    async def test_only_a_pending_activity_can_be_completed(self, client, tenant, status):
        activity = await pending(client, tenant, status=status)
        response = await client.post(complete_path(activity), headers=tenant.headers)
        assert_problem(response, 409)
        assert await read(client, tenant.headers, activity["id"]) == activity

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"outcome": "x" * 256}, "outcome"),
            ({"followUp": {**FOLLOW_UP, "accountId": "1"}}, "followUp.accountId"),
            ({"followUp": {**FOLLOW_UP, "status": "COMPLETED"}}, "followUp"),
            ({"followUp": {"duration": 15, "location": "Phone"}}, "followUp.activityTimestamp"),
            ({"followUp": {**FOLLOW_UP, "ownerId": "99999999"}}, "followUp.ownerId"),
            ({"unknown": 1}, "unknown"),
        ],
    )
    async def test_a_bad_body_changes_nothing(self, client, tenant, body, field):
        activity = await pending(client, tenant)
        response = await client.post(complete_path(activity), json=body, headers=tenant.headers)
        problem = assert_problem(response, 422)
        assert any(error["field"].startswith(field) for error in problem["errors"]), problem
        assert await stored(client, tenant) == [activity]

    async def test_another_organizations_activity_is_not_found(self, client, tenant, other_tenant):
        theirs = await pending(client, other_tenant)
        assert_problem(await client.post(complete_path(theirs), headers=tenant.headers), 404)
        assert await read(client, other_tenant.headers, theirs["id"]) == theirs

    async def test_a_viewer_cannot_and_a_member_only_its_own(self, client, tenant):
        activity = await pending(client, tenant)
        viewer = await tenant.member("VIEWER")
        member = await tenant.member("MEMBER")
        assert_problem(await client.post(complete_path(activity), headers=viewer), 403)
        assert_problem(await client.post(complete_path(activity), headers=member), 403)
        assert await read(client, tenant.headers, activity["id"]) == activity


class TestCompleted:
    async def test_without_a_body_it_is_completed(self, client, tenant):
        activity = await pending(client, tenant, outcome="kept")
        response = await client.post(complete_path(activity), headers=tenant.headers)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["followUp"] is None
        done = answer["activity"]
        assert done["status"] == "COMPLETED"
        assert done["outcome"] == "kept"
        assert done["completedAt"] is not None
        assert await read(client, tenant.headers, activity["id"]) == done

    async def test_with_an_outcome_and_a_follow_up(self, client, tenant):
        activity = await pending(client, tenant)
        body = {"outcome": "demo booked", "followUp": {**FOLLOW_UP, "type": "MEETING"}}
        response = await client.post(complete_path(activity), json=body, headers=tenant.headers)
        assert response.status_code == 200, response.text
        done, planned = response.json()["activity"], response.json()["followUp"]
        assert done["outcome"] == "demo booked"
        assert planned["status"] == "PENDING"
        assert planned["type"] == "MEETING"
        assert planned["accountId"] == activity["accountId"]
        assert planned["followUpOfId"] == activity["id"]
        assert planned["completedAt"] is None
        assert await read(client, tenant.headers, planned["id"]) == planned
        listed = await client.get(
            ACTIVITIES, params={"followUpOfId": activity["id"]}, headers=tenant.headers
        )
        assert [row["id"] for row in listed.json()["data"]] == [planned["id"]]

    async def test_the_owner_member_completes_it(self, client, tenant):
        member = await tenant.member("MEMBER")
        activity = await pending(client, tenant, ownerId=member["X-User-Id"])
        response = await client.post(complete_path(activity), json={}, headers=member)
        assert response.status_code == 200, response.text
        assert response.json()["activity"]["status"] == "COMPLETED"

    async def test_the_history_records_the_completion(self, client, tenant):
        activity = await pending(client, tenant)
        await client.post(complete_path(activity), json={"outcome": "ok"}, headers=tenant.headers)
        history = await client.get(f"{ACTIVITIES}/{activity['id']}/history", headers=tenant.headers)
        latest = history.json()["data"][0]
        assert latest["action"] == "update"
        assert latest["changes"]["status"] == {"old": "PENDING", "new": "COMPLETED"}
        assert latest["changes"]["outcome"] == {"old": None, "new": "ok"}

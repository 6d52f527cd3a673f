"""Concurrent changes to owners: one lock order, so no deadlock, and an owner always remains.

Each change locks every owner's membership and its target's, in user id order, so two owners
demoting or removing each other at once cannot deadlock, and cannot both succeed.
"""

import asyncio

from tests.factories import new_tenant
from tests.members.helpers import MEMBERS, roles

ROUNDS = 20


async def demote(client, headers, user_id):
    return await client.patch(f"{MEMBERS}/{user_id}", json={"role": "ADMIN"}, headers=headers)


async def remove(client, headers, user_id):
    return await client.delete(f"{MEMBERS}/{user_id}", headers=headers)


class TestOwnersChangingEachOtherAtOnce:
    async def test_two_owners_demoting_each_other_leave_exactly_one_owner(self, client, tenant):
        for _ in range(ROUNDS):
            second = await tenant.member("OWNER")
            first_answer, second_answer = await asyncio.gather(
                demote(client, tenant.headers, second["X-User-Id"]),
                demote(client, second, tenant.user_id),
            )
            # The loser finds itself demoted (403) or the other the last owner (409).
            statuses = sorted([first_answer.status_code, second_answer.status_code])
            assert statuses in ([200, 403], [200, 409]), (first_answer.text, second_answer.text)
            owners = [
                user
                for user, role in (await roles(client, tenant.headers)).items()
                if role == "OWNER"
            ]
            assert len(owners) == 1
            # Whoever is still OWNER makes the other one OWNER again for the next round.
            if owners == [second["X-User-Id"]]:
                response = await client.patch(
                    f"{MEMBERS}/{tenant.user_id}", json={"role": "OWNER"}, headers=second
                )
                assert response.status_code == 200
            response = await remove(client, tenant.headers, second["X-User-Id"])
            assert response.status_code == 204, response.text

    async def test_owners_removing_and_demoting_each_other_in_a_crowd_keep_one_owner(
        self, client, service
    ):
        for _ in range(ROUNDS // 2):
            organization = await new_tenant(service.app)
            observer = await organization.member("VIEWER")
            owners = [organization.headers] + [await organization.member("OWNER") for _ in range(3)]
            ids = [organization.user_id] + [headers["X-User-Id"] for headers in owners[1:]]
            # Each owner demotes or removes the next one, all at once.
            answers = await asyncio.gather(
                *(
                    (remove if index % 2 else demote)(client, headers, ids[(index + 1) % len(ids)])
                    for index, headers in enumerate(owners)
                )
            )
            assert {answer.status_code for answer in answers} <= {200, 204, 403, 409}
            left = await roles(client, observer)
            assert [user for user, role in left.items() if role == "OWNER"] != []

"""PRIVATE activities exist only for their creator, owner, member participants, ADMIN and OWNER.

For anyone else every verb is a 404 and every read path leaves them out. The walk over every
GET route of the OpenAPI document keeps that true for read paths added later.
"""

import re

import pytest

from tests.activities.helpers import ACTIVITIES, read
from tests.factories import activity_body, assert_problem, create_account, create_activity

SECRET = "zanzibar-quarterly-secret"


async def private_setup(client, tenant):
    """A private activity created by a MEMBER, owned by another, with a VIEWER participant."""
    creator = await tenant.member("MEMBER")
    owner = await tenant.member("MEMBER")
    participant = await tenant.member("VIEWER")
    account = await create_account(client, tenant.headers)
    activity = await create_activity(
        client,
        creator,
        account["id"],
        visibility="PRIVATE",
        title=SECRET,
        tags=[SECRET],
        ownerId=owner["X-User-Id"],
        participants=[{"userId": participant["X-User-Id"]}],
    )
    return activity, account, {"creator": creator, "owner": owner, "participant": participant}


class TestWhoSeesIt:
    @pytest.mark.parametrize("who", ["creator", "owner", "participant", "ADMIN", "OWNER"])
    async def test_insiders_read_it(self, client, tenant, who):
        activity, _, people = await private_setup(client, tenant)
        headers = people.get(who) or (
            tenant.headers if who == "OWNER" else await tenant.member(who)
        )
        assert await read(client, headers, activity["id"]) == activity
        listed = await client.get(ACTIVITIES, headers=headers)
        assert activity["id"] in [row["id"] for row in listed.json()["data"]]

    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_outsiders_get_a_404_on_every_verb(self, client, tenant, role):
        activity, account, _ = await private_setup(client, tenant)
        outsider = await tenant.member(role)
        path = f"{ACTIVITIES}/{activity['id']}"
        for method, target, body in [
            ("GET", path, None),
            ("GET", f"{ACTIVITIES}/{activity['uid']}", None),
            ("GET", f"{path}/history", None),
            ("PATCH", path, {"title": "mine"}),
            ("PUT", path, activity_body(account["id"])),
            ("DELETE", path, None),
            ("POST", f"{path}/restore", None),
            ("POST", f"{path}/complete", None),
        ]:
            response = await client.request(method, target, json=body, headers=outsider)
            if role == "VIEWER" and method not in ("GET",):
                assert response.status_code in (403, 404), (method, target)
            else:
                assert_problem(response, 404)
        assert await read(client, tenant.headers, activity["id"]) == activity

    async def test_another_organization_finds_nothing(self, client, tenant, other_tenant):
        activity, _, _ = await private_setup(client, tenant)
        response = await client.get(f"{ACTIVITIES}/{activity['id']}", headers=other_tenant.headers)
        assert_problem(response, 404)

    async def test_an_outsider_cannot_name_it_as_followed_up(self, client, tenant):
        activity, account, _ = await private_setup(client, tenant)
        outsider = await tenant.member("MEMBER")
        body = activity_body(account["id"], followUpOfId=activity["id"])
        assert_problem(
            await client.post(ACTIVITIES, json=body, headers=outsider), 422, "followUpOfId"
        )

    async def test_making_it_private_hides_it_and_public_shows_it_again(self, client, tenant):
        account = await create_account(client, tenant.headers)
        activity = await create_activity(client, tenant.headers, account["id"])
        outsider = await tenant.member("MEMBER")
        path = f"{ACTIVITIES}/{activity['id']}"
        await client.patch(path, json={"visibility": "PRIVATE"}, headers=tenant.headers)
        assert_problem(await client.get(path, headers=outsider), 404)
        await client.patch(path, json={"visibility": "ORGANIZATION"}, headers=tenant.headers)
        assert (await client.get(path, headers=outsider)).status_code == 200


def _get_paths(app):
    for path, operations in app.openapi()["paths"].items():
        if "get" in operations:
            yield path, [p["name"] for p in operations["get"].get("parameters", [])]


def _filled(path, ids):
    def value(match):
        return ids.get(match.group(1), "1")

    return re.sub(r"\{(\w+)\}", value, path)


class TestEveryReadPath:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER", "other organization"])
    async def test_no_read_path_shows_it_to_an_outsider(
        self, client, service, tenant, other_tenant, role
    ):
        activity, account, _ = await private_setup(client, tenant)
        outsider = (
            other_tenant.headers if role == "other organization" else await tenant.member(role)
        )
        ids = {"activity_id": activity["id"], "account_id": account["id"]}
        walked = 0
        for path, parameters in _get_paths(service.app):
            if path.startswith("/v1/auth") or (
                "{" in path and not set(re.findall(r"\{(\w+)\}", path)) <= set(ids)
            ):
                continue
            queries = [{}]
            for name in ("q", "prefix"):
                if name in parameters:
                    queries.append({name: SECRET.split("-")[0]})
            if "tag" in parameters:
                queries.append({"tag": SECRET})
            if "format" in parameters:
                queries += [{"format": "csv"}, {"format": "ndjson"}]
            if "groupBy" in parameters:
                queries = [{"groupBy": "accountId"}, {"groupBy": "tag"}]
            for query in queries:
                response = await client.get(_filled(path, ids), params=query, headers=outsider)
                walked += 1
                assert response.status_code in (200, 403, 404, 422), (path, query, response.text)
                assert SECRET not in response.text, (path, query)
                assert activity["uid"] not in response.text, (path, query)
                if path.startswith(f"{ACTIVITIES}/{{activity_id}}"):
                    assert response.status_code == 404, path
        assert walked >= 6

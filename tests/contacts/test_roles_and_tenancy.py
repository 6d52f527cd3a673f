"""Who may do what to contacts, and that another organization's contacts do not exist."""

import pytest

from tests.factories import assert_problem, contact_body, create_account, create_contact, list_all

CONTACTS = "/v1/contacts"


async def read(client, tenant, contact_id):
    response = await client.get(
        f"{CONTACTS}/{contact_id}", params={"includeDeleted": "true"}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def attempt(client, verb, headers, contact):
    """One changing verb on `contact` with `headers`."""
    path = f"{CONTACTS}/{contact['id']}"
    if verb == "patch":
        return await client.patch(path, json={"firstName": "Changed"}, headers=headers)
    if verb == "put":
        body = contact_body(contact["accountId"], firstName="Changed")
        return await client.put(path, json=body, headers=headers)
    if verb == "delete":
        return await client.delete(path, headers=headers)
    return await client.post(f"{path}/restore", headers=headers)


CHANGES = ["patch", "put", "delete"]


class TestViewer:
    async def test_a_viewer_reads_and_lists(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        viewer = await tenant.member("VIEWER")
        response = await client.get(f"{CONTACTS}/{contact['id']}", headers=viewer)
        assert response.json() == contact
        assert await list_all(client, CONTACTS, viewer) == [contact]

    async def test_a_viewer_may_not_create(self, client, tenant):
        account = await create_account(client, tenant.headers)
        viewer = await tenant.member("VIEWER")
        response = await client.post(CONTACTS, json=contact_body(account["id"]), headers=viewer)
        assert_problem(response, 403)
        assert await list_all(client, CONTACTS, tenant.headers, includeDeleted="true") == []

    @pytest.mark.parametrize("verb", [*CHANGES, "restore"])
    async def test_a_viewer_may_not_change(self, client, tenant, verb):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        if verb == "restore":
            await attempt(client, "delete", tenant.headers, contact)
        before = await read(client, tenant, contact["id"])
        viewer = await tenant.member("VIEWER")
        assert_problem(await attempt(client, verb, viewer, contact), 403)
        assert await read(client, tenant, contact["id"]) == before


class TestMember:
    async def test_a_member_creates_and_is_its_creator(self, client, tenant):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        contact = await create_contact(client, member, account["id"])
        assert contact["creatorId"] == member["X-User-Id"]

    @pytest.mark.parametrize("verb", [*CHANGES, "restore"])
    async def test_a_member_changes_what_it_created(self, client, tenant, verb):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        contact = await create_contact(client, member, account["id"])
        if verb == "restore":
            await attempt(client, "delete", member, contact)
        response = await attempt(client, verb, member, contact)
        assert response.status_code == (204 if verb == "delete" else 200), response.text

    @pytest.mark.parametrize("verb", [*CHANGES, "restore"])
    async def test_a_member_may_not_change_what_others_created(self, client, tenant, verb):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        if verb == "restore":
            await attempt(client, "delete", tenant.headers, contact)
        before = await read(client, tenant, contact["id"])
        member = await tenant.member("MEMBER")
        assert_problem(await attempt(client, verb, member, contact), 403)
        assert await read(client, tenant, contact["id"]) == before


class TestManagers:
    @pytest.mark.parametrize("role", ["ADMIN", "OWNER"])
    @pytest.mark.parametrize("verb", [*CHANGES, "restore"])
    async def test_admins_and_owners_change_what_others_created(self, client, tenant, role, verb):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        contact = await create_contact(client, member, account["id"])
        if verb == "restore":
            await attempt(client, "delete", member, contact)
        manager = await tenant.member(role)
        response = await attempt(client, verb, manager, contact)
        assert response.status_code == (204 if verb == "delete" else 200), response.text


class TestIncludeDeleted:
    @pytest.mark.parametrize("role", ["MEMBER", "VIEWER"])
    async def test_include_deleted_is_403_below_admin(self, client, tenant, role):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        headers = await tenant.member(role)
        params = {"includeDeleted": "true"}
        assert_problem(await client.get(CONTACTS, params=params, headers=headers), 403)
        one = await client.get(f"{CONTACTS}/{contact['id']}", params=params, headers=headers)
        assert_problem(one, 403)

    async def test_include_deleted_false_is_allowed_below_admin(self, client, tenant):
        viewer = await tenant.member("VIEWER")
        response = await client.get(CONTACTS, params={"includeDeleted": "false"}, headers=viewer)
        assert response.status_code == 200

    async def test_an_admin_lists_deleted_contacts(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        await attempt(client, "delete", tenant.headers, contact)
        admin = await tenant.member("ADMIN")
        rows = await list_all(client, CONTACTS, admin, includeDeleted="true")
        assert [row["id"] for row in rows] == [contact["id"]]


class TestTenancy:
    @pytest.mark.parametrize("verb", ["get", *CHANGES, "restore"])
    @pytest.mark.parametrize("by", ["id", "uid"])
    async def test_another_organizations_contact_is_404_on_every_verb(
        self, client, tenant, other_tenant, verb, by
    ):
        theirs = await create_account(client, other_tenant.headers)
        contact = await create_contact(client, other_tenant.headers, theirs["id"])
        if verb == "restore":
            await attempt(client, "delete", other_tenant.headers, contact)
        before = await read(client, other_tenant, contact["id"])
        target = {**contact, "id": contact[by]}
        if verb == "get":
            response = await client.get(f"{CONTACTS}/{target['id']}", headers=tenant.headers)
        else:
            response = await attempt(client, verb, tenant.headers, target)
        missing = await attempt(client, "patch", tenant.headers, {**contact, "id": "424242424"})
        assert_problem(response, 404)
        assert_problem(missing, 404)
        assert await read(client, other_tenant, contact["id"]) == before

    async def test_lists_never_show_another_organizations_contacts(
        self, client, tenant, other_tenant
    ):
        theirs = await create_account(client, other_tenant.headers)
        contact = await create_contact(client, other_tenant.headers, theirs["id"])
        for params in ({}, {"accountId": theirs["id"]}, {"email": contact["email"]},
                       {"q": "Grace"}, {"includeDeleted": "true"}):  # fmt: skip
            assert await list_all(client, CONTACTS, tenant.headers, **params) == [], params

    async def test_put_cannot_move_a_contact_to_another_organizations_account(
        self, client, tenant, other_tenant
    ):
        mine = await create_account(client, tenant.headers)
        theirs = await create_account(client, other_tenant.headers)
        contact = await create_contact(client, tenant.headers, mine["id"])
        response = await client.put(
            f"{CONTACTS}/{contact['id']}", json=contact_body(theirs["id"]), headers=tenant.headers
        )
        assert_problem(response, 422, "accountId")
        assert await read(client, tenant, contact["id"]) == contact

    async def test_an_email_taken_in_another_organization_does_not_block_a_change(
        self, client, tenant, other_tenant
    ):
        theirs = await create_account(client, other_tenant.headers)
        await create_contact(client, other_tenant.headers, theirs["id"], email="same@example.com")
        mine = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, mine["id"])
        response = await client.patch(
            f"{CONTACTS}/{contact['id']}",
            json={"email": "same@example.com"},
            headers=tenant.headers,
        )
        assert response.status_code == 200

"""PATCH and PUT /v1/contacts/{id}: what changes, what is refused, refusals change nothing."""

import pytest

from tests.factories import assert_problem, contact_body, create_account, create_contact

CONTACTS = "/v1/contacts"
READ_ONLY = ["id", "uid", "creatorId", "createdAt", "updatedAt", "deletedAt"]


async def read(client, tenant, contact_id):
    response = await client.get(
        f"{CONTACTS}/{contact_id}", params={"includeDeleted": "true"}, headers=tenant.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def patch(client, tenant, contact, body):
    return await client.patch(f"{CONTACTS}/{contact['id']}", json=body, headers=tenant.headers)


async def put(client, tenant, contact, body):
    return await client.put(f"{CONTACTS}/{contact['id']}", json=body, headers=tenant.headers)


async def made(client, tenant, **overrides):
    account = await create_account(client, tenant.headers)
    return await create_contact(client, tenant.headers, account["id"], **overrides)


class TestPatch:
    async def test_only_the_fields_sent_change(self, client, tenant):
        contact = await made(client, tenant, phone="1", title="CTO", contactType="LEGAL")
        response = await patch(client, tenant, contact, {"firstName": "Ada", "title": "CEO"})
        assert response.status_code == 200, response.text
        changed = response.json()
        assert changed["updatedAt"] > contact["updatedAt"]
        expected = {
            **contact,
            "firstName": "Ada",
            "title": "CEO",
            "updatedAt": changed["updatedAt"],
        }
        assert changed == expected
        assert await read(client, tenant, contact["id"]) == changed

    async def test_an_empty_patch_changes_nothing_not_even_updated_at(self, client, tenant):
        contact = await made(client, tenant)
        response = await patch(client, tenant, contact, {})
        assert response.status_code == 200
        assert response.json() == contact
        assert await read(client, tenant, contact["id"]) == contact

    async def test_null_clears_optional_fields_and_resets_defaults(self, client, tenant):
        contact = await made(
            client, tenant, phone="1", title="CTO", contactType="LEGAL", metadata={"a": 1}
        )
        body = dict.fromkeys(["lastName", "phone", "title", "contactType", "metadata"])
        changed = (await patch(client, tenant, contact, body)).json()
        assert changed["lastName"] is None
        assert changed["phone"] is None
        assert changed["title"] is None
        assert changed["contactType"] == "OTHER"
        assert changed["metadata"] == {}

    async def test_moving_to_another_live_account(self, client, tenant):
        contact = await made(client, tenant)
        other = await create_account(client, tenant.headers)
        changed = (await patch(client, tenant, contact, {"accountId": other["id"]})).json()
        assert changed["accountId"] == other["id"]

    async def test_changing_the_case_of_its_own_email_is_allowed(self, client, tenant):
        contact = await made(client, tenant, email="ada@example.com")
        response = await patch(client, tenant, contact, {"email": "ADA@example.com"})
        assert response.status_code == 200
        assert response.json()["email"] == "ADA@example.com"

    async def test_is_active_may_be_set_by_patch(self, client, tenant):
        contact = await made(client, tenant)
        changed = (await patch(client, tenant, contact, {"isActive": False})).json()
        assert changed["isActive"] is False
        assert changed["deletedAt"] is None


class TestPatchRefused:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            pytest.param({"accountId": None}, "accountId", id="accountId-null"),
            pytest.param({"firstName": None}, "firstName", id="firstName-null"),
            pytest.param({"email": None}, "email", id="email-null"),
            pytest.param({"isActive": None}, "isActive", id="isActive-null"),
            pytest.param({"firstName": "f" * 256}, "firstName", id="firstName-256"),
            pytest.param({"firstName": "  "}, "firstName", id="firstName-blank"),
            pytest.param({"email": "nope"}, "email", id="email-bad"),
            pytest.param({"phone": "1" * 65}, "phone", id="phone-65"),
            pytest.param({"title": "t" * 256}, "title", id="title-256"),
            pytest.param({"contactType": "CEO"}, "contactType", id="contactType-bad"),
            pytest.param({"lastName": "a\x00"}, "lastName", id="lastName-nul"),
            pytest.param({"metadata": []}, "metadata", id="metadata-list"),
            pytest.param({"isActive": "maybe"}, "isActive", id="isActive-text"),
            pytest.param({"nickname": "x"}, "nickname", id="unknown"),
            *(pytest.param({field: "1"}, field, id=f"read-only-{field}") for field in READ_ONLY),
        ],
    )
    async def test_a_bad_field_is_named_and_nothing_changes(self, client, tenant, body, field):
        contact = await made(client, tenant)
        assert_problem(await patch(client, tenant, contact, body), 422, field)
        assert await read(client, tenant, contact["id"]) == contact

    async def test_another_organizations_account_is_422_and_nothing_changes(
        self, client, tenant, other_tenant
    ):
        contact = await made(client, tenant)
        theirs = await create_account(client, other_tenant.headers)
        response = await patch(client, tenant, contact, {"accountId": theirs["id"]})
        assert_problem(response, 422, "accountId")
        assert await read(client, tenant, contact["id"]) == contact

    async def test_a_deleted_account_is_422_and_nothing_changes(self, client, tenant):
        contact = await made(client, tenant)
        gone = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{gone['id']}", headers=tenant.headers)
        response = await patch(client, tenant, contact, {"accountId": gone["id"]})
        assert_problem(response, 422, "accountId")
        assert await read(client, tenant, contact["id"]) == contact

    @pytest.mark.parametrize("email", ["taken@example.com", "TAKEN@Example.COM"])
    async def test_another_contacts_email_in_any_case_is_409(self, client, tenant, email):
        await made(client, tenant, email="taken@example.com")
        contact = await made(client, tenant)
        assert_problem(await patch(client, tenant, contact, {"email": email}), 409)
        assert await read(client, tenant, contact["id"]) == contact

    async def test_a_deleted_contact_is_404(self, client, tenant):
        contact = await made(client, tenant)
        await client.delete(f"{CONTACTS}/{contact['id']}", headers=tenant.headers)
        before = await read(client, tenant, contact["id"])
        assert_problem(await patch(client, tenant, contact, {"firstName": "X"}), 404)
        assert await read(client, tenant, contact["id"]) == before

    async def test_a_missing_contact_is_404(self, client, tenant):
        response = await client.patch(
            f"{CONTACTS}/424242424", json={"firstName": "X"}, headers=tenant.headers
        )
        assert_problem(response, 404)


class TestPut:
    async def test_put_replaces_and_fields_left_out_take_their_defaults(self, client, tenant):
        contact = await made(
            client, tenant, phone="1", title="CTO", contactType="LEGAL", metadata={"a": 1}
        )
        body = {"accountId": contact["accountId"], "firstName": "Ada", "email": "a@example.com"}
        response = await put(client, tenant, contact, body)
        assert response.status_code == 200, response.text
        replaced = response.json()
        assert replaced["updatedAt"] > contact["updatedAt"]
        assert replaced == {
            **contact, "firstName": "Ada", "lastName": None, "email": "a@example.com",
            "phone": None, "title": None, "contactType": "OTHER", "metadata": {},
            "updatedAt": replaced["updatedAt"],
        }  # fmt: skip
        assert await read(client, tenant, contact["id"]) == replaced

    async def test_put_does_not_change_is_active(self, client, tenant):
        contact = await made(client, tenant)
        await patch(client, tenant, contact, {"isActive": False})
        body = contact_body(contact["accountId"])
        replaced = (await put(client, tenant, contact, body)).json()
        assert replaced["isActive"] is False

    @pytest.mark.parametrize("field", ["accountId", "firstName", "email"])
    async def test_a_missing_required_field_is_named_and_nothing_changes(
        self, client, tenant, field
    ):
        contact = await made(client, tenant)
        body = contact_body(contact["accountId"])
        del body[field]
        assert_problem(await put(client, tenant, contact, body), 422, field)
        assert await read(client, tenant, contact["id"]) == contact

    @pytest.mark.parametrize("field", ["isActive", *READ_ONLY])
    async def test_a_read_only_field_is_refused(self, client, tenant, field):
        contact = await made(client, tenant)
        body = contact_body(contact["accountId"], **{field: contact.get(field, "1")})
        assert_problem(await put(client, tenant, contact, body), 422, field)
        assert await read(client, tenant, contact["id"]) == contact

    async def test_another_contacts_email_is_409(self, client, tenant):
        await made(client, tenant, email="taken@example.com")
        contact = await made(client, tenant)
        body = contact_body(contact["accountId"], email="Taken@example.com")
        assert_problem(await put(client, tenant, contact, body), 409)
        assert await read(client, tenant, contact["id"]) == contact

    async def test_a_missing_account_is_422(self, client, tenant):
        contact = await made(client, tenant)
        assert_problem(
            await put(client, tenant, contact, contact_body("987654321")), 422, "accountId"
        )
        assert await read(client, tenant, contact["id"]) == contact

    async def test_a_deleted_contact_is_404(self, client, tenant):
        contact = await made(client, tenant)
        await client.delete(f"{CONTACTS}/{contact['id']}", headers=tenant.headers)
        before = await read(client, tenant, contact["id"])
        assert_problem(await put(client, tenant, contact, contact_body(contact["accountId"])), 404)
        assert await read(client, tenant, contact["id"]) == before

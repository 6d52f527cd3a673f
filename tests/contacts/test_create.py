"""POST /v1/contacts, happy paths: what is stored, what is returned, and the defaults."""

import re

import pytest

from tests.factories import contact_body, create_account, create_contact, list_all

CONTACTS = "/v1/contacts"
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$"
CONTACT_TYPES = ["PRIMARY", "BILLING", "LEGAL", "EXECUTIVE", "OTHER"]


class TestCreateResponse:
    async def test_create_is_201_with_location_and_every_field(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = contact_body(account["id"], phone="+49 30 1234", title="CTO", metadata={"a": [1]})
        response = await client.post(CONTACTS, json=body, headers=tenant.headers)
        assert response.status_code == 201, response.text
        contact = response.json()
        assert response.headers["location"] == f"/v1/contacts/{contact['id']}"
        assert set(contact) == {
            "id", "uid", "accountId", "firstName", "lastName", "email", "phone", "title",
            "contactType", "metadata", "isActive", "creatorId", "createdAt", "updatedAt",
            "deletedAt",
        }  # fmt: skip
        assert re.fullmatch(r"[1-9][0-9]*", contact["id"])
        assert re.fullmatch(ULID_PATTERN, contact["uid"])
        assert contact["accountId"] == account["id"]
        assert contact["firstName"] == "Grace"
        assert contact["lastName"] == "Hopper"
        assert contact["email"] == body["email"]
        assert (contact["phone"], contact["title"]) == ("+49 30 1234", "CTO")
        assert contact["metadata"] == {"a": [1]}
        assert contact["isActive"] is True
        assert contact["deletedAt"] is None
        assert contact["creatorId"] == tenant.user_id
        assert contact["createdAt"] == contact["updatedAt"]
        assert contact["createdAt"].endswith("Z")

    async def test_the_location_reads_back_the_same_contact(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.post(
            CONTACTS, json=contact_body(account["id"]), headers=tenant.headers
        )
        read = await client.get(response.headers["location"], headers=tenant.headers)
        assert read.status_code == 200
        assert read.json() == response.json()

    async def test_optional_fields_default(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = {"accountId": account["id"], "firstName": "Ada", "email": "ada@example.com"}
        response = await client.post(CONTACTS, json=body, headers=tenant.headers)
        assert response.status_code == 201, response.text
        contact = response.json()
        assert contact["lastName"] is None
        assert contact["phone"] is None
        assert contact["title"] is None
        assert contact["contactType"] == "OTHER"
        assert contact["metadata"] == {}

    async def test_explicit_nulls_on_optional_fields_are_accepted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], lastName=None, phone=None, title=None
        )
        assert (contact["lastName"], contact["phone"], contact["title"]) == (None, None, None)

    async def test_account_id_may_be_a_json_integer(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, int(account["id"]))
        assert contact["accountId"] == account["id"]


class TestCreateValues:
    @pytest.mark.parametrize("contact_type", CONTACT_TYPES)
    async def test_every_contact_type_is_accepted(self, client, tenant, contact_type):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], contactType=contact_type
        )
        assert contact["contactType"] == contact_type

    async def test_names_and_phone_are_trimmed(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], firstName="  Ada ", lastName=" Lovelace ",
            phone=" 123 ",
        )  # fmt: skip
        assert (contact["firstName"], contact["lastName"]) == ("Ada", "Lovelace")
        assert contact["phone"] == "123"

    async def test_email_is_stored_as_written(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], email="Ada.Lovelace@Example.COM"
        )
        assert contact["email"] == "Ada.Lovelace@Example.COM"

    async def test_longest_values_are_accepted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], firstName="f" * 255, lastName="l" * 255,
            phone="1" * 64, title="t" * 255,
        )  # fmt: skip
        assert len(contact["firstName"]) == 255
        assert len(contact["lastName"]) == 255
        assert len(contact["phone"]) == 64
        assert len(contact["title"]) == 255

    async def test_unicode_is_kept(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(
            client, tenant.headers, account["id"], firstName="Zoë", lastName="Ødegård 🌍"
        )
        assert (contact["firstName"], contact["lastName"]) == ("Zoë", "Ødegård 🌍")

    async def test_the_same_email_may_live_in_another_organization(
        self, client, tenant, other_tenant
    ):
        mine = await create_account(client, tenant.headers)
        theirs = await create_account(client, other_tenant.headers)
        await create_contact(client, tenant.headers, mine["id"], email="shared@example.com")
        await create_contact(client, other_tenant.headers, theirs["id"], email="SHARED@example.com")

    async def test_two_contacts_with_different_emails_are_both_listed(self, client, tenant):
        account = await create_account(client, tenant.headers)
        first = await create_contact(client, tenant.headers, account["id"])
        second = await create_contact(client, tenant.headers, account["id"])
        listed = await list_all(client, CONTACTS, tenant.headers)
        assert {row["id"] for row in listed} == {first["id"], second["id"]}

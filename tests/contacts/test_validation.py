"""POST /v1/contacts refused: problem+json naming each bad field, and nothing written."""

import json

import pytest

from tests.factories import (
    assert_problem,
    contact_body,
    create_account,
    create_contact,
    list_all,
)

CONTACTS = "/v1/contacts"
REQUIRED = ["accountId", "firstName", "email"]
READ_ONLY = ["id", "uid", "isActive", "creatorId", "createdAt", "updatedAt", "deletedAt"]


async def stored(client, tenant):
    return await list_all(client, CONTACTS, tenant.headers, includeDeleted="true", limit=200)


async def refused(client, tenant, body, *fields, status=422):
    """Posts `body`; it must be refused naming exactly `fields`, and nothing may be stored."""
    before = await stored(client, tenant)
    response = await client.post(CONTACTS, json=body, headers=tenant.headers)
    problem = assert_problem(response, status, *fields)
    assert await stored(client, tenant) == before
    return problem


class TestRequiredFields:
    @pytest.mark.parametrize("field", REQUIRED)
    async def test_a_missing_required_field_is_named(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        body = contact_body(account["id"])
        del body[field]
        await refused(client, tenant, body, field)

    @pytest.mark.parametrize("field", REQUIRED)
    async def test_null_on_a_required_field_is_named(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, contact_body(account["id"], **{field: None}), field)

    async def test_every_missing_field_is_named_at_once(self, client, tenant):
        await refused(client, tenant, {"lastName": "only"}, *REQUIRED)

    async def test_several_bad_fields_are_all_named(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = contact_body(account["id"], firstName="", email="nope", contactType="BOSS")
        await refused(client, tenant, body, "firstName", "email", "contactType")


class TestBounds:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            pytest.param({"firstName": "f" * 256}, "firstName", id="firstName-256"),
            pytest.param({"firstName": ""}, "firstName", id="firstName-empty"),
            pytest.param({"firstName": " \t "}, "firstName", id="firstName-blank"),
            pytest.param({"lastName": "l" * 256}, "lastName", id="lastName-256"),
            pytest.param({"phone": "1" * 65}, "phone", id="phone-65"),
            pytest.param({"title": "t" * 256}, "title", id="title-256"),
            pytest.param({"email": "not-an-email"}, "email", id="email-no-at"),
            pytest.param({"email": "a@b"}, "email", id="email-no-dot"),
            pytest.param({"email": "a b@example.com"}, "email", id="email-space"),
            pytest.param({"email": ""}, "email", id="email-empty"),
            pytest.param({"email": "a" * 310 + "@example.com"}, "email", id="email-322"),
            pytest.param({"contactType": "CEO"}, "contactType", id="contactType-unknown"),
            pytest.param({"contactType": "primary"}, "contactType", id="contactType-case"),
            pytest.param({"contactType": ""}, "contactType", id="contactType-empty"),
            pytest.param({"metadata": {"k": "v" * 17000}}, "metadata", id="metadata-17k"),
        ],
    )
    async def test_out_of_bounds_is_refused(self, client, tenant, overrides, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, contact_body(account["id"], **overrides), field)


class TestTypes:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            pytest.param({"accountId": "abc"}, "accountId", id="accountId-letters"),
            pytest.param({"accountId": 0}, "accountId", id="accountId-0"),
            pytest.param({"accountId": -1}, "accountId", id="accountId-negative"),
            pytest.param({"accountId": 2**63}, "accountId", id="accountId-huge"),
            pytest.param({"accountId": True}, "accountId", id="accountId-bool"),
            pytest.param({"accountId": 1.5}, "accountId", id="accountId-float"),
            pytest.param({"firstName": 5}, "firstName", id="firstName-int"),
            pytest.param({"firstName": ["Ada"]}, "firstName", id="firstName-list"),
            pytest.param({"email": 5}, "email", id="email-int"),
            pytest.param({"phone": 12345}, "phone", id="phone-int"),
            pytest.param({"title": {"t": 1}}, "title", id="title-object"),
            pytest.param({"contactType": 1}, "contactType", id="contactType-int"),
            pytest.param({"metadata": []}, "metadata", id="metadata-list"),
            pytest.param({"metadata": "x"}, "metadata", id="metadata-string"),
        ],
    )
    async def test_a_wrong_type_is_named(self, client, tenant, overrides, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, contact_body(account["id"], **overrides), field)

    @pytest.mark.parametrize("field", ["firstName", "lastName", "email", "phone", "title"])
    async def test_nul_in_text_is_refused(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        value = "a\x00b@example.com" if field == "email" else "a\x00b"
        await refused(client, tenant, contact_body(account["id"], **{field: value}), field)

    async def test_nul_inside_metadata_is_refused(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = contact_body(account["id"], metadata={"note": "a\x00b"})
        await refused(client, tenant, body, "metadata")


class TestUnknownAndReadOnlyFields:
    async def test_an_unknown_field_is_named(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, contact_body(account["id"], nickname="Amazing"), "nickname")

    async def test_snake_case_names_are_unknown(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = contact_body(account["id"])
        body["first_name"] = body.pop("firstName")
        await refused(client, tenant, body, "first_name", "firstName")

    @pytest.mark.parametrize("field", READ_ONLY)
    async def test_a_read_only_field_is_refused_as_such(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        problem = await refused(client, tenant, contact_body(account["id"], **{field: "1"}), field)
        assert "read-only" in problem["errors"][0]["message"]


class TestBodies:
    async def test_malformed_json_is_400(self, client, tenant):
        headers = {**tenant.headers, "Content-Type": "application/json"}
        response = await client.post(CONTACTS, content=b'{"firstName": ', headers=headers)
        assert_problem(response, 400)
        assert await stored(client, tenant) == []

    @pytest.mark.parametrize("body", [[], "text", 5, None])
    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant, body):
        headers = {**tenant.headers, "Content-Type": "application/json"}
        response = await client.post(CONTACTS, content=json.dumps(body), headers=headers)
        assert_problem(response, 400)
        assert await stored(client, tenant) == []

    async def test_a_non_json_content_type_is_415(self, client, tenant):
        account = await create_account(client, tenant.headers)
        headers = {**tenant.headers, "Content-Type": "text/plain"}
        content = json.dumps(contact_body(account["id"]))
        assert_problem(await client.post(CONTACTS, content=content, headers=headers), 415)
        assert await stored(client, tenant) == []


class TestAccountReference:
    async def test_a_missing_account_is_422_naming_account_id(self, client, tenant):
        await refused(client, tenant, contact_body("987654321"), "accountId")

    async def test_another_organizations_account_is_answered_like_a_missing_one(
        self, client, tenant, other_tenant
    ):
        theirs = await create_account(client, other_tenant.headers)
        foreign = await refused(client, tenant, contact_body(theirs["id"]), "accountId")
        missing = await refused(client, tenant, contact_body("987654321"), "accountId")
        assert foreign["errors"] == missing["errors"]
        assert foreign["detail"] == missing["detail"]
        assert await stored(client, other_tenant) == []

    async def test_a_deleted_account_is_422(self, client, tenant):
        account = await create_account(client, tenant.headers)
        deleted = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert deleted.status_code == 204
        await refused(client, tenant, contact_body(account["id"]), "accountId")


class TestUniqueEmail:
    @pytest.mark.parametrize("email", ["dup@example.com", "DUP@EXAMPLE.COM", "Dup@Example.com"])
    async def test_a_duplicate_email_in_any_case_is_409(self, client, tenant, email):
        account = await create_account(client, tenant.headers)
        first = await create_contact(client, tenant.headers, account["id"], email="dup@example.com")
        await refused(client, tenant, contact_body(account["id"], email=email), status=409)
        assert await stored(client, tenant) == [first]

    async def test_the_duplicate_may_be_at_another_account(self, client, tenant):
        one = await create_account(client, tenant.headers)
        two = await create_account(client, tenant.headers)
        await create_contact(client, tenant.headers, one["id"], email="dup@example.com")
        await refused(client, tenant, contact_body(two["id"], email="dup@example.com"), status=409)

    async def test_the_email_is_free_again_once_the_first_is_soft_deleted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        first = await create_contact(client, tenant.headers, account["id"], email="x@example.com")
        deleted = await client.delete(f"{CONTACTS}/{first['id']}", headers=tenant.headers)
        assert deleted.status_code == 204
        second = await create_contact(client, tenant.headers, account["id"], email="X@example.com")
        assert second["id"] != first["id"]

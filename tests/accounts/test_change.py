"""PATCH and PUT /v1/accounts/{id}: refused changes change nothing; null clears optional fields."""

from datetime import datetime

import pytest

from tests.factories import account_body, assert_problem, create_account, unique


def instant(timestamp):
    return datetime.fromisoformat(timestamp)


async def read(client, headers, account_id):
    response = await client.get(f"/v1/accounts/{account_id}?includeDeleted=true", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def full_account(client, headers):
    return await create_account(
        client,
        headers,
        industry="Energy",
        description="Power plants",
        website="https://power.example",
        metadata={"tier": "gold"},
    )


class TestPatchRefusals:
    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": None}, "name"),
            ({"primaryDomain": None}, "primaryDomain"),
            ({"isActive": None}, "isActive"),
            ({"name": ""}, "name"),
            ({"name": "x" * 256}, "name"),
            ({"primaryDomain": "a..com"}, "primaryDomain"),
            ({"website": "mailto:a@b.com"}, "website"),
            ({"metadata": [1]}, "metadata"),
            ({"isActive": "sometimes"}, "isActive"),
            ({"description": "a\u0000"}, "description"),
            ({"colour": "red"}, "colour"),
            ({"id": "5"}, "id"),
            ({"createdAt": "2026-01-01T00:00:00Z"}, "createdAt"),
        ],
    )
    async def test_a_bad_field_is_422_and_changes_nothing(self, client, tenant, body, field):
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}", json=body, headers=tenant.headers
        )
        assert_problem(response, 422, field)
        assert await read(client, tenant.headers, account["id"]) == account

    async def test_a_valid_field_beside_a_bad_one_is_not_applied(self, client, tenant):
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            json={"industry": "Changed", "primaryDomain": "localhost"},
            headers=tenant.headers,
        )
        assert_problem(response, 422, "primaryDomain")
        assert await read(client, tenant.headers, account["id"]) == account

    async def test_a_duplicate_domain_in_any_case_is_409_and_changes_nothing(self, client, tenant):
        taken = await create_account(client, tenant.headers)
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            json={"primaryDomain": taken["primaryDomain"].upper(), "industry": "Changed"},
            headers=tenant.headers,
        )
        assert_problem(response, 409)
        assert await read(client, tenant.headers, account["id"]) == account
        assert await read(client, tenant.headers, taken["id"]) == taken

    async def test_a_deleted_account_cannot_be_patched(self, client, tenant):
        account = await full_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        before = await read(client, tenant.headers, account["id"])
        response = await client.patch(
            f"/v1/accounts/{account['id']}", json={"name": "Zombie"}, headers=tenant.headers
        )
        assert_problem(response, 404)
        assert await read(client, tenant.headers, account["id"]) == before


class TestPatchChanges:
    async def test_only_the_fields_sent_change(self, client, tenant):
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            json={"name": "  Renamed  ", "industry": "Utilities"},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        changed = response.json()
        assert changed["name"] == "Renamed"
        assert changed["industry"] == "Utilities"
        assert instant(changed["updatedAt"]) > instant(account["updatedAt"])
        unchanged = {k: v for k, v in changed.items() if k not in ("name", "industry", "updatedAt")}
        assert unchanged == {
            k: v for k, v in account.items() if k not in ("name", "industry", "updatedAt")
        }
        assert await read(client, tenant.headers, account["id"]) == changed

    async def test_null_clears_every_optional_field(self, client, tenant):
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            json={"industry": None, "description": None, "website": None, "metadata": None},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        cleared = response.json()
        assert cleared["industry"] is None
        assert cleared["description"] is None
        assert cleared["website"] is None
        assert cleared["metadata"] == {}
        assert await read(client, tenant.headers, account["id"]) == cleared

    async def test_an_empty_patch_changes_nothing_not_even_updated_at(self, client, tenant):
        account = await full_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}", json={}, headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json() == account

    async def test_the_domain_may_change_case_of_itself_and_is_normalized(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['uid']}",
            json={"primaryDomain": account["primaryDomain"].upper()},
            headers=tenant.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["primaryDomain"] == account["primaryDomain"]

    async def test_a_deleted_accounts_domain_may_be_taken_by_patch(self, client, tenant):
        old = await create_account(client, tenant.headers)
        await client.delete(f"/v1/accounts/{old['id']}", headers=tenant.headers)
        account = await create_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            json={"primaryDomain": old["primaryDomain"]},
            headers=tenant.headers,
        )
        assert response.status_code == 200
        assert response.json()["primaryDomain"] == old["primaryDomain"]

    async def test_is_active_may_be_set_by_patch(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}", json={"isActive": False}, headers=tenant.headers
        )
        assert response.status_code == 200
        assert response.json()["isActive"] is False
        assert response.json()["deletedAt"] is None


class TestPut:
    async def test_put_replaces_and_fields_left_out_take_their_defaults(self, client, tenant):
        account = await full_account(client, tenant.headers)
        body = account_body(name="Replaced")
        response = await client.put(
            f"/v1/accounts/{account['id']}", json=body, headers=tenant.headers
        )
        assert response.status_code == 200, response.text
        replaced = response.json()
        assert replaced["name"] == "Replaced"
        assert replaced["primaryDomain"] == body["primaryDomain"]
        assert replaced["industry"] is None
        assert replaced["description"] is None
        assert replaced["website"] is None
        assert replaced["metadata"] == {}
        assert replaced["id"] == account["id"]
        assert replaced["uid"] == account["uid"]
        assert replaced["createdAt"] == account["createdAt"]
        assert replaced["creatorId"] == account["creatorId"]
        assert await read(client, tenant.headers, account["id"]) == replaced

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"name": "Only name"}, "primaryDomain"),
            ({"primaryDomain": "only-domain.com"}, "name"),
            ({"name": "X", "primaryDomain": "x.com", "isActive": False}, "isActive"),
            ({"name": "X", "primaryDomain": "x.com", "uid": "abc"}, "uid"),
            ({"name": "X", "primaryDomain": "x.com", "website": "no"}, "website"),
        ],
    )
    async def test_put_applies_the_create_rules_and_changes_nothing_on_422(
        self, client, tenant, body, field
    ):
        account = await full_account(client, tenant.headers)
        response = await client.put(
            f"/v1/accounts/{account['id']}", json=body, headers=tenant.headers
        )
        assert_problem(response, 422, field)
        assert await read(client, tenant.headers, account["id"]) == account

    async def test_put_with_a_taken_domain_is_409_and_changes_nothing(self, client, tenant):
        taken = await create_account(client, tenant.headers)
        account = await full_account(client, tenant.headers)
        response = await client.put(
            f"/v1/accounts/{account['id']}",
            json=account_body(primaryDomain=taken["primaryDomain"]),
            headers=tenant.headers,
        )
        assert_problem(response, 409)
        assert await read(client, tenant.headers, account["id"]) == account

    async def test_put_on_a_missing_account_is_404_and_creates_nothing(self, client, tenant):
        response = await client.put(
            "/v1/accounts/987654321",
            json=account_body(primaryDomain=unique("ghost") + ".com"),
            headers=tenant.headers,
        )
        assert_problem(response, 404)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == []

"""POST /v1/accounts: validation first, then uniqueness, then what a created account looks like."""

import asyncio
import json

import pytest

from tests.factories import account_body, assert_problem, create_account, unique

ACCOUNT_FIELDS = {
    "id",
    "uid",
    "name",
    "primaryDomain",
    "industry",
    "description",
    "website",
    "metadata",
    "isActive",
    "creatorId",
    "createdAt",
    "updatedAt",
    "deletedAt",
    "lastActivityAt",
    "nextActivityAt",
    "openActivities",
}


async def assert_no_accounts(client, headers):
    response = await client.get("/v1/accounts", headers=headers)
    assert response.status_code == 200
    assert response.json() == {"data": [], "nextCursor": None}


class TestCreateRefusesInvalidBodies:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"name": ""}, "name"),
            ({"name": "   "}, "name"),
            ({"name": "n" * 256}, "name"),
            ({"name": None}, "name"),
            ({"name": 42}, "name"),
            ({"primaryDomain": ""}, "primaryDomain"),
            ({"primaryDomain": None}, "primaryDomain"),
            ({"primaryDomain": "localhost"}, "primaryDomain"),
            ({"primaryDomain": "-a.com"}, "primaryDomain"),
            ({"primaryDomain": "a-.com"}, "primaryDomain"),
            ({"primaryDomain": "a..com"}, "primaryDomain"),
            ({"primaryDomain": ".a.com"}, "primaryDomain"),
            ({"primaryDomain": "1.2.3.4"}, "primaryDomain"),
            ({"primaryDomain": "exa mple.com"}, "primaryDomain"),
            ({"primaryDomain": "a_b.com"}, "primaryDomain"),
            ({"primaryDomain": "http://acme.com"}, "primaryDomain"),
            ({"primaryDomain": "acme.com/path"}, "primaryDomain"),
            ({"primaryDomain": "user@acme.com"}, "primaryDomain"),
            ({"primaryDomain": ("a" * 63 + ".") * 3 + "a" * 62}, "primaryDomain"),
            ({"primaryDomain": ("a" * 63 + ".") * 3 + "a" * 70}, "primaryDomain"),
            ({"primaryDomain": "b" * 64 + ".com"}, "primaryDomain"),
            ({"website": "ftp://acme.com"}, "website"),
            ({"website": "acme.com"}, "website"),
            ({"website": "javascript:alert(1)"}, "website"),
            ({"website": "https://"}, "website"),
            ({"website": "https://acme.com/a b"}, "website"),
            ({"website": "https://acme.com/" + "p" * 2048}, "website"),
            ({"industry": "i" * 256}, "industry"),
            ({"description": "d" * 32769}, "description"),
            ({"metadata": []}, "metadata"),
            ({"metadata": "text"}, "metadata"),
            ({"metadata": None}, "metadata"),
            ({"metadata": {"blob": "x" * (16 * 1024)}}, "metadata"),
            ({"metadata": {"nested": {"bad": "a\u0000b"}}}, "metadata"),
            ({"name": "Acme\u0000"}, "name"),
            ({"primaryDomain": "acme\u0000.com"}, "primaryDomain"),
            ({"industry": "soft\u0000ware"}, "industry"),
            ({"description": "\u0000"}, "description"),
            ({"website": "https://acme.com/\u0000"}, "website"),
        ],
    )
    async def test_a_bad_field_is_422_naming_it_and_creates_nothing(
        self, client, tenant, overrides, field
    ):
        response = await client.post(
            "/v1/accounts", json=account_body(**overrides), headers=tenant.headers
        )
        assert_problem(response, 422, field)
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize("missing", ["name", "primaryDomain"])
    async def test_a_required_field_left_out_is_422(self, client, tenant, missing):
        body = account_body()
        del body[missing]
        response = await client.post("/v1/accounts", json=body, headers=tenant.headers)
        assert_problem(response, 422, missing)
        await assert_no_accounts(client, tenant.headers)

    async def test_every_bad_field_is_named_at_once(self, client, tenant):
        body = {"name": "", "primaryDomain": "localhost", "website": "ftp://x.com", "colour": 1}
        response = await client.post("/v1/accounts", json=body, headers=tenant.headers)
        assert_problem(response, 422, "name", "primaryDomain", "website", "colour")

    async def test_an_unknown_field_is_422_naming_it(self, client, tenant):
        body = account_body(primaryDomainn="typo.com")
        response = await client.post("/v1/accounts", json=body, headers=tenant.headers)
        problem = assert_problem(response, 422, "primaryDomainn")
        assert problem["errors"][0]["message"] == "Unknown field."
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("id", "1"),
            ("uid", "01J0000000000000000000000A"),
            ("isActive", True),
            ("creatorId", "1"),
            ("createdAt", "2026-01-01T00:00:00Z"),
            ("updatedAt", "2026-01-01T00:00:00Z"),
            ("deletedAt", None),
        ],
    )
    async def test_a_read_only_field_is_422_saying_so(self, client, tenant, field, value):
        response = await client.post(
            "/v1/accounts", json=account_body(**{field: value}), headers=tenant.headers
        )
        problem = assert_problem(response, 422, field)
        assert "read-only" in problem["errors"][0]["message"].lower()
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
    async def test_metadata_with_nan_or_infinity_is_422(self, client, tenant, number):
        raw = json.dumps(account_body(metadata={"score": [number]}))
        response = await client.post(
            "/v1/accounts",
            content=raw,
            headers={**tenant.headers, "Content-Type": "application/json"},
        )
        assert_problem(response, 422, "metadata")
        await assert_no_accounts(client, tenant.headers)


def nested(levels):
    """A metadata object whose objects and arrays nest exactly `levels` deep (itself is 1)."""
    value = []
    for _ in range(levels - 2):
        value = [value]
    return {"deep": value}


class TestMetadataNesting:
    @pytest.mark.parametrize("levels", [33, 300])
    async def test_metadata_nested_too_deep_is_422(self, client, tenant, levels):
        response = await client.post(
            "/v1/accounts", json=account_body(metadata=nested(levels)), headers=tenant.headers
        )
        assert_problem(response, 422, "metadata")
        await assert_no_accounts(client, tenant.headers)

    async def test_metadata_nested_32_deep_is_stored_and_read_back(self, client, tenant):
        account = await create_account(client, tenant.headers, metadata=nested(32))
        assert account["metadata"] == nested(32)
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert listed.json()["data"] == [account]

    @pytest.mark.parametrize(
        ("raw", "field"),
        [
            ('{"name": "\\ud800 Acme", "primaryDomain": "surrogate.com"}', "name"),
            ('{"name": "A", "primaryDomain": "x.com", "metadata": {"\\udfff": 1}}', "metadata"),
            ('{"name": "A", "primaryDomain": "x.com", "industry": "\\udc00"}', "industry"),
        ],
    )
    async def test_a_lone_surrogate_is_422(self, client, tenant, raw, field):
        response = await client.post(
            "/v1/accounts",
            content=raw.encode(),
            headers={**tenant.headers, "Content-Type": "application/json"},
        )
        assert_problem(response, 422, field)
        await assert_no_accounts(client, tenant.headers)

    async def test_big_integers_in_metadata_round_trip(self, client, tenant):
        metadata = {"big": 10**30, "negative": -(2**70), "float": 0.125}
        account = await create_account(client, tenant.headers, metadata=metadata)
        assert account["metadata"] == metadata
        again = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert again.json()["metadata"] == metadata


class TestPrimaryDomainIsUniqueAmongLiveAccounts:
    async def test_concurrent_creates_of_one_domain_make_exactly_one_account(self, client, tenant):
        domain = unique("race") + ".com"
        responses = await asyncio.gather(
            *(
                client.post(
                    "/v1/accounts", json=account_body(primaryDomain=domain), headers=tenant.headers
                )
                for _ in range(6)
            )
        )
        assert sorted(response.status_code for response in responses) == [201] + [409] * 5
        listed = await client.get("/v1/accounts", headers=tenant.headers)
        assert [row["primaryDomain"] for row in listed.json()["data"]] == [domain]

    async def test_the_same_domain_in_another_case_is_409_and_creates_nothing(self, client, tenant):
        domain = unique("acme") + ".com"
        first = await create_account(client, tenant.headers, primaryDomain=domain)
        response = await client.post(
            "/v1/accounts",
            json=account_body(name="Copy", primaryDomain=domain.upper() + "."),
            headers=tenant.headers,
        )
        assert_problem(response, 409)
        listed = (await client.get("/v1/accounts", headers=tenant.headers)).json()["data"]
        assert listed == [first]

    async def test_a_soft_deleted_accounts_domain_may_be_used_again(self, client, tenant):
        domain = unique("reuse") + ".com"
        first = await create_account(client, tenant.headers, primaryDomain=domain)
        deleted = await client.delete(f"/v1/accounts/{first['id']}", headers=tenant.headers)
        assert deleted.status_code == 204
        second = await create_account(client, tenant.headers, primaryDomain=domain)
        assert second["id"] != first["id"]
        assert second["primaryDomain"] == domain

    async def test_another_organization_may_use_the_same_domain(self, client, tenant, other_tenant):
        domain = unique("shared") + ".com"
        await create_account(client, tenant.headers, primaryDomain=domain)
        theirs = await create_account(client, other_tenant.headers, primaryDomain=domain)
        assert theirs["primaryDomain"] == domain


class TestCreatedAccount:
    async def test_it_is_201_with_location_and_every_field(self, client, tenant):
        body = account_body(
            name="  Initech  ",
            industry="Software",
            description="Makes TPS reports",
            website="https://initech.example/about?x=1",
            metadata={"tier": "gold", "seats": 12, "tags": ["a", "b"]},
        )
        response = await client.post("/v1/accounts", json=body, headers=tenant.headers)
        assert response.status_code == 201, response.text
        account = response.json()
        assert set(account) == ACCOUNT_FIELDS
        assert response.headers["location"] == f"/v1/accounts/{account['id']}"
        assert account["id"].isdigit()
        assert len(account["uid"]) == 26
        assert account["name"] == "Initech"
        assert account["primaryDomain"] == body["primaryDomain"]
        assert account["industry"] == "Software"
        assert account["description"] == "Makes TPS reports"
        assert account["website"] == "https://initech.example/about?x=1"
        assert account["metadata"] == {"tier": "gold", "seats": 12, "tags": ["a", "b"]}
        assert account["isActive"] is True
        assert account["creatorId"] == tenant.user_id
        assert account["createdAt"].endswith("Z")
        assert account["updatedAt"] == account["createdAt"]
        assert account["deletedAt"] is None
        assert account["lastActivityAt"] is None
        assert account["nextActivityAt"] is None
        assert account["openActivities"] == 0

    async def test_optional_fields_default_to_null_and_empty_metadata(self, client, tenant):
        account = await create_account(client, tenant.headers)
        assert account["industry"] is None
        assert account["description"] is None
        assert account["website"] is None
        assert account["metadata"] == {}

    async def test_the_domain_is_stored_lower_cased_without_the_trailing_dot(self, client, tenant):
        name = unique("MiXeD")
        account = await create_account(client, tenant.headers, primaryDomain=f"WWW.{name}.COM.")
        assert account["primaryDomain"] == f"www.{name.lower()}.com"

    @pytest.mark.parametrize(
        "domain",
        [
            "xn--bcher-kva.example",
            "a-b.co.uk",
            "3com.com",
            ("a" * 63 + ".") * 3 + "a" * 61,
        ],
    )
    async def test_a_valid_domain_is_accepted(self, client, tenant, domain):
        account = await create_account(client, tenant.headers, primaryDomain=domain)
        assert account["primaryDomain"] == domain

    async def test_limits_are_inclusive(self, client, tenant):
        account = await create_account(
            client,
            tenant.headers,
            name="n" * 255,
            industry="i" * 255,
            description="d" * 32768,
            website="http://acme.example/",
        )
        assert len(account["name"]) == 255
        assert len(account["description"]) == 32768

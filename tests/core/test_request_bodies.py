"""Bodies every endpoint refuses the same way: not JSON (400), not an object (400), wrong type
(415), too large (413); and none of them ever reaches a handler or changes anything."""

import json

import pytest

from tests.factories import account_body, activity_body, assert_problem, create_account

MIB = 1024 * 1024


def with_type(headers, content_type):
    return {**headers, "Content-Type": content_type}


async def assert_no_accounts(client, headers):
    listed = await client.get("/v1/accounts", headers=headers)
    assert listed.json()["data"] == []


class TestNotAJsonObject:
    @pytest.mark.parametrize(
        "content",
        [
            b"{",
            b'{"name": "Acme",}',
            b"{'name': 'Acme'}",
            b'{"name": "Acme"} trailing',
            b"\xff\xfe{}",
            b"nul\x00",
        ],
    )
    async def test_malformed_json_is_400(self, client, tenant, content):
        response = await client.post(
            "/v1/accounts",
            content=content,
            headers=with_type(tenant.headers, "application/json"),
        )
        assert_problem(response, 400)
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize("content", [b"[]", b'[{"name": "Acme"}]', b'"acme"', b"42", b"true"])
    async def test_a_json_body_that_is_not_an_object_is_400(self, client, tenant, content):
        response = await client.post(
            "/v1/accounts",
            content=content,
            headers=with_type(tenant.headers, "application/json"),
        )
        assert_problem(response, 400)
        await assert_no_accounts(client, tenant.headers)

    async def test_a_json_null_body_is_400(self, client, tenant):
        response = await client.post(
            "/v1/accounts", content=b"null", headers=with_type(tenant.headers, "application/json")
        )
        assert_problem(response, 400)

    @pytest.mark.parametrize("content_type", [None, "application/json"])
    async def test_an_empty_body_on_post_is_400(self, client, tenant, content_type):
        headers = (
            tenant.headers if content_type is None else with_type(tenant.headers, content_type)
        )
        response = await client.post("/v1/accounts", headers=headers)
        assert_problem(response, 400)
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize("method", ["PATCH", "PUT"])
    async def test_non_objects_are_400_on_patch_and_put_too(self, client, tenant, method):
        account = await create_account(client, tenant.headers)
        response = await client.request(
            method,
            f"/v1/accounts/{account['id']}",
            content=b"[1, 2]",
            headers=with_type(tenant.headers, "application/json"),
        )
        assert_problem(response, 400)
        unchanged = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert unchanged.json() == account

    @pytest.mark.parametrize("depth", [100_000, 2_000, 300])
    async def test_deeply_nested_json_is_a_client_error(self, client, tenant, depth):
        top = b"[" * depth + b"]" * depth
        response = await client.post(
            "/v1/accounts", content=top, headers=with_type(tenant.headers, "application/json")
        )
        assert 400 <= response.status_code < 500
        assert_problem(response, response.status_code)
        inner = json.dumps(account_body(metadata={"deep": "HOLE"})).encode()
        nested = inner.replace(b'"HOLE"', b"[" * depth + b"]" * depth)
        response = await client.post(
            "/v1/accounts", content=nested, headers=with_type(tenant.headers, "application/json")
        )
        assert 400 <= response.status_code < 500
        assert_problem(response, response.status_code)
        await assert_no_accounts(client, tenant.headers)


class TestContentType:
    @pytest.mark.parametrize(
        "content_type",
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/json-patch+json",
            "application/json; charset=latin-1",
            "text/json",
        ],
    )
    async def test_a_body_that_is_not_json_is_415(self, client, tenant, content_type):
        response = await client.post(
            "/v1/accounts",
            content=json.dumps(account_body()).encode(),
            headers=with_type(tenant.headers, content_type),
        )
        assert_problem(response, 415)
        await assert_no_accounts(client, tenant.headers)

    async def test_a_body_without_a_content_type_is_415(self, client, tenant):
        response = await client.post(
            "/v1/accounts", content=json.dumps(account_body()).encode(), headers=tenant.headers
        )
        assert "content-type" not in response.request.headers
        assert_problem(response, 415)
        await assert_no_accounts(client, tenant.headers)

    @pytest.mark.parametrize(
        "content_type",
        [
            "application/json",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
            "Application/JSON",
        ],
    )
    async def test_json_with_or_without_utf8_charset_is_accepted(
        self, client, tenant, content_type
    ):
        response = await client.post(
            "/v1/accounts",
            content=json.dumps(account_body()).encode(),
            headers=with_type(tenant.headers, content_type),
        )
        assert response.status_code == 201, response.text

    async def test_the_415_applies_to_patch_and_changes_nothing(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.patch(
            f"/v1/accounts/{account['id']}",
            content=b"industry=Changed",
            headers=with_type(tenant.headers, "application/x-www-form-urlencoded"),
        )
        assert_problem(response, 415)
        unchanged = await client.get(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert unchanged.json() == account


def oversized_body(size):
    body = account_body(description="d" * size)
    return json.dumps(body).encode()


class TestBodySize:
    async def test_a_body_over_1_mib_announced_by_content_length_is_413(self, client, tenant):
        content = oversized_body(MIB)
        assert len(content) > MIB
        response = await client.post(
            "/v1/accounts", content=content, headers=with_type(tenant.headers, "application/json")
        )
        assert response.request.headers["content-length"] == str(len(content))
        assert_problem(response, 413)
        await assert_no_accounts(client, tenant.headers)

    async def test_a_streamed_body_over_1_mib_is_413(self, client, tenant):
        content = oversized_body(MIB)

        async def chunks():
            for start in range(0, len(content), 64 * 1024):
                yield content[start : start + 64 * 1024]

        response = await client.post(
            "/v1/accounts", content=chunks(), headers=with_type(tenant.headers, "application/json")
        )
        assert "content-length" not in response.request.headers
        assert response.request.headers["transfer-encoding"] == "chunked"
        assert_problem(response, 413)
        await assert_no_accounts(client, tenant.headers)

    async def test_an_activity_body_over_1_mib_is_413_too(self, client, tenant):
        account = await create_account(client, tenant.headers)
        content = json.dumps(activity_body(account["id"], description="x" * MIB)).encode()
        response = await client.post(
            "/v1/activities",
            content=content,
            headers=with_type(tenant.headers, "application/json"),
        )
        assert_problem(response, 413)

    async def test_a_streamed_body_under_the_limit_is_read(self, client, tenant):
        content = json.dumps(account_body(description="d" * 1000)).encode()

        async def chunks():
            yield content[:10]
            yield content[10:]

        response = await client.post(
            "/v1/accounts", content=chunks(), headers=with_type(tenant.headers, "application/json")
        )
        assert response.status_code == 201, response.text

    async def test_a_body_of_exactly_1_mib_is_not_refused_for_its_size(self, client, tenant):
        content = json.dumps(account_body()).encode()
        content = content[:-1] + b" " * (MIB - len(content)) + b"}"
        assert len(content) == MIB
        response = await client.post(
            "/v1/accounts", content=content, headers=with_type(tenant.headers, "application/json")
        )
        assert response.status_code == 201, response.text

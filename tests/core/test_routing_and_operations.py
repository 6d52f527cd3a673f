"""Unknown routes and methods are problems too; probes and docs need no credentials."""

import pytest

from tests.factories import assert_problem

CONTRACT_OPERATIONS = {
    "/healthz": {"get"},
    "/readyz": {"get"},
    "/v1/auth/token": {"post"},
    "/v1/auth/accept-invitation": {"post"},
    "/v1/members": {"get", "post"},
    "/v1/members/invitations": {"get"},
    "/v1/members/invitations/{invitation_id}": {"delete"},
    "/v1/accounts": {"get", "post"},
    "/v1/accounts/{account_id}": {"get", "patch", "put", "delete"},
    "/v1/accounts/{account_id}/restore": {"post"},
    "/v1/accounts/{account_id}/activities": {"get"},
    "/v1/activities": {"get", "post"},
    "/v1/activities/{activity_id}": {"get", "patch", "put", "delete"},
    "/v1/activities/{activity_id}/restore": {"post"},
}


WITHOUT_BEARER = {"/v1/auth/token", "/v1/auth/accept-invitation"}


def expected_headers(path):
    base = {"X-API-Key", "X-Org-Id"}
    return base if path in WITHOUT_BEARER else base | {"Authorization"}


def v1_security(document):
    """{(method, path): [set of header names of each security requirement object]}."""
    schemes = document["components"]["securitySchemes"]

    def header(name):
        scheme = schemes[name]
        return "Authorization" if scheme.get("scheme") == "bearer" else scheme["name"]

    return {
        (method, path): [{header(name) for name in requirement} for requirement in op["security"]]
        for path, operations in document["paths"].items()
        if path.startswith("/v1/")
        for method, op in operations.items()
    }


class TestUnknownRoutesAndMethods:
    @pytest.mark.parametrize(
        "path", ["/nope", "/v1/nope", "/v2/accounts", "/v1/accounts/1/nope", "/v1/contactz"]
    )
    async def test_an_unknown_route_is_a_404_problem(self, client, tenant, path):
        response = await client.get(path, headers=tenant.headers)
        problem = assert_problem(response, 404)
        assert problem["instance"] == path

    async def test_an_unknown_route_is_404_without_credentials_too(self, client):
        assert_problem(await client.get("/v1/nope"), 404)

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("DELETE", "/v1/accounts"),
            ("PUT", "/v1/accounts"),
            ("POST", "/v1/accounts/1"),
            ("GET", "/v1/accounts/1/restore"),
            ("GET", "/v1/auth/token"),
            ("PATCH", "/v1/activities"),
            ("POST", "/healthz"),
        ],
    )
    async def test_a_wrong_method_is_a_405_problem_with_allow(self, client, tenant, method, path):
        body = {} if method in ("POST", "PUT", "PATCH") else None
        response = await client.request(method, path, json=body, headers=tenant.headers)
        assert_problem(response, 405)
        assert response.headers["allow"]
        assert method not in response.headers["allow"]


class TestProbes:
    async def test_healthz_needs_no_credentials(self, client):
        response = await client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    async def test_readyz_needs_no_credentials_and_reaches_the_database(self, client):
        response = await client.get("/readyz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    async def test_probes_ignore_bad_credentials(self, client):
        headers = {"Authorization": "Bearer garbage", "X-API-Key": "nope", "X-Org-Id": "x"}
        for path in ("/healthz", "/readyz"):
            assert (await client.get(path, headers=headers)).status_code == 200


class TestDocumentation:
    async def test_openapi_lists_every_endpoint_of_the_contract(self, client):
        response = await client.get("/openapi.json")
        assert response.status_code == 200
        paths = response.json()["paths"]
        listed = {path: set(operations) for path, operations in paths.items()}
        for path, methods in CONTRACT_OPERATIONS.items():
            assert path in listed, path
            assert methods <= listed[path], path

    async def test_every_v1_operation_documents_the_three_headers(self, client):
        document = (await client.get("/openapi.json")).json()
        for (method, path), requirements in v1_security(document).items():
            documented = set().union(*requirements)
            assert documented >= expected_headers(path), (method, path, requirements)

    async def test_every_v1_operation_requires_its_headers_together(self, client):
        document = (await client.get("/openapi.json")).json()
        for (method, path), requirements in v1_security(document).items():
            assert any(r >= expected_headers(path) for r in requirements), (method, path)

    async def test_every_operation_has_a_description(self, client):
        document = (await client.get("/openapi.json")).json()
        for path, operations in document["paths"].items():
            for method, operation in operations.items():
                assert operation.get("description") or operation.get("summary"), (method, path)

    async def test_docs_serve_html_without_credentials(self, client):
        response = await client.get("/docs")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "/openapi.json" in response.text

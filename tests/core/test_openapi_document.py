"""The OpenAPI document says exactly what the service does (contract section 16)."""

import re

import pytest
from openapi_spec_validator import validate

from tests.factories import (
    account_body,
    activity_body,
    assert_problem,
    create_account,
)

METHODS = {"get", "put", "post", "delete", "patch"}


@pytest.fixture
async def document(client):
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def problem_response(operation, status):
    response = operation["responses"].get(str(status))
    assert response is not None, status
    schema = response["content"]["application/problem+json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/Problem"}
    return response


class TestTheDocument:
    async def test_it_is_valid_openapi_3_1(self, document):
        assert document["openapi"].startswith("3.1")
        validate(document)

    async def test_fastapis_default_validation_error_is_gone(self, document):
        schemas = document["components"]["schemas"]
        assert "HTTPValidationError" not in schemas
        assert "ValidationError" not in schemas
        assert set(schemas["Problem"]["required"]) == {
            "type",
            "title",
            "status",
            "detail",
            "instance",
        }

    async def test_every_operation_has_a_stable_readable_operation_id(self, document):
        ids = [operation["operationId"] for _, _, operation in operations(document)]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"[a-z][A-Za-z]+", value) for value in ids), ids
        assert {"createActivity", "getActivity", "listAccounts", "issueToken"} <= set(ids)


class TestErrorResponses:
    async def test_every_v1_operation_documents_401_and_503_as_problems(self, document):
        for _method, path, operation in operations(document):
            if not path.startswith("/v1/"):
                continue
            unauthorized = problem_response(operation, 401)
            assert "WWW-Authenticate" in unauthorized["headers"]
            unavailable = problem_response(operation, 503)
            assert "Retry-After" in unavailable["headers"]
            problem_response(operation, 422)
            problem_response(operation, 403)

    async def test_operations_with_a_body_document_400_413_415(self, document):
        for _method, _path, operation in operations(document):
            if "requestBody" in operation:
                for status in (400, 413, 415):
                    problem_response(operation, status)

    async def test_paths_with_an_id_document_404(self, document):
        for _method, path, operation in operations(document):
            if "{" in path:
                problem_response(operation, 404)

    async def test_conflicts_and_sign_in_limits_are_documented_where_they_apply(self, document):
        paths = document["paths"]
        problem_response(paths["/v1/accounts"]["post"], 409)
        problem_response(paths["/v1/accounts/{account_id}"]["delete"], 409)
        problem_response(paths["/v1/contacts"]["post"], 409)
        problem_response(paths["/v1/activities/{activity_id}/restore"]["post"], 409)
        problem_response(paths["/v1/auth/token"]["post"], 429)
        assert "409" not in paths["/v1/activities"]["post"]["responses"]
        assert "429" not in paths["/v1/activities"]["get"]["responses"]


class TestSuccessResponses:
    async def test_a_create_answers_201_with_location_and_links(self, document):
        created = document["paths"]["/v1/activities"]["post"]["responses"]["201"]
        assert "Location" in created["headers"]
        links = created["links"]
        for operation_id in (
            "getActivity",
            "updateActivity",
            "replaceActivity",
            "deleteActivity",
            "restoreActivity",
            "activityHistory",
        ):
            assert links[operation_id]["operationId"] == operation_id
            assert links[operation_id]["parameters"] == {"activity_id": "$response.body#/id"}

    async def test_204_has_no_body(self, document):
        for _method, _path, operation in operations(document):
            if "204" in operation["responses"]:
                assert "content" not in operation["responses"]["204"]

    async def test_output_ids_are_digits_and_timestamps_date_times(self, document):
        activity = document["components"]["schemas"]["Activity"]["properties"]
        assert activity["id"]["pattern"] == "^[1-9][0-9]{0,18}$"
        assert activity["createdAt"]["format"] == "date-time"
        assert {"type": "null"} in activity["deletedAt"]["anyOf"]


class TestRequestSchemas:
    @pytest.mark.parametrize(
        ("schema", "fields"),
        [
            ("ActivityUpdate", ["accountId", "activityTimestamp", "duration", "location"]),
            ("AccountUpdate", ["name", "primaryDomain", "isActive"]),
            ("ContactUpdate", ["accountId", "firstName", "email", "isActive"]),
        ],
    )
    async def test_patch_fields_refused_as_null_are_not_nullable(self, document, schema, fields):
        properties = document["components"]["schemas"][schema]["properties"]
        for field in fields:
            assert "null" not in str(properties[field]), (schema, field)
        # Fields where null clears or resets stay nullable.
        assert any("null" in str(value) for value in properties.values())

    async def test_bodies_refuse_unknown_fields(self, document):
        for name in ("ActivityCreate", "ActivityUpdate", "AccountCreate", "ContactCreate"):
            assert document["components"]["schemas"][name]["additionalProperties"] is False

    @pytest.mark.parametrize(
        ("path", "name", "values"),
        [
            ("/v1/activities", "type", {"CALL", "EMAIL", "TRAINING"}),
            ("/v1/activities", "status", {"PENDING", "COMPLETED", "CANCELLED"}),
            ("/v1/accounts/{account_id}/activities", "type", {"CALL", "MEETING"}),
            ("/v1/contacts", "contactType", {"PRIMARY", "OTHER"}),
        ],
    )
    async def test_multi_value_filters_carry_their_enums(self, document, path, name, values):
        parameters = document["paths"][path]["get"]["parameters"]
        parameter = next(p for p in parameters if p["name"] == name)
        assert parameter["style"] == "form"
        assert parameter["explode"] is False
        assert values <= set(parameter["schema"]["items"]["enum"])

    async def test_sort_and_limit_are_bounded(self, document):
        parameters = {
            p["name"]: p for p in document["paths"]["/v1/activities"]["get"]["parameters"]
        }
        assert "-activityTimestamp" in parameters["sort"]["schema"]["enum"]
        assert parameters["limit"]["schema"]["minimum"] == 1
        assert parameters["limit"]["schema"]["maximum"] == 200

    @pytest.mark.parametrize(
        ("value", "matches"),
        [
            ("1", True),
            ("0042", True),
            ("9223372036854775807", True),
            ("9223372036854775808", False),
            ("0", False),
            ("00000000000000000001", False),
            ("-1", False),
            ("1.0", False),
        ],
    )
    async def test_the_id_pattern_is_exactly_what_the_service_accepts(
        self, document, value, matches
    ):
        schema = document["components"]["schemas"]["ActivityCreate"]["properties"]["accountId"]
        pattern = schema["anyOf"][0]["pattern"]
        assert bool(re.search(pattern, value)) is matches


class TestMethodNotAllowed:
    @pytest.mark.parametrize(
        ("method", "path", "allowed"),
        [
            ("OPTIONS", "/v1/activities", "GET, POST"),
            ("OPTIONS", "/v1/activities/1", "DELETE, GET, PATCH, PUT"),
            ("TRACE", "/v1/members/5", "DELETE, PATCH"),
            ("OPTIONS", "/v1/accounts/1/activities", "GET"),
            ("PUT", "/healthz", "GET"),
        ],
    )
    async def test_an_unsupported_method_is_405_with_every_method_of_the_path(
        self, client, method, path, allowed
    ):
        response = await client.request(method, path)
        assert_problem(response, 405)
        assert response.headers["allow"] == allowed

    async def test_an_unknown_path_stays_404(self, client):
        assert_problem(await client.options("/v1/nothing"), 404)


class TestDocsOffline:
    async def test_docs_and_every_asset_they_reference_come_from_the_service(self, client):
        page = await client.get("/docs")
        assert page.status_code == 200
        assert not re.search(r"https?://", page.text)
        assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(assets) >= 3
        for asset in assets:
            response = await client.get(asset)
            assert response.status_code == 200, asset
            assert response.content

    async def test_redoc_is_not_offered(self, client):
        assert (await client.get("/redoc")).status_code == 404


class TestTheServiceRefusesWhatTheDocumentRefuses:
    @pytest.mark.parametrize(
        ("path", "query", "field"),
        [
            ("/v1/accounts", {"cursor": ""}, "cursor"),
            ("/v1/accounts", {"isActive": "1"}, "isActive"),
            ("/v1/contacts", {"includeDeleted": "on"}, "includeDeleted"),
            ("/v1/api-keys", {"includeRevoked": "yes"}, "includeRevoked"),
            ("/v1/contacts", {"contactType": "PRIMARY,"}, "contactType"),
            ("/v1/activities", {"status": " PENDING"}, "status"),
        ],
    )
    async def test_query_values_outside_the_schema_are_422(
        self, client, tenant, path, query, field
    ):
        response = await client.get(path, params=query, headers=tenant.headers)
        assert_problem(response, 422, field)

    async def test_a_json_integer_id_beyond_2_53_must_be_a_string(self, client, tenant):
        body = activity_body("1", accountId=2**53)
        response = await client.post("/v1/activities", json=body, headers=tenant.headers)
        assert_problem(response, 422, "accountId")

    async def test_a_non_integer_duration_is_refused(self, client, tenant):
        account = await create_account(client, tenant.headers)
        for duration in ("30.0", "3e1"):
            content = (
                f'{{"accountId": "{account["id"]}", "activityTimestamp": "2026-01-01T00:00:00Z", '
                f'"duration": {duration}, "location": "Zoom"}}'
            )
            response = await client.post(
                "/v1/activities",
                content=content,
                headers={**tenant.headers, "Content-Type": "application/json"},
            )
            assert_problem(response, 422, "duration")

    @pytest.mark.parametrize("domain", ["a.1b", "10.0.0.1"])
    async def test_a_domain_whose_last_label_is_not_a_name_is_refused(self, client, tenant, domain):
        body = account_body(primaryDomain=domain)
        response = await client.post("/v1/accounts", json=body, headers=tenant.headers)
        assert_problem(response, 422, "primaryDomain")

"""The OpenAPI document, made exact in one place.

FastAPI generates the paths and the bodies from the routes and their Pydantic models. This module
then adds what the routes do not say one by one, from rules every operation shares:

- every error status an operation can answer, as `application/problem+json` (the `Problem`
  component), chosen by method, path, security and body, plus a small table of extras (409);
- the three credentials required together (one dependency reads them: `CREDENTIAL_SCHEMES`);
  `WWW-Authenticate` on 401, `Retry-After` on 503;
- `Location` on 201 and OpenAPI links from each create to the operations on what it created;
- stable operation ids (`createActivity`, `getActivity`), from the handlers' names;
- parameters that say exactly what is accepted: ids and uids by pattern, enums of
  comma-separated filters as `explode: false` arrays, no `null` in a query string.
"""

import copy
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic.alias_generators import to_camel

from touchpoint.core.fields import JSON_VALUE_SCHEMA, REFERENCE_SCHEMA
from touchpoint.core.problems import PROBLEM_MEDIA_TYPE

_BODY_METHODS = frozenset({"post", "put", "patch"})
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "An error, as RFC 9457 application/problem+json.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "examples": ["/problems/validation"]},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request's path."},
        "errors": {
            "type": "array",
            "description": "Every bad field, by its JSON path as the client wrote it.",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

_DESCRIPTIONS = {
    400: "The body is not JSON or not a JSON object, or the cursor is not one this service issued.",
    401: "A credential is missing, invalid, expired or revoked.",
    403: "The user is not a member of the organization, or the role may not do this.",
    404: "Nothing of the organization has this id.",
    409: "The change conflicts with the current state.",
    413: "The body is larger than the limit.",
    415: "The body is not application/json.",
    422: "A field, parameter or reference is invalid; `errors` names each.",
    429: "Too many attempts; retry after the time given.",
    503: "The database is busy or unreachable; retry shortly.",
}
_WWW_AUTHENTICATE = {
    "description": "The authentication scheme to use: Bearer.",
    "schema": {"type": "string"},
}
_RETRY_AFTER = {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}

# Statuses only some operations answer, beyond what the shared rules derive.
EXTRA_STATUSES: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/v1/auth/token"): (429,),
    ("post", "/v1/auth/accept-invitation"): (409, 429),
    ("delete", "/v1/members/invitations/{invitation_id}"): (409,),
    ("post", "/v1/accounts"): (409,),
    ("put", "/v1/accounts/{account_id}"): (409,),
    ("patch", "/v1/accounts/{account_id}"): (409,),
    ("delete", "/v1/accounts/{account_id}"): (409,),
    ("post", "/v1/accounts/{account_id}/restore"): (409,),
    ("post", "/v1/activities/{activity_id}/restore"): (409,),
    ("post", "/v1/activities/{activity_id}/complete"): (409,),
    ("post", "/v1/contacts"): (409,),
    ("put", "/v1/contacts/{contact_id}"): (409,),
    ("patch", "/v1/contacts/{contact_id}"): (409,),
    ("post", "/v1/contacts/{contact_id}/restore"): (409,),
    ("post", "/v1/members"): (409,),
    ("patch", "/v1/members/{user_id}"): (409,),
    ("delete", "/v1/members/{user_id}"): (409,),
}
# The property of a create's answer that names what it created, by the item path's parameter.
_LINK_FIELDS = {"user_id": "userId"}
# Members, API keys and invitations have no uid: their paths take the id only.
_ID_ONLY_PARAMETERS = frozenset({"user_id", "key_id", "invitation_id"})
# Creates whose item lives elsewhere than under the create's own path.
_ITEM_PATHS = {"/v1/members": "/v1/members/invitations"}


def _problem(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _DESCRIPTIONS[status],
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if status == 401:
        response["headers"] = {"WWW-Authenticate": _WWW_AUTHENTICATE}
    if status in (429, 503):
        response["headers"] = {"Retry-After": _RETRY_AFTER}
    return response


# The credentials, read by the tenant dependency (auth/dependencies.py) from the headers.
CREDENTIAL_SCHEMES: dict[str, Any] = {
    "BearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An access token from /v1/auth/token.",
    },
    "ApiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "The client application's API key.",
    },
    "OrganizationId": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Org-Id",
        "description": "The id of the organization to act in.",
    },
}
# Signing in and accepting an invitation are how a client gets its bearer token.
_WITHOUT_TOKEN = ("/v1/auth/",)


def _credentials(path: str, operation: dict[str, Any]) -> None:
    """Every /v1 operation needs its credentials together (one requirement naming them all:
    several would read as "any one of them")."""
    if not path.startswith("/v1/"):
        return
    schemes = [name for name in CREDENTIAL_SCHEMES if name != "BearerToken"]
    if not path.startswith(_WITHOUT_TOKEN):
        schemes.insert(0, "BearerToken")
    operation["security"] = [{name: [] for name in schemes}]


def error_statuses(method: str, path: str, operation: dict[str, Any]) -> list[int]:
    """Every error status the operation can answer."""
    statuses = {422}  # unknown query parameters are refused everywhere
    parameters = {parameter["name"] for parameter in operation.get("parameters", [])}
    if method in _BODY_METHODS:
        statuses |= {413, 415}
        if "requestBody" in operation:
            statuses.add(400)
    if "cursor" in parameters:
        statuses.add(400)
    if operation.get("security"):
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if path.startswith("/v1/"):
        statuses.add(503)
    statuses.update(EXTRA_STATUSES.get((method, path), ()))
    return sorted(statuses)


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query string cannot carry null: an optional parameter is simply left out."""
    options = schema.get("anyOf")
    if options is None:
        return schema
    kept = [option for option in options if option != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if len(kept) == 1:
        return {**rest, **kept[0]}
    return {**rest, "anyOf": kept}


def _parameters(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path" and parameter["name"] in _ID_ONLY_PARAMETERS:
            # Digits only: an id past 2^63-1 names nothing and is 404 like any unknown id.
            parameter["schema"] = {"type": "string", "pattern": "^[0-9]{1,19}$", "examples": ["42"]}
            parameter.setdefault("description", "The id (digits).")
            continue
        if parameter["in"] == "path":
            parameter["schema"] = copy.deepcopy(REFERENCE_SCHEMA)
            parameter.setdefault("description", "The id (digits) or the 26-character uid.")
            continue
        schema = _strip_null(parameter["schema"])
        schema.pop("title", None)
        parameter["schema"] = schema
        if schema.get("type") == "array":
            # One value, or several separated by commas: `type=CALL,EMAIL`.
            parameter["style"], parameter["explode"] = "form", False


def _success(method: str, path: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    for status, response in responses.items():
        response["description"] = {
            "200": "OK.",
            "201": "Created.",
            "204": "Done; no body.",
        }.get(status, response.get("description", ""))
        if status == "204":
            response.pop("content", None)
    if "201" in responses and method == "post":
        responses["201"]["headers"] = {
            "Location": {
                "description": "The path of what was created.",
                "schema": {"type": "string"},
            }
        }


def _created_schema(document: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any]:
    content = operation["responses"]["201"].get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    found: dict[str, Any] = document["components"]["schemas"].get(reference.rsplit("/", 1)[-1], {})
    return found


def _links(document: dict[str, Any]) -> None:
    """From each create (201) to every operation on the item it created, for stateful clients."""
    paths = document["paths"]
    for path, item in paths.items():
        create = item.get("post")
        if create is None or "201" not in create["responses"] or "{" in path:
            continue
        properties = _created_schema(document, create).get("properties", {})
        links: dict[str, Any] = {}
        prefix = _ITEM_PATHS.get(path, path) + "/{"
        for other_path, other_item in paths.items():
            if not other_path.startswith(prefix):
                continue
            parameter = other_path[len(prefix) :].split("}", 1)[0]
            if "{" in other_path[len(prefix) :]:
                continue  # a second parameter the create does not answer
            field = _LINK_FIELDS.get(parameter, "id")
            if field not in properties:
                continue
            for method in _METHODS:
                target = other_item.get(method)
                if target is None:
                    continue
                links[target["operationId"]] = {
                    "operationId": target["operationId"],
                    "parameters": {parameter: f"$response.body#/{field}"},
                }
        if links:
            create["responses"]["201"]["links"] = links


def _operation_ids(app: FastAPI, document: dict[str, Any]) -> None:
    """`createActivity`, `getActivity`…: the handler's name in camelCase, unique by design."""
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not route.name:
            continue
        for method in route.methods or ():
            operation = document["paths"].get(route.path_format, {}).get(method.lower())
            if operation is not None:
                operation["operationId"] = to_camel(route.name)


def build_document(app: FastAPI) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["JsonValue"] = JSON_VALUE_SCHEMA
    document["components"]["securitySchemes"] = CREDENTIAL_SCHEMES
    _operation_ids(app, document)
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            _credentials(path, operation)
            _parameters(operation)
            responses = operation["responses"]
            responses.pop("422", None)
            _success(method, path, operation)
            for status in error_statuses(method, path, operation):
                if str(status) not in responses:
                    responses[str(status)] = _problem(status)
    _links(document)
    return document


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

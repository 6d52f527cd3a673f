"""The OpenAPI document, with the three credentials required together on every operation."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi


def _all_together(operation: dict[str, Any]) -> None:
    # FastAPI lists each security dependency as its own requirement, which OpenAPI reads as
    # "any one of them"; the contract needs all of them on the same request.
    requirements = operation.get("security")
    if requirements and len(requirements) > 1:
        merged: dict[str, list[str]] = {}
        for requirement in requirements:
            merged.update(requirement)
        operation["security"] = [merged]


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            for path_item in document.get("paths", {}).values():
                for operation in path_item.values():
                    _all_together(operation)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

"""Refuses query parameters an endpoint does not declare, as unknown body fields are refused:
a misspelt `includeDeleted` or `cascade` must not silently do something else."""

from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from touchpoint.core.errors import FieldError, ValidationFailed


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def declared_query_parameters(route: APIRoute) -> frozenset[str]:
    """Every query parameter name of the route, its dependencies and its query models."""
    # Kept on the route itself: it is derived from code, the same in every worker.
    cached: frozenset[str] | None = getattr(route, "_declared_query_parameters", None)
    if cached is None:
        cached = _collect(route)
        route._declared_query_parameters = cached  # type: ignore[attr-defined]
    return cached


def _collect(route: APIRoute) -> frozenset[str]:
    names: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        for field in dependant.query_params:
            model = _model_of(field.field_info.annotation)
            if model is None:
                names.add(field.alias)
                continue
            names.update(info.alias or name for name, info in model.model_fields.items())
        pending.extend(dependant.dependencies)
    return frozenset(names)


async def refuse_unknown_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    declared = declared_query_parameters(route)
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in declared]
    if unknown:
        raise ValidationFailed([FieldError(name, "Unknown query parameter.") for name in unknown])

"""Refuses query parameters an endpoint does not declare, as unknown body fields are refused:
a misspelt `includeDeleted` or `cascade` must not silently do something else. And the one
parameter type that is not a plain field: a comma-separated list of an enum's values."""

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Optional

from annotated_types import GroupedMetadata
from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel, WithJsonSchema

from touchpoint.core.errors import FieldError, ValidationFailed


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


_BOOLEANS = (bool, bool | None, Optional[bool])  # noqa: UP045 (both spellings occur)


@dataclass(frozen=True, slots=True)
class QueryParameters:
    names: frozenset[str]
    booleans: frozenset[str]


def declared_query_parameters(route: APIRoute) -> frozenset[str]:
    """Every query parameter name of the route, its dependencies and its query models."""
    return _declared(route).names


def _declared(route: APIRoute) -> QueryParameters:
    # Kept on the route itself: it is derived from code, the same in every worker.
    cached: QueryParameters | None = getattr(route, "_declared_query_parameters", None)
    if cached is None:
        cached = _collect(route)
        route._declared_query_parameters = cached  # type: ignore[attr-defined]
    return cached


def _collect(route: APIRoute) -> QueryParameters:
    names: set[str] = set()
    booleans: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        for field in dependant.query_params:
            model = _model_of(field.field_info.annotation)
            if model is None:
                names.add(field.alias)
                if field.field_info.annotation in _BOOLEANS:
                    booleans.add(field.alias)
                continue
            for name, info in model.model_fields.items():
                names.add(info.alias or name)
                if info.annotation in _BOOLEANS:
                    booleans.add(info.alias or name)
        pending.extend(dependant.dependencies)
    return QueryParameters(frozenset(names), frozenset(booleans))


async def refuse_unknown_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not request.query_params or not isinstance(route, APIRoute):
        return
    declared = _declared(route)
    errors = [
        FieldError(name, "Unknown query parameter.")
        for name in dict.fromkeys(request.query_params.keys())
        if name not in declared.names
    ]
    # A boolean is `true` or `false`, as the document says: not `1`, `yes` or `on`.
    errors += [
        FieldError(name, "Must be true or false.")
        for name in declared.booleans
        if any(value not in ("true", "false") for value in request.query_params.getlist(name))
    ]
    if errors:
        raise ValidationFailed(errors)


@dataclass(frozen=True, slots=True)
class OneOrMore(GroupedMetadata):
    """A query parameter naming one value of `allowed`, or several separated by commas:
    write `Annotated[list[str], OneOrMore(ContactType, "contactType")]`.

    Each part must be one of the values exactly: an empty part (`type=` or `CALL,,EMAIL`) or one
    with spaces is refused, so the OpenAPI document (an array of the enum, `explode: false`)
    says exactly what is accepted."""

    allowed: type[StrEnum]
    label: str

    def __iter__(self) -> Iterator[object]:
        names = [member.value for member in self.allowed]
        label = self.label

        def check(values: list[str]) -> list[str]:
            chosen = [part for value in values for part in value.split(",")]
            unknown = [value for value in chosen if value not in names]
            if unknown:
                expected = ", ".join(names)
                raise ValueError(f"Unknown {label} '{unknown[0]}': expected one of {expected}.")
            return chosen

        # The description lives in the schema: a Field() nested in `X | None` would be ignored.
        description = f"One {label}, or several separated by commas."
        yield AfterValidator(check)
        yield WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": names},
                "minItems": 1,
                "description": description,
            }
        )

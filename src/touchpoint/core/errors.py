"""The one error hierarchy: each domain error carries its HTTP status; one handler renders it."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldError:
    """One bad input, named by its JSON path as the client wrote it (`participants[1].email`)."""

    field: str
    message: str


class TouchpointError(Exception):
    status: int = 500
    title: str = "Internal Server Error"
    slug: str = "internal"

    def __init__(
        self,
        detail: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers


class BadRequest(TouchpointError):
    status, title, slug = 400, "Bad Request", "bad-request"


class Unauthorized(TouchpointError):
    status, title, slug = 401, "Unauthorized", "unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="touchpoint"'})


class Forbidden(TouchpointError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(TouchpointError):
    status, title, slug = 404, "Not Found", "not-found"


class Conflict(TouchpointError):
    status, title, slug = 409, "Conflict", "conflict"


class TooManyRequests(TouchpointError):
    status, title, slug = 429, "Too Many Requests", "too-many-requests"

    def __init__(self, detail: str, retry_after_seconds: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after_seconds))})


class PayloadTooLarge(TouchpointError):
    status, title, slug = 413, "Payload Too Large", "payload-too-large"


class UnsupportedMediaType(TouchpointError):
    status, title, slug = 415, "Unsupported Media Type", "unsupported-media-type"


class ServiceUnavailable(TouchpointError):
    status, title, slug = 503, "Service Unavailable", "unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "1"})


class ValidationFailed(TouchpointError):
    status, title, slug = 422, "Unprocessable Content", "validation"

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        names = ", ".join(error.field for error in errors)
        super().__init__(detail or f"The request has invalid fields: {names}.", errors)


def within(prefix: str, error: ValidationFailed) -> ValidationFailed:
    """The same errors, about a part of the body: `ownerId` becomes `followUp.ownerId`."""
    return ValidationFailed(
        [FieldError(f"{prefix}.{field.field}", field.message) for field in error.errors or ()]
    )


def invalid_field(field: str, message: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, message)])

"""Refuses request bodies that are too large or not JSON before any handler reads them."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from touchpoint.core.errors import PayloadTooLarge, TouchpointError, UnsupportedMediaType
from touchpoint.core.problems import problem_response

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8"})


def _is_json(content_type: bytes | None) -> bool:
    if content_type is None:
        return False
    normalized = "; ".join(
        part.strip() for part in content_type.decode("latin-1").lower().split(";") if part.strip()
    )
    return normalized.replace('charset="utf-8"', "charset=utf-8") in _JSON_TYPES


class RequestBodyGuard:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        has_body = (length is not None and length != b"0") or b"transfer-encoding" in headers
        error = self._refusal(headers, length) if has_body else None
        if error is None and has_body and length is None:
            # A streamed body is read here: an error raised while FastAPI reads it becomes a 400.
            messages = await self._buffered(receive)
            if messages is None:
                error = self._too_large()
            else:
                receive = self._replaying(messages, receive)
        if error is not None:
            await problem_response(error, scope["path"])(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body must be at most {self.max_body_bytes} bytes.")

    async def _buffered(self, receive: Receive) -> list[Message] | None:
        """The messages of a body without Content-Length, or None once it passes the limit."""
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                return None
            if not message.get("more_body", False):
                return messages

    @staticmethod
    def _replaying(messages: list[Message], receive: Receive) -> Receive:
        pending = list(messages)

        async def replayed() -> Message:
            return pending.pop(0) if pending else await receive()

        return replayed

    def _refusal(self, headers: dict[bytes, bytes], length: bytes | None) -> TouchpointError | None:
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return self._too_large()
        if not _is_json(headers.get(b"content-type")):
            return UnsupportedMediaType("The request body must be JSON: application/json.")
        return None

    def _counting(self, receive: Receive) -> Receive:
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise self._too_large()
            return message

        return counted

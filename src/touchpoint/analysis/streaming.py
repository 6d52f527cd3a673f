"""A streamed body whose first chunk is made before the status line is sent.

Once `200` and the headers are on the wire, nothing can change them. So the export opens its
connection and runs its statement while making its first chunk, and this response waits for
that chunk before it answers: a database that is down or a pool that is exhausted is still
a `503` problem, rendered by the usual handlers. A failure after that (the connection lost
mid-stream) ends the response without its last chunk: the client sees a transfer cut short,
never a complete-looking file with rows missing.
"""

import logging
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from contextlib import aclosing

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

logger = logging.getLogger("touchpoint")


async def _then(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    yield first
    try:
        async for chunk in rest:
            yield chunk
    except Exception:
        # Raised on, never swallowed: ending quietly would send the last chunk and make a
        # truncated export look complete.
        logger.warning("a streamed response was cut short", exc_info=True)
        raise


class PrimedStreamingResponse(StreamingResponse):
    def __init__(
        self, chunks: AsyncGenerator[bytes, None], media_type: str, headers: Mapping[str, str]
    ) -> None:
        super().__init__(chunks, media_type=media_type, headers=headers)
        self._chunks = chunks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # aclosing: a client that goes away mid-stream gives the connection back at once,
        # not whenever the abandoned generator is collected.
        async with aclosing(self._chunks) as chunks:
            first = await anext(chunks, b"")
            self.body_iterator = _then(first, chunks)
            await super().__call__(scope, receive, send)

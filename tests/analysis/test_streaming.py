"""The export's response: its first chunk is made before the status is sent, so failing to
start is still a problem answer; failing later cuts the transfer short, never ends it cleanly.
"""

from contextlib import AsyncExitStack

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import exc as sqlalchemy_errors
from sqlalchemy import text

from tests.factories import PROBLEM_JSON
from touchpoint.analysis.streaming import PrimedStreamingResponse
from touchpoint.core.database import create_engine, long_read
from touchpoint.core.problems import install_problem_handlers
from touchpoint.core.settings import Settings


@pytest.fixture
async def engine(tmp_path):
    """A small pool that gives up waiting at once."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'stream.db'}",
        database_pool_size=1,
        database_pool_timeout=0.2,
    )
    engine = create_engine(settings)
    yield engine
    await engine.dispose()


def streaming_app(engine, fail_after_first=False):
    async def rows():
        async with long_read(engine) as connection:
            for number in range(3):
                value = (await connection.execute(text(f"SELECT {number}"))).scalar_one()
                yield f"{value}\n".encode()
                if fail_after_first:
                    raise RuntimeError("the connection was lost")

    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/stream")
    async def stream() -> PrimedStreamingResponse:
        return PrimedStreamingResponse(rows(), "text/plain", {})

    return app


async def get(app, raise_app_exceptions=True):
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get("/stream")


class TestPrimedStream:
    async def test_a_stream_that_works_sends_every_chunk(self, engine):
        response = await get(streaming_app(engine))
        assert response.status_code == 200
        assert response.text == "0\n1\n2\n"
        assert engine.pool.checkedout() == 0

    async def test_no_connection_for_the_stream_is_a_503_problem(self, engine):
        async with AsyncExitStack() as held:
            while True:  # every connection the pool will give, overflow included
                try:
                    await held.enter_async_context(engine.connect())
                except sqlalchemy_errors.TimeoutError:
                    break
            response = await get(streaming_app(engine), raise_app_exceptions=False)
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.headers["retry-after"] == "1"

    async def test_a_failure_mid_stream_cuts_the_transfer_short(self, engine):
        with pytest.raises(RuntimeError, match="connection was lost"):
            await get(streaming_app(engine, fail_after_first=True))
        assert engine.pool.checkedout() == 0

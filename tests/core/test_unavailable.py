"""When the database cannot be reached, requests fail fast and retryably: 503, not 500."""

import socket
import time

import asyncpg
import httpx
import pytest
from sqlalchemy import exc as sqlalchemy_errors
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi

from tests.factories import PROBLEM_JSON
from touchpoint.app import create_app
from touchpoint.core.problems import is_connection_loss
from touchpoint.core.settings import Settings

# Port 1 on the loopback: nothing listens there, so every connection is refused at once.
UNREACHABLE = "postgresql://postgres@127.0.0.1:1/touchpoint"
HEADERS = {"Authorization": "Bearer x.y.z", "X-API-Key": "tpk_x", "X-Org-Id": "1"}


@pytest.fixture
async def unreachable_client():
    app = create_app(Settings(database_url=UNREACHABLE, secret_key="s" * 32))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://touchpoint.test") as http:
        yield http
    await app.state.engine.dispose()


class TestDatabaseUnreachable:
    async def test_an_api_request_is_503_problem_json_with_retry_after(self, unreachable_client):
        response = await unreachable_client.get("/v1/activities", headers=HEADERS)
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.headers["retry-after"] == "1"
        assert response.json()["status"] == 503

    async def test_readiness_says_unavailable_while_liveness_stays_ok(self, unreachable_client):
        assert (await unreachable_client.get("/readyz")).status_code == 503
        assert (await unreachable_client.get("/healthz")).status_code == 200


def _driver_error(asyncpg_error: Exception) -> sqlalchemy_errors.DBAPIError:
    """An asyncpg error as the app sees it: translated by SQLAlchemy's dialect, then wrapped."""
    dbapi = AsyncAdapt_asyncpg_dbapi(asyncpg)
    translated = dbapi.Error(str(asyncpg_error), asyncpg_error)
    translated.__cause__ = asyncpg_error
    wrapped = sqlalchemy_errors.DBAPIError("SELECT 1", None, translated)
    wrapped.__cause__ = translated
    return wrapped


LOST = [
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle"),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.InternalClientError(
        "cannot switch to state 15; another operation (2) is in progress"
    ),
    ConnectionResetError(104, "Connection reset by peer"),
]
NOT_LOST = [
    asyncpg.exceptions.UniqueViolationError("duplicate key value"),
    asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.InternalClientError("cannot process message"),
]


class TestConnectionLossIsRecognized:
    @pytest.mark.parametrize("error", LOST, ids=lambda e: type(e).__name__)
    def test_a_lost_or_refused_connection_is_unavailable(self, error):
        assert is_connection_loss(_driver_error(error))

    @pytest.mark.parametrize("error", NOT_LOST, ids=lambda e: type(e).__name__)
    def test_other_database_errors_are_not(self, error):
        assert not is_connection_loss(_driver_error(error))

    def test_a_disconnect_sqlalchemy_detected_is_unavailable(self):
        error = sqlalchemy_errors.DBAPIError("SELECT 1", None, Exception("gone"))
        error.connection_invalidated = True
        assert is_connection_loss(error)


@pytest.fixture
async def failing_client():
    """An app whose /boom route raises the error the test puts in `raise_next`."""
    app = create_app(Settings(database_url=UNREACHABLE, secret_key="s" * 32))
    raised: list[Exception] = []

    async def boom() -> None:
        raise raised[0]

    app.add_api_route("/boom", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://touchpoint.test") as http:
        yield http, raised
    await app.state.engine.dispose()


class TestDatabaseErrorsOverHttp:
    async def test_a_connection_lost_mid_request_is_503_with_retry_after(self, failing_client):
        http, raised = failing_client
        raised.append(_driver_error(LOST[0]))
        response = await http.get("/boom")
        assert response.status_code == 503
        assert response.headers["content-type"] == PROBLEM_JSON
        assert response.headers["retry-after"] == "1"

    async def test_any_other_database_error_stays_a_500(self, failing_client):
        http, raised = failing_client
        raised.append(_driver_error(NOT_LOST[0]))
        response = await http.get("/boom")
        assert response.status_code == 500
        assert response.headers["content-type"] == PROBLEM_JSON


@pytest.fixture
def silent_database():
    """A port that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"postgresql://postgres@127.0.0.1:{listener.getsockname()[1]}/touchpoint"


class TestDatabaseSilent:
    async def test_a_connection_that_gets_no_answer_gives_up_after_the_connect_timeout(
        self, silent_database
    ):
        settings = Settings(
            database_url=silent_database, secret_key="s" * 32, database_connect_timeout=0.5
        )
        app = create_app(settings)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as http:
                started = time.monotonic()
                response = await http.get("/v1/activities", headers=HEADERS)
                took = time.monotonic() - started
                ready = await http.get("/readyz")
        finally:
            await app.state.engine.dispose()
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert took < 5
        assert ready.status_code == 503

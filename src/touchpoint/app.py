"""The ASGI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from touchpoint.accounts.routes import router as accounts_router
from touchpoint.activities.routes import router as activities_router
from touchpoint.analysis.routes import router as analysis_router
from touchpoint.api_keys.routes import router as api_keys_router
from touchpoint.auth.failure_limit import failure_counter
from touchpoint.auth.routes import router as auth_router
from touchpoint.contacts.routes import router as contacts_router
from touchpoint.core.cors import allow_browser_origins
from touchpoint.core.database import create_engine
from touchpoint.core.docs import install_docs
from touchpoint.core.openapi import install_openapi
from touchpoint.core.password_hashing import BoundedPasswordHasher
from touchpoint.core.problems import install_problem_handlers
from touchpoint.core.query_parameters import refuse_unknown_query_parameters
from touchpoint.core.request_guard import RequestBodyGuard
from touchpoint.core.settings import Settings, get_settings
from touchpoint.follow_ups.routes import router as follow_ups_router
from touchpoint.history.routes import router as history_router
from touchpoint.members.routes import router as members_router
from touchpoint.operations.routes import router as operations_router
from touchpoint.tags.routes import router as tags_router

DESCRIPTION = """
Touchpoint records every interaction with customer accounts: calls, emails, meetings, chats,
site visits, reviews, presentations and trainings.

Every `/v1` endpoint needs three headers: `Authorization: Bearer <token>`, `X-API-Key` and
`X-Org-Id` (only `POST /v1/auth/token` goes without the bearer token). Errors are
`application/problem+json`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = create_engine(settings)
    hasher = BoundedPasswordHasher(settings.password_hash_threads, settings.password_hash_waiting)
    failures = failure_counter(settings, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await failures.close()
        hasher.close()
        await engine.dispose()

    app = FastAPI(
        title="Touchpoint",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(refuse_unknown_query_parameters)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.password_hasher = hasher
    app.state.failure_counter = failures
    install_problem_handlers(app)
    install_openapi(app)
    install_docs(app)
    app.add_middleware(RequestBodyGuard, max_body_bytes=settings.max_body_bytes)
    if settings.cors_origins:
        # Added last, so it is outermost: errors the guard answers carry CORS headers too.
        allow_browser_origins(app, settings.cors_origins)
    for router in (
        operations_router,
        auth_router,
        members_router,
        api_keys_router,
        accounts_router,
        # Before activities: /v1/activities/{activity_id} would take stats and export.
        analysis_router,
        activities_router,
        contacts_router,
        follow_ups_router,
        tags_router,
        history_router,
    ):
        app.include_router(router)
    return app

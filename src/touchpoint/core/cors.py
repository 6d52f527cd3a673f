"""Cross-origin requests from browsers, for the origins in TOUCHPOINT_CORS_ORIGINS only."""

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

# What a browser client sends and may read. Credentials travel in headers, never in cookies,
# so credentialed CORS (cookies) stays off.
REQUEST_HEADERS = (
    "Authorization",
    "X-API-Key",
    "X-Org-Id",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
)
RESPONSE_HEADERS = ("Location", "Retry-After", "ETag", "WWW-Authenticate")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# How long a browser may cache a preflight answer.
PREFLIGHT_SECONDS = 600


def allow_browser_origins(app: FastAPI, origins: list[str]) -> None:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=origins,
        allow_methods=METHODS,
        allow_headers=REQUEST_HEADERS,
        expose_headers=RESPONSE_HEADERS,
        allow_credentials=False,
        max_age=PREFLIGHT_SECONDS,
    )

"""HTTP handlers for /v1/activities/stats and /v1/activities/export.

This router is included before the activities router: `/v1/activities/{activity_id}` would
otherwise take `stats` and `export` for an activity's uid.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncEngine

from touchpoint.analysis import service
from touchpoint.analysis.repository import AnalysisRepository
from touchpoint.analysis.schemas import ExportQuery, Stats, StatsQuery
from touchpoint.analysis.streaming import PrimedStreamingResponse
from touchpoint.auth.dependencies import Tenant
from touchpoint.core.retries import RetryingRoute

router = APIRouter(route_class=RetryingRoute, tags=["activities"])

CSV = "text/csv"
NDJSON = "application/x-ndjson"
_TEXT: dict[str, Any] = {"schema": {"type": "string"}}
_STATS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {CSV: _TEXT}, "description": "OK; CSV with `Accept: text/csv`."}
}
_EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        # NDJSON is a sequence of documents, which OpenAPI 3.1 cannot describe: its schema is
        # the one every line follows (3.2 calls that `itemSchema`); a one-line body is one.
        "content": {NDJSON: {"schema": {"$ref": "#/components/schemas/Activity"}}, CSV: _TEXT},
        "headers": {
            "Content-Disposition": {
                "description": "attachment; filename=activities.ndjson (or .csv).",
                "schema": {"type": "string"},
            }
        },
    }
}
_MEDIA_TYPES = {"csv": f"{CSV}; charset=utf-8", "ndjson": NDJSON}


async def analysis_repository(tenant: Tenant) -> AnalysisRepository:
    return AnalysisRepository(tenant.connection, tenant.scope)


def database_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.app.state.engine
    return engine


def _ranges(accept: str) -> dict[str, float]:
    """Each media range of an Accept header with its quality (q, 1 by default)."""
    ranges: dict[str, float] = {}
    for part in accept.split(","):
        media_range, *parameters = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges[media_range.lower()] = quality
    return ranges


def _quality(ranges: dict[str, float], media_type: str) -> float:
    # The most specific range that matches decides (RFC 9110, 12.5.1).
    for candidate in (media_type, media_type.split("/")[0] + "/*", "*/*"):
        if candidate in ranges:
            return ranges[candidate]
    return 0.0


def prefers_csv(accept: str | None) -> bool:
    """Whether Accept ranks text/csv above JSON; without Accept, or a tie, it is JSON."""
    ranges = _ranges(accept or "")
    return _quality(ranges, CSV) > _quality(ranges, "application/json")


@router.get("/v1/activities/stats", response_model=Stats, responses=_STATS_RESPONSES)
async def activity_stats(
    query: Annotated[StatsQuery, Query()],
    analysis: Annotated[AnalysisRepository, Depends(analysis_repository)],
    request: Request,
) -> Stats | Response:
    """Count activities the list would show and sum their minutes, grouped by one to three keys."""
    figures = await service.stats(analysis, query)
    if prefers_csv(request.headers.get("accept")):
        return Response(service.stats_csv(query, figures), media_type=_MEDIA_TYPES["csv"])
    return figures


@router.get("/v1/activities/export", response_class=Response, responses=_EXPORT_RESPONSES)
async def export_activities(
    query: Annotated[ExportQuery, Query()],
    tenant: Tenant,
    engine: Annotated[AsyncEngine, Depends(database_engine)],
) -> Response:
    """Stream every activity the list would show, unpaged, as NDJSON or CSV."""
    chunks = service.export(engine, tenant.scope, query)
    disposition = f"attachment; filename=activities.{query.format}"
    return PrimedStreamingResponse(
        chunks, _MEDIA_TYPES[query.format], {"Content-Disposition": disposition}
    )

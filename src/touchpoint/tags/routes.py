"""HTTP handler for /v1/tags."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from touchpoint.auth.dependencies import Tenant
from touchpoint.core.retries import RetryingRoute
from touchpoint.tags import service
from touchpoint.tags.repository import TagRepository
from touchpoint.tags.schemas import TagList, TagQuery

router = APIRouter(route_class=RetryingRoute, tags=["tags"])


async def tag_repository(tenant: Tenant) -> TagRepository:
    return TagRepository(tenant.connection, tenant.scope)


@router.get("/v1/tags")
async def list_tags(
    query: Annotated[TagQuery, Query()],
    tags: Annotated[TagRepository, Depends(tag_repository)],
) -> TagList:
    """The tags in use on the activities the caller can see, most used first."""
    return await service.most_used(tags, query)

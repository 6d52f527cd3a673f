"""Tag rules for reading: live activities only, private ones only for who may see them."""

from touchpoint.tags.repository import TagRepository
from touchpoint.tags.schemas import TagList, TagQuery, TagUse


async def most_used(tags: TagRepository, query: TagQuery) -> TagList:
    rows = await tags.most_used(query.prefix, query.limit)
    return TagList(data=[TagUse.model_validate(row) for row in rows])

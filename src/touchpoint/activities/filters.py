"""What a list of activities is narrowed by: one definition, read from the query by every
endpoint that takes the list's filters (the list, a timeline, statistics, export)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from touchpoint.activities.schemas import ActivityFilterQuery
from touchpoint.core.full_text import SearchQuery


@dataclass(frozen=True, slots=True)
class ActivityFilters:
    account_id: int | None = None
    contact_id: int | None = None
    user_id: int | None = None
    types: Sequence[str] | None = None
    statuses: Sequence[str] | None = None
    starts_at: datetime | None = None
    ends_before: datetime | None = None
    created_by: int | None = None
    is_active: bool | None = None
    include_deleted: bool = False
    # "me" or a user id, read against the principal by the repository.
    owner: int | Literal["me"] | None = None
    follow_up_of_id: int | None = None
    visibility: str | None = None
    tags: Sequence[str] | None = None
    search: SearchQuery | None = None

    @classmethod
    def of(cls, query: ActivityFilterQuery) -> "ActivityFilters":
        """The filters a query asks for (accountId too, when the query has one)."""
        return cls(
            account_id=getattr(query, "account_id", None),
            contact_id=query.contact_id,
            user_id=query.user_id,
            types=query.type,
            statuses=query.status,
            starts_at=query.starts_at,
            ends_before=query.ends_before,
            created_by=query.created_by,
            is_active=query.is_active,
            include_deleted=query.include_deleted,
            owner=query.owner_id,
            follow_up_of_id=query.follow_up_of_id,
            visibility=query.visibility,
            tags=query.tag,
            search=SearchQuery.of(query.q) if query.q is not None else None,
        )

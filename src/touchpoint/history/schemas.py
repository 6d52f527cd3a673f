"""A change history entry, as clients read it."""

from typing import Any, Literal

from pydantic import Field

from touchpoint.core.fields import ApiModel, OutputId, OutputTimestamp


class HistoryEntry(ApiModel):
    id: OutputId
    action: Literal["create", "update", "delete", "restore"]
    changed_at: OutputTimestamp
    user_id: OutputId
    api_key_id: OutputId | None
    changes: dict[str, dict[str, Any]] | None = Field(
        description='For an update: {"field": {"old": …, "new": …}} for each changed field.'
    )

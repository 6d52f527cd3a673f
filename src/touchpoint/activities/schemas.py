"""Activity bodies: what a client sends and what it reads back."""

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PlainValidator, StrictBool, WithJsonSchema, model_validator

from touchpoint.activities.tags import TagFilter, Tags
from touchpoint.core.fields import (
    ID_SCHEMA,
    ApiModel,
    EmailAddress,
    HttpUrlString,
    Identifier,
    JsonObject,
    OutputId,
    OutputTimestamp,
    TextRules,
    UtcTimestamp,
    WriteModel,
    parse_identifier,
    required_when_sent,
)
from touchpoint.core.paging import DEFAULT_PAGE_SIZE, CursorParameter, PageLimit
from touchpoint.core.query_parameters import OneOrMore
from touchpoint.models.activities import ActivityStatus, ActivityType, Visibility

MAX_DURATION_MINUTES = 10080


COMMUNICATION_TYPES = frozenset(
    {ActivityType.CALL, ActivityType.EMAIL, ActivityType.MEETING, ActivityType.CHAT}
)


def category_of(activity_type: str) -> Literal["COMMUNICATION", "BUSINESS"]:
    return "COMMUNICATION" if activity_type in COMMUNICATION_TYPES else "BUSINESS"


class Participant(WriteModel):
    """Someone who took part: at least one of email, contactId, userId."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in ("email", "contactId", "userId")
            ]
        }
    )

    email: EmailAddress | None = None
    contact_id: Identifier | None = None
    user_id: Identifier | None = None
    name: Annotated[str, TextRules(255)] | None = None
    role: Annotated[str, TextRules(100)] | None = None

    @model_validator(mode="after")
    def _identified(self) -> "Participant":
        if self.email is None and self.contact_id is None and self.user_id is None:
            raise ValueError("A participant needs at least one of email, contactId, userId.")
        return self


Duration = Annotated[int, Field(ge=0, le=MAX_DURATION_MINUTES, strict=True)]
Location = Annotated[str, TextRules(500, min_length=1, strip=True)]
Title = Annotated[str, TextRules(255)]
Description = Annotated[str, TextRules(32768)]
Outcome = Annotated[str, TextRules(255)]
Participants = Annotated[list[Participant], Field(max_length=200)]
AttachmentUrls = Annotated[list[HttpUrlString], Field(max_length=50)]


class ActivityFields(WriteModel):
    """What an activity is made of, but its account."""

    activity_timestamp: UtcTimestamp
    duration: Duration
    location: Location
    type: ActivityType = ActivityType.CALL
    status: ActivityStatus = ActivityStatus.PENDING
    participants: Participants = Field(default_factory=list)
    attachment_urls: AttachmentUrls = Field(default_factory=list)
    title: Title | None = None
    description: Description | None = None
    metadata: JsonObject = Field(default_factory=dict)
    owner_id: Identifier | None = Field(
        None, description="The member responsible; the creator when left out or null."
    )
    visibility: Visibility = Visibility.ORGANIZATION
    outcome: Outcome | None = None
    remind_at: UtcTimestamp | None = None
    follow_up_of_id: Identifier | None = None
    tags: Tags = Field(default_factory=list)


class ActivityCreate(ActivityFields):
    account_id: Identifier


class FollowUpCreate(ActivityFields):
    """A follow-up is created on the account of the activity it follows up, PENDING."""

    @model_validator(mode="after")
    def _pending(self) -> "FollowUpCreate":
        if self.status is not ActivityStatus.PENDING:
            raise ValueError("A follow-up is PENDING: leave status out.")
        return self


class ActivityCompletion(WriteModel):
    """POST /v1/activities/{id}/complete: an outcome, and a follow-up to plan in the same step."""

    outcome: Outcome | None = None
    follow_up: FollowUpCreate | None = None


class ActivityUpdate(WriteModel):
    """PATCH: only the fields sent change; null clears an optional field to its default."""

    account_id: Identifier | None = None
    activity_timestamp: UtcTimestamp | None = None
    duration: Duration | None = None
    location: Location | None = None
    type: ActivityType | None = None
    status: ActivityStatus | None = None
    participants: Participants | None = None
    attachment_urls: AttachmentUrls | None = None
    title: Title | None = None
    description: Description | None = None
    metadata: JsonObject | None = None
    is_active: StrictBool | None = None  # true or false: not "no", 0 or "off"
    owner_id: Identifier | None = None
    visibility: Visibility | None = None
    outcome: Outcome | None = None
    remind_at: UtcTimestamp | None = None
    follow_up_of_id: Identifier | None = None
    tags: Tags | None = None

    _required = required_when_sent(
        "account_id", "activity_timestamp", "duration", "location", "is_active"
    )


class Activity(ApiModel):
    id: OutputId
    uid: str
    account_id: OutputId
    account: str
    type: ActivityType
    category: Literal["COMMUNICATION", "BUSINESS"]
    status: ActivityStatus
    activity_timestamp: OutputTimestamp
    duration: int
    location: str
    participants: list[dict[str, Any]]
    attachment_urls: list[str]
    title: str | None
    description: str | None
    metadata: dict[str, Any]
    is_active: bool
    creator_id: OutputId
    creator: str
    creator_email: str
    owner_id: OutputId
    owner: str
    owner_email: str
    visibility: Visibility
    outcome: str | None
    remind_at: OutputTimestamp | None
    follow_up_of_id: OutputId | None
    completed_at: OutputTimestamp | None
    tags: list[str]
    created_at: OutputTimestamp
    updated_at: OutputTimestamp
    deleted_at: OutputTimestamp | None


class Completed(ApiModel):
    activity: Activity
    follow_up: Activity | None


_DEFAULTS: dict[str, Any] = {
    "type": ActivityType.CALL,
    "status": ActivityStatus.PENDING,
    "participants": [],
    "attachment_urls": [],
    "metadata": {},
    "visibility": Visibility.ORGANIZATION,
    "tags": [],
}


def activity_values(body: ActivityFields | ActivityUpdate, fields: set[str]) -> dict[str, Any]:
    """Column values for the fields given; null on a defaulted field restores its default."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(body, name)
        if value is None and name in _DEFAULTS:
            value = _DEFAULTS[name]
        if name == "participants":
            value = [
                participant.model_dump(mode="json", by_alias=True, exclude_none=True)
                for participant in value
            ]
        values[name] = str(value) if isinstance(value, StrEnum) else value
    return values


def _member(value: Any) -> int | Literal["me"]:
    if value == "me":
        return "me"
    try:
        return parse_identifier(value)
    except ValueError as error:
        raise ValueError("Must be `me` or a member's user id (a string of digits).") from error


# A member in a filter: `me` (the caller) or a user id.
MemberFilter = Annotated[
    int | Literal["me"],
    PlainValidator(_member),
    WithJsonSchema({"anyOf": [{"type": "string", "enum": ["me"]}, ID_SCHEMA]}),
]
ActivitySort = Literal[
    "-activityTimestamp", "activityTimestamp", "-createdAt", "createdAt", "relevance"
]
ActivitySearch = Annotated[str, TextRules(200, min_length=1)]


class ActivityFilterQuery(WriteModel):
    """The filters of an account's timeline, without paging or order: what every endpoint that
    narrows activities the way the list does takes (activities/filters.py reads them)."""

    contact_id: Identifier | None = Field(None, description="Activities this contact took part in.")
    user_id: Identifier | None = Field(None, description="Activities this member took part in.")
    type: Annotated[list[str], OneOrMore(ActivityType, "type")] | None = None
    status: Annotated[list[str], OneOrMore(ActivityStatus, "status")] | None = None
    starts_at: UtcTimestamp | None = Field(
        None, alias="from", description="activityTimestamp at or after this instant."
    )
    ends_before: UtcTimestamp | None = Field(
        None, alias="to", description="activityTimestamp before this instant."
    )
    created_by: Identifier | None = None
    is_active: bool | None = None
    include_deleted: bool = Field(False, description="ADMIN and OWNER only.")
    owner_id: MemberFilter | None = Field(
        None, description="Activities this member is responsible for; `me` is the caller."
    )
    follow_up_of_id: Identifier | None = Field(None, description="The follow-ups of an activity.")
    visibility: Visibility | None = None
    tag: Annotated[list[str], TagFilter()] | None = None
    q: ActivitySearch | None = Field(
        None,
        description="Words to find in the title, description, location, outcome, tags and"
        " participants' names and emails: every word, the last also as a prefix, ignoring case"
        " and accents. Text without a letter or digit finds nothing.",
    )


class ActivityTimelineQuery(ActivityFilterQuery):
    """Query parameters of an account's timeline; unknown ones are refused."""

    sort: ActivitySort | None = Field(
        None,
        description="relevance (best match first) by default with q, else -activityTimestamp."
        " Without q every activity is equally relevant: relevance is then newest recorded first.",
    )
    limit: PageLimit = DEFAULT_PAGE_SIZE
    # Any string: one the service did not issue is a 400 from the cursor codec, not a 422.
    cursor: CursorParameter = None

    @property
    def chosen_sort(self) -> str:
        if self.sort is not None:
            return self.sort
        return "relevance" if self.q is not None else "-activityTimestamp"


class ActivityListQuery(ActivityTimelineQuery):
    """Query parameters of GET /v1/activities; unknown ones are refused."""

    account_id: Identifier | None = None


class ActivityListFilterQuery(ActivityFilterQuery):
    """Every filter of GET /v1/activities, without paging or order (statistics, export)."""

    account_id: Identifier | None = None

"""Participants that link to a contact or a member: checked on write, shown current on read."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from touchpoint.activities.repository import ActivityRepository
from touchpoint.contacts.repository import ContactRepository
from touchpoint.core.errors import FieldError, ValidationFailed
from touchpoint.members.repository import MemberRepository

_LINKS = (("contactId", "contact"), ("userId", "member"))


def _linked_ids(participants: Iterable[dict[str, Any]], key: str) -> list[int]:
    return sorted({int(participant[key]) for participant in participants if key in participant})


async def _existing(activities: ActivityRepository, key: str, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    if key == "contactId":
        return await activities.sibling(ContactRepository).existing_ids(ids)
    return await activities.sibling(MemberRepository).existing_user_ids(ids)


async def check_links(
    activities: ActivityRepository,
    participants: list[dict[str, Any]],
    already_linked: Iterable[dict[str, Any]] = (),
) -> None:
    """422 naming each participant whose contactId or userId is not in the organization.

    Links the activity had already stay valid: a contact deleted (or a member removed) since
    does not make the activity unchangeable; only new links are checked.
    """
    errors: list[FieldError] = []
    kept = list(already_linked)
    for key, what in _LINKS:
        known = set(_linked_ids(kept, key))
        new_ids = [linked for linked in _linked_ids(participants, key) if linked not in known]
        existing = known | await _existing(activities, key, new_ids)
        for index, participant in enumerate(participants):
            if key in participant and int(participant[key]) not in existing:
                message = f"No {what} of the organization has this id."
                errors.append(FieldError(f"participants[{index}].{key}", message))
    if errors:
        raise ValidationFailed(sorted(errors, key=lambda error: error.field))


async def with_current_people(
    activities: ActivityRepository, rows: Sequence[Mapping[Any, Any]]
) -> list[Mapping[Any, Any]]:
    """The rows, each linked participant showing its contact's or member's current name and
    email (at most two queries for the whole page, none when nothing is linked)."""
    everyone = [participant for row in rows for participant in row["participants"]]
    contact_ids = _linked_ids(everyone, "contactId")
    user_ids = _linked_ids(everyone, "userId")
    contacts = (
        await activities.sibling(ContactRepository).names_and_emails(contact_ids)
        if contact_ids
        else {}
    )
    members = (
        await activities.sibling(MemberRepository).names_and_emails(user_ids) if user_ids else {}
    )
    if not contacts and not members:
        return list(rows)
    return [_with_current(row, contacts, members) for row in rows]


def _with_current(
    row: Mapping[Any, Any],
    contacts: dict[int, tuple[str, str]],
    members: dict[int, tuple[str, str]],
) -> Mapping[Any, Any]:
    participants = row["participants"]
    if not any("contactId" in p or "userId" in p for p in participants):
        return row  # most rows of an export: copying them cost more than the rest
    return {**row, "participants": [_current(p, contacts, members) for p in participants]}


def _current(
    participant: dict[str, Any],
    contacts: dict[int, tuple[str, str]],
    members: dict[int, tuple[str, str]],
) -> dict[str, Any]:
    person = None
    if "contactId" in participant:
        person = contacts.get(int(participant["contactId"]))
    if person is None and "userId" in participant:
        person = members.get(int(participant["userId"]))
    if person is None:
        return participant
    name, email = person
    return {**participant, "name": name, "email": email}

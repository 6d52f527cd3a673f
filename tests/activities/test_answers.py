"""Every answer that shows an activity is written straight from its row
(activities/documents.py, core/json_answers.py), never through the `Activity` schema: each
must be exactly what the schema describes, field by field and in its order, so a field added
to the schema and not to the documents fails here."""

from typing import Any

from pydantic import BaseModel

from tests.factories import activity_body, create_account, create_activity, create_contact
from touchpoint.activities.schemas import Activity, Completed
from touchpoint.core.paging import Page

ACTIVITIES = "/v1/activities"


def as_the_schema_writes(model: type[BaseModel], answer: Any) -> Any:
    return model.model_validate(answer).model_dump(mode="json", by_alias=True)


def assert_exactly(model: type[BaseModel], answer: Any) -> None:
    written = as_the_schema_writes(model, answer)
    assert answer == written
    assert list(answer) == list(written)  # the same order too


async def full_activity(client, tenant) -> dict[str, Any]:
    """An activity with every optional field set, linked to a contact and a user."""
    account = (await create_account(client, tenant.headers))["id"]
    contact = await create_contact(client, tenant.headers, account)
    return await create_activity(
        client,
        tenant.headers,
        account,
        participants=[
            {"contactId": contact["id"]},
            {"userId": tenant.user_id},
            {"name": "Guest", "email": "guest@example.com"},
        ],
        tags=["renewal", "q3"],
        metadata={"source": "import", "huge": 2**70, "nested": {"a": [1, 2.5, None]}},
        attachmentUrls=["https://example.com/a.pdf"],
        title="Kick-off",
        description="Agenda and next steps",
        activityTimestamp="2026-04-01T10:00:00.123456Z",
        remindAt="2026-04-01T09:45:00Z",
        ownerId=tenant.user_id,
        visibility="PRIVATE",
    )


class TestActivityAnswersAreWhatTheSchemaDescribes:
    async def test_create_and_get(self, client, tenant):
        created = await full_activity(client, tenant)
        assert_exactly(Activity, created)
        assert created["metadata"]["huge"] == 2**70
        response = await client.get(f"{ACTIVITIES}/{created['id']}", headers=tenant.headers)
        assert response.headers["content-type"] == "application/json"
        assert_exactly(Activity, response.json())
        assert response.json() == created

    async def test_lists_timelines_and_follow_ups(self, client, tenant):
        created = await full_activity(client, tenant)
        await create_activity(client, tenant.headers, created["accountId"], type="REVIEW")
        paths = (
            f"{ACTIVITIES}?limit=1",
            f"/v1/accounts/{created['accountId']}/activities?limit=1",
            "/v1/follow-ups?limit=1",
        )
        for path in paths:
            page = (await client.get(path, headers=tenant.headers)).json()
            assert_exactly(Page[Activity], page)
            assert page["nextCursor"] is not None, path

    async def test_changes_completion_and_restore(self, client, tenant):
        created = await full_activity(client, tenant)
        item = f"{ACTIVITIES}/{created['id']}"
        patched = await client.patch(item, json={"outcome": "Agreed"}, headers=tenant.headers)
        assert patched.status_code == 200, patched.text
        assert_exactly(Activity, patched.json())
        body = activity_body(created["accountId"], tags=["x"])
        replaced = await client.put(item, json=body, headers=tenant.headers)
        assert replaced.status_code == 200, replaced.text
        assert_exactly(Activity, replaced.json())
        follow_up = {
            "title": "Send the contract",
            "activityTimestamp": "2026-04-02T10:00:00Z",
            "duration": 15,
            "location": "Phone",
        }
        completed = await client.post(
            f"{item}/complete",
            json={"outcome": "Signed", "followUp": follow_up},
            headers=tenant.headers,
        )
        assert completed.status_code == 200, completed.text
        assert_exactly(Completed, completed.json())
        assert completed.json()["followUp"]["followUpOfId"] == created["id"]
        await client.delete(item, headers=tenant.headers)
        restored = await client.post(f"{item}/restore", headers=tenant.headers)
        assert restored.status_code == 200, restored.text
        assert_exactly(Activity, restored.json())

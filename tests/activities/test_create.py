"""POST /v1/activities: what a valid create stores and answers."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.activities.helpers import (
    ACTIVITIES,
    ULID_PATTERN,
    parse_utc,
    read,
    send_raw,
    stored,
)
from tests.factories import activity_body, create_account, create_activity, create_contact

ALL_TYPES = {
    "CALL": "COMMUNICATION",
    "EMAIL": "COMMUNICATION",
    "MEETING": "COMMUNICATION",
    "CHAT": "COMMUNICATION",
    "SITE_VISIT": "BUSINESS",
    "REVIEW": "BUSINESS",
    "PRESENTATION": "BUSINESS",
    "TRAINING": "BUSINESS",
}


class TestCreateAnswer:
    async def test_create_answers_201_with_a_location_that_reads_the_activity(self, client, tenant):
        account = await create_account(client, tenant.headers)
        response = await client.post(
            ACTIVITIES, json=activity_body(account["id"]), headers=tenant.headers
        )
        assert response.status_code == 201, response.text
        created = response.json()
        assert response.headers["location"] == f"/v1/activities/{created['id']}"
        reread = await client.get(response.headers["location"], headers=tenant.headers)
        assert reread.status_code == 200
        assert reread.json() == created

    async def test_ids_are_digit_strings_and_uid_is_a_ulid(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"])
        assert re.fullmatch(r"[1-9][0-9]*", created["id"])
        assert created["accountId"] == account["id"]
        assert re.fullmatch(ULID_PATTERN, created["uid"])

    async def test_a_minimal_body_gets_every_default(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"])
        assert created["type"] == "CALL"
        assert created["category"] == "COMMUNICATION"
        assert created["status"] == "PENDING"
        assert created["participants"] == []
        assert created["attachmentUrls"] == []
        assert created["metadata"] == {}
        assert created["title"] is None
        assert created["description"] is None
        assert created["isActive"] is True
        assert created["deletedAt"] is None

    async def test_the_answer_names_the_account_and_the_creator(self, client, tenant):
        account = await create_account(client, tenant.headers, name="Initech")
        created = await create_activity(client, tenant.headers, account["id"])
        assert created["account"] == "Initech"
        assert created["creatorId"] == tenant.user_id
        assert created["creator"] == "Owner Person"
        assert created["creatorEmail"] == tenant.email

    async def test_the_creator_is_the_acting_member(self, client, tenant):
        account = await create_account(client, tenant.headers)
        member = await tenant.member("MEMBER")
        created = await create_activity(client, member, account["id"])
        assert created["creatorId"] == member["X-User-Id"]
        assert created["creator"] == "MEMBER person"

    @pytest.mark.parametrize(("activity_type", "category"), ALL_TYPES.items())
    async def test_category_follows_the_type(self, client, tenant, activity_type, category):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"], type=activity_type)
        assert (created["type"], created["category"]) == (activity_type, category)
        stored_one = await read(client, tenant.headers, created["id"])
        assert stored_one["category"] == category

    @pytest.mark.parametrize("status", ["PENDING", "COMPLETED", "CANCELLED"])
    async def test_every_status_is_accepted(self, client, tenant, status):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"], status=status)
        assert created["status"] == status


class TestCreateTimestamps:
    @pytest.mark.parametrize(
        ("sent", "returned"),
        [
            ("2026-03-02T09:30:00Z", "2026-03-02T09:30:00Z"),
            ("2026-03-02T11:30:00+02:00", "2026-03-02T09:30:00Z"),
            ("2026-03-01T22:30:00-11:00", "2026-03-02T09:30:00Z"),
            ("2026-03-02t09:30:00z", "2026-03-02T09:30:00Z"),
            ("2026-03-02T09:30:00.25Z", "2026-03-02T09:30:00.250000Z"),
            ("2026-03-02T09:30:00.123456789+00:00", "2026-03-02T09:30:00.123456Z"),
        ],
    )
    async def test_activity_timestamp_is_returned_in_utc(self, client, tenant, sent, returned):
        account = await create_account(client, tenant.headers)
        created = await create_activity(
            client, tenant.headers, account["id"], activityTimestamp=sent
        )
        assert created["activityTimestamp"] == returned
        assert (await read(client, tenant.headers, created["id"]))["activityTimestamp"] == returned

    async def test_created_and_updated_at_are_now_in_utc(self, client, tenant):
        account = await create_account(client, tenant.headers)
        before = datetime.now(UTC)
        created = await create_activity(client, tenant.headers, account["id"])
        after = datetime.now(UTC)
        created_at = parse_utc(created["createdAt"])
        assert before - timedelta(seconds=1) <= created_at <= after + timedelta(seconds=1)
        assert created["updatedAt"] == created["createdAt"]


class TestCreateStoresWhatWasSent:
    async def test_every_optional_field_is_stored_as_sent(self, client, tenant):
        account = await create_account(client, tenant.headers)
        contact = await create_contact(client, tenant.headers, account["id"])
        participants = [
            {"email": "ann@example.com", "name": "Ann", "role": "buyer"},
            {"contactId": int(contact["id"])},
            {"userId": tenant.user_id, "email": "owner@example.com"},
        ]
        body = {
            "type": "SITE_VISIT",
            "status": "COMPLETED",
            "participants": participants,
            "attachmentUrls": ["https://files.example.com/a.pdf", "http://example.org/b?c=d#e"],
            "title": "Quarterly review",
            "description": "Went through the numbers.\nAll good.",
            "metadata": {"source": "import", "tags": ["a", "b"], "nested": {"n": 1.5, "ok": True}},
        }
        created = await create_activity(client, tenant.headers, account["id"], **body)
        expected = {**body, "category": "BUSINESS"}
        # Linked participants show their contact's or member's current name and email.
        expected["participants"] = [
            participants[0],
            {"contactId": contact["id"], "name": "Grace Hopper", "email": contact["email"]},
            {"userId": tenant.user_id, "email": tenant.email, "name": "Owner Person"},
        ]
        assert {key: created[key] for key in expected} == expected
        reread = await read(client, tenant.headers, created["uid"])
        assert {key: reread[key] for key in expected} == expected

    async def test_location_is_trimmed(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(
            client, tenant.headers, account["id"], location="  https://meet.example.com/x \n"
        )
        assert created["location"] == "https://meet.example.com/x"

    async def test_other_text_is_stored_untrimmed(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(
            client, tenant.headers, account["id"], title=" Hi ", description="\tx\n"
        )
        assert (created["title"], created["description"]) == (" Hi ", "\tx\n")

    async def test_account_id_may_be_a_json_integer(self, client, tenant):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, int(account["id"]))
        assert created["accountId"] == account["id"]

    async def test_unicode_text_round_trips(self, client, tenant):
        account = await create_account(client, tenant.headers)
        title = "Café ☕ 会議 🚀"
        created = await create_activity(
            client, tenant.headers, account["id"], title=title, metadata={"ключ": "значение"}
        )
        reread = await read(client, tenant.headers, created["id"])
        assert (reread["title"], reread["metadata"]) == (title, {"ключ": "значение"})

    @pytest.mark.parametrize(
        "content_type",
        ["application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON"],
    )
    async def test_json_with_a_utf8_charset_or_any_case_is_json(self, client, tenant, content_type):
        account = await create_account(client, tenant.headers)
        body = json.dumps(activity_body(account["id"]))
        response = await send_raw(client, tenant.headers, body, content_type)
        assert response.status_code == 201, response.text
        assert len(await stored(client, tenant)) == 1


class TestCreateAtTheBounds:
    @pytest.mark.parametrize(
        "overrides",
        [
            pytest.param({"duration": 0}, id="duration-0"),
            pytest.param({"duration": 10080}, id="duration-10080"),
            pytest.param({"location": "x"}, id="location-1"),
            pytest.param({"location": "x" * 500}, id="location-500"),
            pytest.param({"location": "  " + "x" * 500 + "  "}, id="location-500-trimmed"),
            pytest.param({"title": "t" * 255}, id="title-255"),
            pytest.param({"title": "🚀" * 255}, id="title-255-astral"),
            pytest.param({"description": "d" * 32768}, id="description-32768"),
            pytest.param({"title": None, "description": None}, id="nulls"),
            pytest.param(
                {"participants": [{"email": f"p{i}@example.com"} for i in range(200)]},
                id="participants-200",
            ),
            pytest.param(
                {"attachmentUrls": [f"https://example.com/{i}" for i in range(50)]},
                id="attachments-50",
            ),
            pytest.param(
                {"attachmentUrls": ["https://example.com/" + "u" * (2048 - 20)]}, id="url-2048"
            ),
            # {"a":"…"} serializes to 8 bytes around the value: 16376 + 8 = 16 KiB exactly.
            pytest.param({"metadata": {"a": "m" * 16376}}, id="metadata-16KiB"),
        ],
    )
    async def test_a_value_at_its_bound_is_accepted(self, client, tenant, overrides):
        account = await create_account(client, tenant.headers)
        created = await create_activity(client, tenant.headers, account["id"], **overrides)
        reread = await read(client, tenant.headers, created["id"])
        for key, value in overrides.items():
            expected = value.strip() if key == "location" else value
            assert reread[key] == expected

    async def test_a_body_of_exactly_1_mib_is_accepted(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = json.dumps(activity_body(account["id"])).encode()
        body += b" " * (1024 * 1024 - len(body))
        response = await send_raw(client, tenant.headers, body)
        assert response.status_code == 201, response.text

"""POST /v1/activities, unhappy paths: every refusal is problem+json and writes nothing."""

import json

import pytest

from tests.activities.helpers import ACTIVITIES, assert_nothing_stored, send_raw
from tests.factories import activity_body, assert_problem, create_account

REQUIRED = ["accountId", "activityTimestamp", "duration", "location"]
READ_ONLY = [
    "id",
    "uid",
    "category",
    "isActive",
    "creatorId",
    "creator",
    "creatorEmail",
    "account",
    "createdAt",
    "updatedAt",
    "deletedAt",
]
GOOD_URL = "https://example.com/ok"


async def refused(client, tenant, body, *fields, status=422):
    """Posts `body`; it must be refused naming exactly `fields`, and nothing may be stored."""
    response = await client.post(ACTIVITIES, json=body, headers=tenant.headers)
    problem = assert_problem(response, status, *fields)
    await assert_nothing_stored(client, tenant)
    return problem


class TestCreateRequiredFields:
    @pytest.mark.parametrize("field", REQUIRED)
    async def test_a_missing_required_field_is_named(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        body = activity_body(account["id"])
        del body[field]
        await refused(client, tenant, body, field)

    async def test_every_missing_field_is_named_at_once(self, client, tenant):
        await refused(client, tenant, {"title": "only a title"}, *REQUIRED)

    @pytest.mark.parametrize("field", REQUIRED)
    async def test_null_on_a_required_field_is_named(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, activity_body(account["id"], **{field: None}), field)

    async def test_several_bad_fields_are_all_named(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = activity_body(account["id"], duration=-1, location=" ", type="NAP")
        await refused(client, tenant, body, "duration", "location", "type")


class TestCreateBounds:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            pytest.param({"duration": -1}, "duration", id="duration--1"),
            pytest.param({"duration": 10081}, "duration", id="duration-10081"),
            pytest.param({"duration": 2**63}, "duration", id="duration-huge"),
            pytest.param({"location": ""}, "location", id="location-empty"),
            pytest.param({"location": " \t\n "}, "location", id="location-whitespace"),
            pytest.param({"location": "x" * 501}, "location", id="location-501"),
            pytest.param({"location": " " + "x" * 501 + " "}, "location", id="location-501-trim"),
            pytest.param({"title": "t" * 256}, "title", id="title-256"),
            pytest.param({"description": "d" * 32769}, "description", id="description-32769"),
            pytest.param(
                {"participants": [{"email": f"p{i}@example.com"} for i in range(201)]},
                "participants",
                id="participants-201",
            ),
            pytest.param(
                {"attachmentUrls": [f"https://example.com/{i}" for i in range(51)]},
                "attachmentUrls",
                id="attachments-51",
            ),
            pytest.param(
                {"attachmentUrls": [GOOD_URL, "https://example.com/" + "u" * (2049 - 20)]},
                "attachmentUrls[1]",
                id="url-2049",
            ),
            pytest.param({"metadata": {"a": "m" * 16377}}, "metadata", id="metadata-over-16KiB"),
            pytest.param(
                {"metadata": {"a": "é" * 8189}}, "metadata", id="metadata-over-16KiB-in-utf8"
            ),
        ],
    )
    async def test_a_value_past_its_bound_is_refused(self, client, tenant, overrides, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, activity_body(account["id"], **overrides), field)


class TestCreateTypes:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"duration": "30"}, "duration"),
            ({"duration": 30.5}, "duration"),
            ({"duration": 30.0}, "duration"),
            ({"duration": True}, "duration"),
            ({"duration": [30]}, "duration"),
            ({"accountId": {"id": 1}}, "accountId"),
            ({"accountId": [1]}, "accountId"),
            ({"accountId": "abc"}, "accountId"),
            ({"accountId": ""}, "accountId"),
            ({"accountId": 1.0}, "accountId"),
            ({"accountId": True}, "accountId"),
            ({"accountId": "0"}, "accountId"),
            ({"accountId": -1}, "accountId"),
            ({"accountId": " 1"}, "accountId"),
            ({"accountId": "9223372036854775808"}, "accountId"),
            ({"accountId": 2**63}, "accountId"),
            ({"accountId": "1" * 30}, "accountId"),
            ({"type": "call"}, "type"),
            ({"type": "VISIT"}, "type"),
            ({"type": ""}, "type"),
            ({"type": 1}, "type"),
            ({"status": "DONE"}, "status"),
            ({"status": "pending"}, "status"),
            ({"location": 12}, "location"),
            ({"title": 5}, "title"),
            ({"description": ["x"]}, "description"),
            ({"participants": {"email": "a@example.com"}}, "participants"),
            ({"attachmentUrls": GOOD_URL}, "attachmentUrls"),
            ({"attachmentUrls": [GOOD_URL, 7]}, "attachmentUrls[1]"),
            ({"metadata": ["a"]}, "metadata"),
            ({"metadata": "text"}, "metadata"),
            ({"metadata": None}, "metadata"),
            ({"participants": None}, "participants"),
        ],
    )
    async def test_a_value_of_the_wrong_type_is_refused(self, client, tenant, overrides, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, activity_body(account["id"], **overrides), field)

    @pytest.mark.parametrize(
        "timestamp",
        [
            "2026-03-02T09:30:00",
            "2026-03-02T09:30:00.5",
            "2026-03-02",
            "2026-03-02T09:30Z",
            "2026-03-02T09:30:00+0200",
            "2026-03-02T09:30:00+02",
            "2026-03-02T09:30:00 UTC",
            "02/03/2026 09:30",
            "Mon, 02 Mar 2026 09:30:00 GMT",
            "2026-02-30T09:30:00Z",
            "2026-03-02T24:30:00Z",
            "2026-03-02T09:30:00+25:00",
            "tomorrow",
            "",
            1772443800,
        ],
    )
    async def test_a_timestamp_that_is_not_rfc3339_with_offset_is_refused(
        self, client, tenant, timestamp
    ):
        account = await create_account(client, tenant.headers)
        body = activity_body(account["id"], activityTimestamp=timestamp)
        await refused(client, tenant, body, "activityTimestamp")


class TestCreateUnknownAndReadOnlyFields:
    @pytest.mark.parametrize("field", ["colour", "account_id", "AccountId", "createdBy", "data"])
    async def test_an_unknown_field_is_refused_by_name(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        body = {**activity_body(account["id"]), field: "x"}
        await refused(client, tenant, body, field)

    @pytest.mark.parametrize("field", READ_ONLY)
    async def test_a_read_only_field_is_refused_by_name(self, client, tenant, field):
        account = await create_account(client, tenant.headers)
        created_like = {"isActive": True, "deletedAt": None, "id": "1"}.get(field, "x")
        body = activity_body(account["id"], **{field: created_like})
        problem = await refused(client, tenant, body, field)
        assert "read-only" in problem["errors"][0]["message"]


class TestCreateUrlsAndParticipants:
    @pytest.mark.parametrize(
        "url",
        [
            "ftp://files.example.com/a.pdf",
            "/relative/path.pdf",
            "files.example.com/a.pdf",
            "http://exa mple.com/",
            "https://example.com/a b.pdf",
            "https://example.com/\ta",
            "http://",
            "https:///path-only",
            "javascript:alert(1)",
            "mailto:ann@example.com",
            "",
        ],
    )
    async def test_an_attachment_that_is_not_an_absolute_http_url_is_refused(
        self, client, tenant, url
    ):
        account = await create_account(client, tenant.headers)
        body = activity_body(account["id"], attachmentUrls=[GOOD_URL, url])
        await refused(client, tenant, body, "attachmentUrls[1]")

    @pytest.mark.parametrize(
        ("participant", "field"),
        [
            ({}, "participants[1]"),
            ({"name": "Ann", "role": "buyer"}, "participants[1]"),
            ({"email": None, "contactId": None, "userId": None}, "participants[1]"),
            ({"email": "not-an-email"}, "participants[1].email"),
            ({"email": "ann@"}, "participants[1].email"),
            ({"email": "ann @example.com"}, "participants[1].email"),
            ({"email": "a@example.com", "phone": "555"}, "participants[1].phone"),
            ({"email": "a@example.com", "contact_id": "7"}, "participants[1].contact_id"),
            ({"contactId": "seven"}, "participants[1].contactId"),
            ({"userId": 0}, "participants[1].userId"),
            ({"email": "a@example.com", "name": "n" * 256}, "participants[1].name"),
            ("ann@example.com", "participants[1]"),
        ],
    )
    async def test_a_bad_participant_is_named_by_its_path(self, client, tenant, participant, field):
        account = await create_account(client, tenant.headers)
        participants = [{"email": "ok@example.com"}, participant]
        body = activity_body(account["id"], participants=participants)
        await refused(client, tenant, body, field)


class TestCreateForbiddenCharacters:
    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"location": "Room\x004"}, "location"),
            ({"title": "a\x00"}, "title"),
            ({"description": "\x00"}, "description"),
            (
                {"participants": [{"email": "a@example.com", "name": "A\x00"}]},
                "participants[0].name",
            ),
            ({"participants": [{"email": "a\x00@example.com"}]}, "participants[0].email"),
            ({"attachmentUrls": ["https://example.com/\x00"]}, "attachmentUrls[0]"),
            ({"metadata": {"a": "b\x00c"}}, "metadata"),
            ({"metadata": {"a\x00": "b"}}, "metadata"),
            ({"metadata": {"a": [{"b": ["\x00"]}]}}, "metadata"),
        ],
    )
    async def test_a_nul_character_anywhere_is_refused(self, client, tenant, overrides, field):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, activity_body(account["id"], **overrides), field)

    @pytest.mark.parametrize(
        ("fragment", "field"),
        [
            ('"title": "\\ud800"', "title"),
            ('"location": "Room \\udfff"', "location"),
            ('"metadata": {"a": "\\ud83d"}', "metadata"),
            ('"metadata": {"\\udc00": 1}', "metadata"),
        ],
    )
    async def test_a_lone_surrogate_is_refused(self, client, tenant, fragment, field):
        # Valid JSON, but not Unicode text: neither database can store it.
        account = await create_account(client, tenant.headers)
        text = json.dumps(activity_body(account["id"]))[:-1] + ", " + fragment + "}"
        response = await send_raw(client, tenant.headers, text)
        assert_problem(response, 422, field)
        await assert_nothing_stored(client, tenant)

    @pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
    async def test_a_non_finite_number_in_metadata_is_refused(self, client, tenant, number):
        account = await create_account(client, tenant.headers)
        text = json.dumps(activity_body(account["id"]))[:-1] + f', "metadata": {{"a": {number}}}}}'
        response = await send_raw(client, tenant.headers, text)
        assert_problem(response, 422, "metadata")
        await assert_nothing_stored(client, tenant)


class TestCreateReferences:
    async def test_another_organizations_account_is_refused_like_a_missing_one(
        self, client, tenant, other_tenant
    ):
        foreign = await create_account(client, other_tenant.headers)
        missing = await refused(client, tenant, activity_body("9223372036854775807"), "accountId")
        problem = await refused(client, tenant, activity_body(foreign["id"]), "accountId")
        assert problem == missing

    async def test_a_soft_deleted_account_is_refused(self, client, tenant):
        account = await create_account(client, tenant.headers)
        deleted = await client.delete(f"/v1/accounts/{account['id']}", headers=tenant.headers)
        assert deleted.status_code == 204
        await refused(client, tenant, activity_body(account["id"]), "accountId")

    async def test_an_account_uid_is_not_an_account_id(self, client, tenant):
        account = await create_account(client, tenant.headers)
        await refused(client, tenant, activity_body(account["uid"]), "accountId")


class TestCreateBody:
    @pytest.mark.parametrize(
        "text",
        [
            '{"accountId": ',
            '{"accountId": "1",}',
            "{'accountId': '1'}",
            '{"accountId": "1"} trailing',
            "not json",
            b"\xff\xfe{}",
        ],
    )
    async def test_malformed_json_is_400(self, client, tenant, text):
        assert_problem(await send_raw(client, tenant.headers, text), 400)
        await assert_nothing_stored(client, tenant)

    @pytest.mark.parametrize("text", ["[]", '[{"accountId": "1"}]', '"text"', "42", "null", ""])
    async def test_a_body_that_is_not_an_object_is_400(self, client, tenant, text):
        assert_problem(await send_raw(client, tenant.headers, text), 400)
        await assert_nothing_stored(client, tenant)

    @pytest.mark.parametrize(
        "content_type",
        [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/json; charset=latin-1",
            None,
        ],
    )
    async def test_a_body_that_is_not_declared_json_is_415(self, client, tenant, content_type):
        account = await create_account(client, tenant.headers)
        body = json.dumps(activity_body(account["id"]))
        response = await send_raw(client, tenant.headers, body, content_type)
        assert_problem(response, 415)
        await assert_nothing_stored(client, tenant)

    async def test_a_body_over_1_mib_is_413(self, client, tenant):
        account = await create_account(client, tenant.headers)
        body = json.dumps(activity_body(account["id"])).encode()
        body += b" " * (1024 * 1024 + 1 - len(body))
        assert_problem(await send_raw(client, tenant.headers, body), 413)
        await assert_nothing_stored(client, tenant)

    async def test_a_streamed_body_over_1_mib_is_413(self, client, tenant):
        account = await create_account(client, tenant.headers)
        head = json.dumps(activity_body(account["id"])).encode()

        async def chunks():
            yield head[:-1]
            for _ in range(11):
                yield b" " * 100_000
            yield b"}"

        assert_problem(await send_raw(client, tenant.headers, chunks()), 413)
        await assert_nothing_stored(client, tenant)

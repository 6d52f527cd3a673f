"""The installed `touchpoint` command, run as an operator runs it, on a temporary SQLite file."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from touchpoint.app import create_app
from touchpoint.core.settings import Settings

COMMAND = Path(sys.executable).parent / "touchpoint"
OUTPUT_KEYS = {"orgId", "userId", "email", "password", "apiKey", "accessToken"}


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def touchpoint(database_url, *arguments, extra_environment=None):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("TOUCHPOINT_")
    }
    environment["TOUCHPOINT_DATABASE_URL"] = database_url
    environment.update(extra_environment or {})
    return subprocess.run(  # noqa: S603 - our own installed command, fixed arguments
        [str(COMMAND), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def bootstrap(database_url, email, *extra):
    return touchpoint(
        database_url,
        "bootstrap",
        "--org-name",
        "Acme Org",
        "--email",
        email,
        "--name",
        "Ada Owner",
        *extra,
    )


def printed_object(result):
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    printed = json.loads(lines[0])
    assert isinstance(printed, dict)
    return printed


async def sign_in_works(database_url, printed):
    """The printed credentials act in the printed organization through the API."""
    app = create_app(Settings(database_url=database_url))
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cli.test") as http:
            keys = {"X-API-Key": printed["apiKey"], "X-Org-Id": printed["orgId"]}
            listed = await http.get(
                "/v1/accounts",
                headers={**keys, "Authorization": f"Bearer {printed['accessToken']}"},
            )
            assert listed.status_code == 200, listed.text
            if printed["password"] is not None:
                token = await http.post(
                    "/v1/auth/token",
                    json={"email": printed["email"], "password": printed["password"]},
                    headers=keys,
                )
                assert token.status_code == 200, token.text
    finally:
        await app.state.engine.dispose()


class TestBootstrap:
    async def test_it_prints_one_json_object_whose_credentials_work(self, database_url):
        printed = printed_object(bootstrap(database_url, "Ada@Example.com"))
        assert set(printed) >= OUTPUT_KEYS
        assert printed["orgId"].isdigit()
        assert printed["userId"].isdigit()
        assert printed["email"] == "ada@example.com"
        assert len(printed["password"]) >= 12
        assert printed["apiKey"].startswith("tpk_")
        await sign_in_works(database_url, printed)

    async def test_the_same_email_becomes_owner_of_a_second_organization(self, database_url):
        first = printed_object(bootstrap(database_url, "ada@example.com", "--password", "pw-1"))
        assert first["password"] == "pw-1"
        second = printed_object(bootstrap(database_url, "ADA@example.com"))
        assert second["userId"] == first["userId"]
        assert second["orgId"] != first["orgId"]
        assert second["apiKey"] != first["apiKey"]
        assert second["password"] is None
        await sign_in_works(database_url, second)
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            roles = connection.execute(
                "SELECT organization_id, role FROM memberships WHERE user_id = ?",
                (int(first["userId"]),),
            ).fetchall()
        assert sorted(roles) == sorted(
            [(int(first["orgId"]), "OWNER"), (int(second["orgId"]), "OWNER")]
        )

    def test_an_existing_email_with_a_wrong_password_is_refused(self, database_url):
        printed_object(bootstrap(database_url, "ada@example.com", "--password", "right"))
        result = bootstrap(database_url, "ada@example.com", "--password", "wrong")
        assert result.returncode != 0
        assert result.stdout == ""

    @pytest.mark.parametrize("left_out", ["--org-name", "--email", "--name"])
    def test_a_missing_option_exits_non_zero_and_prints_nothing(self, database_url, left_out):
        options = {"--org-name": "Acme", "--email": "a@example.com", "--name": "Ada"}
        del options[left_out]
        arguments = [item for pair in options.items() for item in pair]
        result = touchpoint(database_url, "bootstrap", *arguments)
        assert result.returncode != 0
        assert result.stdout == ""
        assert left_out in result.stderr

    @pytest.mark.parametrize("email", ["not-an-email", "  "])
    def test_an_invalid_option_exits_non_zero(self, database_url, email):
        result = bootstrap(database_url, email)
        assert result.returncode != 0
        assert result.stdout == ""


class TestMigrate:
    def test_migrate_is_idempotent(self, database_url):
        first = touchpoint(database_url, "migrate")
        assert first.returncode == 0, first.stderr
        second = touchpoint(database_url, "migrate")
        assert second.returncode == 0, second.stderr
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            versions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        assert len(versions) == 1
        assert {"organizations", "users", "memberships", "api_keys", "accounts"} <= tables
        assert "activities" in tables

"""Bad settings are one clear line naming the variable; `make run` prints a fresh token."""

import json
import subprocess
import sys

import httpx
import pytest

from tests.cli.test_cli import bootstrap, printed_object, touchpoint
from touchpoint.app import create_app
from touchpoint.core.settings import Settings


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


class TestBadSettings:
    @pytest.mark.parametrize(
        ("variable", "value"),
        [
            ("TOUCHPOINT_ACCESS_TOKEN_SECONDS", "2"),
            ("TOUCHPOINT_ACCESS_TOKEN_SECONDS", "an hour"),
            ("TOUCHPOINT_DATABASE_POOL_SIZE", "0"),
            ("TOUCHPOINT_DATABASE_URL", "mysql://root@localhost/crm"),
            ("TOUCHPOINT_DATABASE_URL", "not a url"),
            ("TOUCHPOINT_CORS_ORIGINS", "ftp://files.example.com"),
            ("TOUCHPOINT_CORS_ORIGINS", "https://app.example.com/path"),
        ],
    )
    @pytest.mark.parametrize("command", [["migrate"], ["serve", "--port", "1"]])
    def test_every_command_says_which_setting_is_bad_in_one_line(
        self, database_url, variable, value, command
    ):
        if variable == "TOUCHPOINT_DATABASE_URL":
            database_url = value
        result = touchpoint(database_url, *command, extra_environment={variable: value})
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"touchpoint: {variable}: ")
        assert "Traceback" not in result.stderr


def quickstart(path, database_url):
    """What `make run` prints before it serves."""
    result = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "touchpoint.quickstart", str(path), "http://127.0.0.1:8000"],
        capture_output=True,
        text=True,
        env={"TOUCHPOINT_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=True,
    )
    return result.stdout


class TestQuickstart:
    async def test_it_prints_a_fresh_working_token_even_when_the_stored_one_expired(
        self, database_url, tmp_path
    ):
        credentials = printed_object(bootstrap(database_url, "ada@example.com"))
        credentials["accessToken"] = "an.expired.token"
        path = tmp_path / "credentials.json"
        path.write_text(json.dumps(credentials))
        printed = quickstart(path, database_url)
        export = next(line for line in printed.splitlines() if "export TOKEN=" in line)
        token = export.split("TOKEN=")[1].split()[0]
        assert token != "an.expired.token"
        assert json.loads(path.read_text())["accessToken"] == token
        app = create_app(Settings(database_url=database_url))
        try:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://q.test") as http:
                me = await http.get(
                    "/v1/me",
                    headers={
                        "Authorization": f"Bearer {token}",
                        "X-API-Key": credentials["apiKey"],
                        "X-Org-Id": credentials["orgId"],
                    },
                )
        finally:
            await app.state.engine.dispose()
        assert me.status_code == 200, me.text

"""Prints the credentials `make run` bootstrapped, with a fresh access token and a first request.

The stored token expires after TOUCHPOINT_ACCESS_TOKEN_SECONDS, so every run issues a new one
for the stored user (and writes it back), instead of reprinting one that may have expired.
"""

import asyncio
import sys
from pathlib import Path
from typing import Any

import orjson

from touchpoint.auth import service as auth_service
from touchpoint.core.database import create_engine
from touchpoint.core.security import issue_access_token
from touchpoint.core.settings import get_settings


async def fresh_access_token(user_id: int) -> str:
    settings = get_settings()
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            secret = await auth_service.signing_secret(connection, settings.secret_key)
    finally:
        await engine.dispose()
    return issue_access_token(user_id, secret, settings.access_token_seconds)


def show(credentials: dict[str, Any], credentials_path: str, base_url: str) -> None:
    print("Touchpoint credentials (kept in", credentials_path + "):")
    print(orjson.dumps(credentials, option=orjson.OPT_INDENT_2).decode())
    print("\nFor the README's curl examples, in your shell:")
    print(
        f"  export TOKEN={credentials['accessToken']} KEY={credentials['apiKey']}"
        f" ORG={credentials['orgId']}"
    )
    print(f"\nDatabase: {get_settings().database_url}")
    hours = get_settings().access_token_seconds / 3600
    print(
        f"The access token lasts {hours:g} hour(s); `make run` prints a new one each time, or:\n"
        f"  curl -s -X POST {base_url}/v1/auth/token -H 'Content-Type: application/json' "
        f"-H 'X-API-Key: {credentials['apiKey']}' -H 'X-Org-Id: {credentials['orgId']}' "
        f'-d \'{{"email": "{credentials["email"]}", "password": "{credentials["password"]}"}}\''
    )
    print(f"\nAPI docs: {base_url}/docs\n")


def main(credentials_path: str, base_url: str) -> None:
    path = Path(credentials_path)
    credentials = orjson.loads(path.read_bytes())
    credentials["accessToken"] = asyncio.run(fresh_access_token(int(credentials["userId"])))
    path.write_bytes(orjson.dumps(credentials) + b"\n")
    show(credentials, credentials_path, base_url)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

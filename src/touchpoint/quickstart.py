"""Prints the credentials `make run` bootstrapped, with a first request to try."""

import sys
from pathlib import Path

import orjson

from touchpoint.core.settings import get_settings


def main(credentials_path: str, base_url: str) -> None:
    credentials = orjson.loads(Path(credentials_path).read_bytes())
    print("Touchpoint credentials (kept in", credentials_path + "):")
    print(orjson.dumps(credentials, option=orjson.OPT_INDENT_2).decode())
    print("\nFor the README's curl examples, in your shell:")
    print(
        f"  export TOKEN={credentials['accessToken']} KEY={credentials['apiKey']}"
        f" ORG={credentials['orgId']}"
    )
    print(f"\nDatabase: {get_settings().database_url}")
    print(
        "The access token lasts an hour; get a new one with:\n"
        f"  curl -s -X POST {base_url}/v1/auth/token -H 'Content-Type: application/json' "
        f"-H 'X-API-Key: {credentials['apiKey']}' -H 'X-Org-Id: {credentials['orgId']}' "
        f'-d \'{{"email": "{credentials["email"]}", "password": "{credentials["password"]}"}}\''
    )
    print(f"\nAPI docs: {base_url}/docs\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

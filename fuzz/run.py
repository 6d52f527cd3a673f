"""Schemathesis against the real service, on a fresh PostgreSQL database and a fresh SQLite file.

For each engine: migrate a new database, bootstrap an organization with its owner and an API key,
start `touchpoint serve` on a free loopback port, and run every Schemathesis check (`--checks
all`) in every phase, stateful included, against the whole OpenAPI document with the three
credentials. Any failure fails the run. Settings: fuzz/schemathesis.toml.

    python fuzz/run.py [--engines sqlite,postgresql] [--max-examples N] [--seed N] [schemathesis
    run options, e.g. --phases stateful --report har]
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get(
    "TOUCHPOINT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


_PRINTING = threading.Lock()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _postgres(statement: str) -> None:
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(statement)
    finally:
        await admin.close()


def _wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("touchpoint serve exited before it was ready")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise SystemExit("touchpoint serve was not ready within 60 seconds")


def fuzz(engine: str, database_url: str, options: argparse.Namespace) -> int:
    env = {**os.environ, "TOUCHPOINT_DATABASE_URL": database_url}
    # `bootstrap` migrates the fresh database first, as `serve` would.
    made = subprocess.run(
        [
            BIN / "touchpoint",
            "bootstrap",
            "--org-name",
            "Fuzz",
            "--email",
            "fuzz@example.com",
            "--name",
            "Fuzz Owner",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    credentials = json.loads(made.stdout)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [BIN / "touchpoint", "serve", "--host", "127.0.0.1", "--port", str(port)], env=env
    )
    try:
        _wait_ready(base, server)
        headers = {
            "Authorization": f"Bearer {credentials['accessToken']}",
            "X-API-Key": credentials["apiKey"],
            "X-Org-Id": credentials["orgId"],
        }
        listing = urllib.request.Request(f"{base}/v1/api-keys", headers=headers)
        with urllib.request.urlopen(listing, timeout=10) as answer:
            key_id = json.loads(answer.read())["data"][0]["id"]
        env["SCHEMATHESIS_HOOKS"] = "hooks"
        env["PYTHONPATH"] = str(ROOT / "fuzz")
        env["TOUCHPOINT_FUZZ_KEY_ID"] = key_id
        env["TOUCHPOINT_FUZZ_USER_ID"] = credentials["userId"]
        command = [
            str(BIN / "schemathesis"),
            "--config-file",
            str(ROOT / "fuzz" / "schemathesis.toml"),
            "run",
            f"{base}/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(options.max_examples),
            "--seed",
            str(options.seed),
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command += options.extra
        started = time.monotonic()
        # The engines are fuzzed at once: each report is printed whole when its run ends.
        run = subprocess.run(command, env=env, check=False, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        with _PRINTING:
            print(f"== fuzzing on {engine}\n{run.stdout}{run.stderr}", flush=True)
            print(f"== {engine}: exit {run.returncode} after {elapsed:.0f} s", flush=True)
        return run.returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


def _default_engines() -> str:
    """Both engines; without a reachable PostgreSQL, SQLite alone and loudly (never under CI)."""
    try:
        asyncio.run(_postgres("SELECT 1"))
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise SystemExit(
                f"PostgreSQL is not reachable at {POSTGRES_URL}: CI needs it."
            ) from error
        print(f"\n!!! PostgreSQL is not reachable at {POSTGRES_URL}: fuzzing SQLite ONLY !!!\n")
        return "sqlite"
    return "sqlite,postgresql"


def fuzz_engine(engine: str, options: argparse.Namespace) -> int:
    """Fuzzes one engine on a database of its own, made for the run and removed after."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="touchpoint-fuzz-") as folder:
            return fuzz(engine, f"sqlite:///{folder}/fuzz.db", options)
    name = f"touchpoint_fuzz_{os.getpid()}"
    asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_postgres(f'CREATE DATABASE "{name}"'))
    try:
        return fuzz(engine, POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", options)
    finally:
        asyncio.run(_postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default=None)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261201)
    options, options.extra = parser.parse_known_args()  # the rest goes to `schemathesis run`
    engines = (options.engines or _default_engines()).split(",")
    unknown = set(engines) - {"sqlite", "postgresql"}
    if unknown:
        raise SystemExit(f"unknown engine(s): {', '.join(sorted(unknown))}")
    # Each run spends most of its time waiting on its server: two at once use the cores better.
    with ThreadPoolExecutor(max_workers=len(engines)) as pool:
        codes = list(pool.map(lambda engine: fuzz_engine(engine, options), engines))
    return 1 if any(codes) else 0


if __name__ == "__main__":
    sys.exit(main())

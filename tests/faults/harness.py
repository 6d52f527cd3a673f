"""Real processes for the fault tests: PostgreSQL clusters, `touchpoint serve`, and a load.

Everything here is bounded: every wait has a deadline, every process started is stopped (its
whole process group) by the fixture that started it, even when the test fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

COMMAND = Path(sys.executable).parent / "touchpoint"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
REQUEST_TIMEOUT = 10.0  # no answer may take longer, outage or not


def missing_prerequisite(message: str) -> None:
    """Outside CI a missing prerequisite skips loudly; in CI it fails."""
    if IN_CI:
        pytest.fail(f"{message}: CI needs it.")
    print(f"\n\n!!! SKIPPING A FAULT TEST: {message} !!!\n")
    pytest.skip(f"!!! {message} !!!")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until(predicate: Any, timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting until {what}")


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("TOUCHPOINT_")
    }
    environment["TOUCHPOINT_DATABASE_URL"] = database_url
    environment.update(extra)
    return environment


def stop_process_group(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM the group (the server and its workers), then SIGKILL what is left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=grace)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else the newest Debian version."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run(  # noqa: S603 - fixed arguments
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            )
            candidates.append(Path(found.stdout.strip()))

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.parent.name.split(".") if part.isdigit())

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    candidates.extend(debian)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _as_postgres_user() -> list[str]:
    """initdb and pg_ctl refuse to run as root: as root, run them as the postgres user."""
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        missing_prerequisite("running as root without `runuser` to start PostgreSQL as postgres")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        missing_prerequisite("running as root and there is no `postgres` user to run PostgreSQL")
    return [str(runuser), "-u", "postgres", "--"]


@dataclass
class Cluster:
    """A throwaway PostgreSQL cluster on its own port, stopped and removed by its fixture."""

    bindir: Path
    directory: Path
    port: int
    prefix: list[str]

    @property
    def data(self) -> Path:
        return self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 - our own binaries, fixed arguments
            [*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.data), *arguments],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        log = self.directory / "postgres.log"
        result = self.pg_ctl("-l", str(log), "-w", "-t", "30", "start")
        assert result.returncode == 0, f"pg_ctl start failed: {result.stderr}\n{self.log()}"

    def stop(self, mode: str = "fast") -> None:
        result = self.pg_ctl("-m", mode, "-w", "-t", "30", "stop")
        assert result.returncode == 0, f"pg_ctl stop failed: {result.stderr}\n{self.log()}"

    def log(self) -> str:
        path = self.directory / "postgres.log"
        with contextlib.suppress(OSError):
            return path.read_text(errors="replace")[-4000:]
        return ""

    def kill(self) -> None:
        """Whatever state it is in: stop it now, and if pg_ctl cannot, kill the postmaster."""
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self.pg_ctl("-m", "immediate", "-w", "-t", "20", "stop", timeout=30)
        pid_file = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, ProcessLookupError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGKILL)


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    bindir = postgres_bindir()
    if bindir is None:
        missing_prerequisite("PostgreSQL's initdb and pg_ctl are not installed")
        raise AssertionError("unreachable")
    prefix = _as_postgres_user()
    # Not under pytest's tmp_path: that is private to root, and the postgres user must enter it.
    directory = Path(tempfile.mkdtemp(prefix="touchpoint-pg-"))
    cluster = Cluster(bindir, directory, free_port(), prefix)
    try:
        if prefix:
            shutil.chown(directory, "postgres", "postgres")
        initdb = subprocess.run(  # noqa: S603 - our own binaries, fixed arguments
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(cluster.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert initdb.returncode == 0, f"initdb failed: {initdb.stdout}\n{initdb.stderr}"
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(cluster.port),
            "unix_socket_directories": f"'{directory}'",
            "shared_buffers": "16MB",
            "max_connections": "40",
            "logging_collector": "off",
        }
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        cluster.start()
        yield cluster
    finally:
        cluster.kill()
        shutil.rmtree(directory, ignore_errors=True)


# --- The service ------------------------------------------------------------------------------


def bootstrap(database_url: str) -> dict[str, str]:
    """`touchpoint bootstrap` (which also migrates), as an operator runs it."""
    result = subprocess.run(  # noqa: S603 - our own installed command, fixed arguments
        [
            str(COMMAND),
            "bootstrap",
            "--org-name",
            "Faults Org",
            "--email",
            f"faults-{uuid.uuid4().hex[:8]}@example.com",
            "--name",
            "Fault Owner",
        ],
        capture_output=True,
        text=True,
        env=_environment(database_url),
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed: dict[str, str] = json.loads(result.stdout)
    return printed


def headers_of(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {credentials['accessToken']}",
        "X-API-Key": credentials["apiKey"],
        "X-Org-Id": credentials["orgId"],
    }


@dataclass
class Server:
    """`touchpoint serve` in its own process group."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-6000:]
        return ""

    def workers(self) -> list[int]:
        """Live uvicorn workers: the server's children started by multiprocessing's spawn
        (its resource tracker, also a child, is not one)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            # The command name may contain spaces or parentheses: fields follow the last ')'.
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == self.process.pid and state != "Z" and b"spawn_main" in cmdline:
                found.append(int(entry.name))
        return sorted(found)


@contextlib.contextmanager
def serve(
    database_url: str, directory: Path, workers: int, pool_size: int = 10
) -> Iterator[Server]:
    port = free_port()
    log_path = directory / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own installed command, fixed arguments
            [str(COMMAND), "serve", "--port", str(port), "--workers", str(workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_environment(database_url, TOUCHPOINT_DATABASE_POOL_SIZE=str(pool_size)),
            start_new_session=True,
        )
    server = Server(process, port, log_path)
    try:

        def answering() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"touchpoint serve exited early:\n{server.log()}")
            try:
                return httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(answering, 60, "touchpoint serve answers /healthz")
        if workers > 1:
            # One worker is the server's own process; more are children it spawns.
            wait_until(lambda: len(server.workers()) == workers, 30, f"{workers} workers run")
        yield server
    finally:
        stop_process_group(process)


# --- Load -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """One request: when it started and ended (monotonic), and its answer or transport error."""

    kind: str  # "create" or "read"
    started: float
    ended: float
    status: int | None = None
    error: str | None = None
    content_type: str = ""
    retry_after: str | None = None
    activity_id: str | None = None
    marker: str = ""


@dataclass
class Load:
    """Clients sending creates (and reads) until stopped, keeping every outcome."""

    client: httpx.AsyncClient
    headers: dict[str, str]
    account_id: str
    read_share: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    def acknowledged(self) -> dict[str, str]:
        """Activity id -> marker of every create answered 201."""
        return {
            o.activity_id: o.marker
            for o in self.outcomes
            if o.kind == "create" and o.status == 201 and o.activity_id
        }

    async def one(self, number: int) -> None:
        reads = self.read_share > 0 and number % round(1 / self.read_share) == 0
        marker = f"fault-{uuid.uuid4().hex}"
        started = time.monotonic()
        outcome = Outcome("read" if reads else "create", started, started, marker=marker)
        try:
            if reads:
                response = await self.client.get(
                    "/v1/activities", params={"limit": 5}, headers=self.headers
                )
            else:
                body = {
                    "accountId": self.account_id,
                    "activityTimestamp": "2026-03-02T09:30:00Z",
                    "duration": 30,
                    "location": "Room 4, Main Street 1",
                    "title": marker,
                }
                response = await self.client.post("/v1/activities", json=body, headers=self.headers)
        except httpx.TransportError as error:
            outcome.error = f"{type(error).__name__}: {error}"
        else:
            outcome.status = response.status_code
            outcome.content_type = response.headers.get("content-type", "")
            outcome.retry_after = response.headers.get("retry-after")
            if response.status_code == 201:
                outcome.activity_id = response.json()["id"]
        outcome.ended = time.monotonic()
        self.outcomes.append(outcome)

    async def _client_loop(self, offset: int, clients: int) -> None:
        number = offset
        while not self._stop.is_set():
            await self.one(number)
            number += clients

    @contextlib.asynccontextmanager
    async def running(self, clients: int) -> Any:
        tasks = [asyncio.create_task(self._client_loop(i, clients)) for i in range(clients)]
        try:
            yield self
        finally:
            self._stop.set()
            # Each request is bounded by the client's timeout, so this wait is bounded too.
            await asyncio.wait_for(asyncio.gather(*tasks), timeout=REQUEST_TIMEOUT + 10)


def http_client(base_url: str, keep_alive: bool = True) -> httpx.AsyncClient:
    limits = httpx.Limits(max_keepalive_connections=20 if keep_alive else 0)
    return httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits)

"""Starting the service for a bench, waiting for it, and always stopping it again."""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dataset import Dataset
from tools import RESULTS_DIR, VENV_BIN, BenchError, log

HOST = "127.0.0.1"
READY_SECONDS = 90
STOP_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Service:
    pid: int
    base_url: str

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes: the children of the master we started."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.pid:
                children.append(int(stat.parent.name))
        return sorted(children)


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def _get(url: str, timeout: float = 5) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
        return int(response.status)


def _wait_ready(process: subprocess.Popen[bytes], base_url: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"the service exited with {process.returncode} before it was ready")
        try:
            if _get(f"{base_url}/readyz") == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise BenchError(f"the service was not ready within {READY_SECONDS} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the service's own process group (master and workers), SIGKILL if it hangs."""
    if process.poll() is not None:
        return
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        log("the service did not stop on SIGTERM; SIGKILL")
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=STOP_SECONDS)


@contextmanager
def running(env: dict[str, str], port: int, workers: int) -> Iterator[Service]:
    """`touchpoint serve` on 127.0.0.1:port until the block ends, however it ends."""
    if _port_in_use(port):
        raise BenchError(f"port {port} is in use: stop what listens there first")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    command = [str(VENV_BIN / "touchpoint"), "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    log_path = RESULTS_DIR / "service.log"
    with log_path.open("wb") as service_log:
        process = subprocess.Popen(
            command,
            env={**os.environ, **env},
            stdout=service_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base_url = f"http://{HOST}:{port}"
        _wait_ready(process, base_url)
        log(f"service ready at {base_url} (pid {process.pid}, log {log_path})")
        yield Service(process.pid, base_url)
    finally:
        _stop(process)
        log("service stopped")


def fresh_token(service: Service, dataset: Dataset) -> str:
    """Signs in through the API (POST /v1/auth/token), so the token is new for every run."""
    body = json.dumps({"email": dataset.email, "password": dataset.password}).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{service.base_url}/v1/auth/token",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-API-Key": dataset.api_key,
            "X-Org-Id": str(dataset.org_id),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        token: str = json.load(response)["accessToken"]
    return token


def get_json(service: Service, path: str, headers: dict[str, str]) -> tuple[int, object]:
    """One GET through the API; for checking a request before loading it."""
    request = urllib.request.Request(f"{service.base_url}{path}", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return int(response.status), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")[:500]

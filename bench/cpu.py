"""Where a run's CPU goes: the service's processes, the load generator, and the rest.

Load generator, service and database share the machine's cores, so a call's throughput is
bounded by the CPU it costs all three per request. The machine's busy time comes from
/proc/stat, the service's from /proc/<pid>/stat, the load generator's from the finished child's
rusage; the rest is PostgreSQL (and whatever else ran, which the bench waits out beforehand).
"""

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True, slots=True)
class CpuSample:
    at: float  # monotonic seconds
    busy: float  # seconds of CPU used on the whole machine since boot
    service: float  # seconds used by the service's processes
    children: float  # seconds used by this process's finished children (wrk, pgbench)
    backends: dict[int, float]  # seconds used by each PostgreSQL backend of the bench database
    others: dict[int, float]  # seconds used by each process not serving the bench


@dataclass(frozen=True, slots=True)
class CpuUse:
    """Milliseconds of CPU per request (or transaction), and how busy the cores were."""

    service_ms: float
    load_generator_ms: float
    rest_ms: float
    busy_share: float
    # Of rest_ms: the bench database's backends alive at the end (one that closed during the
    # run is missed, so this is a lower bound).
    backends_ms: float
    # The cores' share that processes not serving the bench used (others' tests, their
    # PostgreSQL backends): a run above a few % is noisy. Processes that ended are missed.
    others_share: float
    # Connections the database accepted during the run (pg_stat_database.sessions).
    connections: int = 0


def _machine_busy() -> float:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / TICKS


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def _processes() -> dict[int, bytes]:
    """Every process's command line (a PostgreSQL backend's is its title)."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found[int(cmdline.parent.name)] = cmdline.read_bytes()
        except OSError:
            continue
    return found


def _database_of(title: bytes) -> str | None:
    """The database of a backend ('postgres: 15/main: user db host state'), else None."""
    if not title.startswith(b"postgres: "):
        return None
    words = title.decode(errors="replace").split()
    return words[3] if len(words) >= 5 else None


def _split(database: str, ours: set[int]) -> tuple[dict[int, float], dict[int, float]]:
    """CPU of the bench database's backends, and of every process that is not the bench's.

    PostgreSQL's own background processes (checkpointer, WAL writer…) count as the bench's.
    """
    backends, others = {}, {}
    for pid, title in _processes().items():
        if pid in ours or pid == os.getpid():
            continue
        owner = _database_of(title)
        if owner == database:
            backends[pid] = _process_cpu(pid)
        elif owner is not None or not title.startswith(b"postgres"):
            others[pid] = _process_cpu(pid)
    return backends, others


def sample(pids: list[int], database: str) -> CpuSample:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    backends, others = _split(database, set(pids))
    return CpuSample(
        at=time.monotonic(),
        busy=_machine_busy(),
        service=sum(_process_cpu(pid) for pid in pids),
        children=usage.ru_utime + usage.ru_stime,
        backends=backends,
        others=others,
    )


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between the samples by the processes alive at the second one."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def use(before: CpuSample, after: CpuSample, count: int) -> CpuUse:
    per = 1000 / max(1, count)
    busy = after.busy - before.busy
    service = after.service - before.service
    children = after.children - before.children
    backends = _delta(before.backends, after.backends)
    cores = (after.at - before.at) * (os.cpu_count() or 1)
    return CpuUse(
        service_ms=service * per,
        load_generator_ms=children * per,
        rest_ms=max(0.0, busy - service - children) * per,
        busy_share=busy / cores,
        backends_ms=backends * per,
        others_share=_delta(before.others, after.others) / cores,
    )

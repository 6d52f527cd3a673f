"""Optional (--profile): py-spy samples the workers during a measured run, then a summary.

py-spy records only on-CPU stacks (idle threads, an event loop waiting in epoll, are left out),
so the shares below are shares of the workers' CPU time.
"""

import subprocess
from collections import Counter
from pathlib import Path

from tools import RESULTS_DIR, BenchError, log

# Inclusive shares of a request's phases: a sample counts for a phase when every one of its
# markers is in the stack ("a|b": either), and none of its exclusions is. Code that SQLAlchemy
# runs in a greenlet is sometimes sampled without its callers, so the phases under the route
# are lower bounds; the SQLAlchemy and asyncpg phases, named by their own frames, are whole.
PHASES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "HTTP server, ASGI middleware, event loop (no route or SQL frame)",
        (),
        ("get_request_handler.", "Connection.execute (", "greenlet_spawn ("),
    ),
    ("the route (FastAPI request handler), all below", ("get_request_handler.",), ()),
    ("  tenant dependency (unit of work and authentication)", ("tenant_unit (",), ()),
    ("    JWT verification (read_access_token)", ("read_access_token (",), ()),
    ("    API key + membership query (find_key_and_member)", ("find_key_and_member (",), ()),
    ("    unit of work (pool checkout, BEGIN/COMMIT, return)", ("unit_of_work (",), ()),
    ("  body parsing and validation", ("request_body_to_args (|Request.json (",), ()),
    ("  endpoint (handler, service, repository)", ("run_endpoint_function (",), ()),
    (
        "    its statement (SQLAlchemy execute)",
        ("run_endpoint_function (", "Connection.execute ("),
        (),
    ),
    (
        "    rows to answers (activity_document, json_bytes)",
        ("activity_document (|json_bytes (",),
        (),
    ),
    ("  response validation and JSON serialization (models)", ("serialize_response (",), ()),
    ("every SQLAlchemy execute (both queries, incl. asyncpg)", ("Connection.execute (",), ()),
    ("  SQLAlchemy cache key of the statement", ("_generate_cache_key (",), ()),
    ("  SQLAlchemy compilation", ("sqlalchemy/sql/compiler.py",), ()),
    ("  asyncpg (protocol, socket writes)", ("(asyncpg/",), ()),
    (
        "  SQLAlchemy result objects (CursorResult, rows, type processors)",
        ("CursorResult.__init__|MappingResult|Result.first|Result.all|process_result_value",),
        (),
    ),
    ("building statements (select/where/join)", ("(sqlalchemy/sql/",), ("Connection.execute (",)),
    ("json.loads of jsonb columns", ("JSONDecoder.decode (",), ()),
    ("timestamp formatting (format_timestamp)", ("format_timestamp (",), ()),
    ("pydantic (anywhere)", ("(pydantic/|pydantic_core",), ()),
)


def _matches(stack: str, markers: tuple[str, ...], exclusions: tuple[str, ...]) -> bool:
    found = all(any(one in stack for one in marker.split("|")) for marker in markers)
    return found and not any(exclusion in stack for exclusion in exclusions)


def start(py_spy: str, pid: int, seconds: int, name: str) -> tuple[subprocess.Popen[bytes], Path]:
    """py-spy record on the master and its workers, non-blocking, for `seconds`."""
    output = RESULTS_DIR / f"profile-{name}.txt"
    command = [py_spy, "record", "--pid", str(pid), "--subprocesses", "--nonblocking"]
    command += ["--rate", "100", "--duration", str(seconds), "--format", "raw"]
    command += ["--output", str(output)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return process, output


def finish(process: subprocess.Popen[bytes], output: Path, seconds: int) -> Path:
    try:
        _, stderr = process.communicate(timeout=seconds + 60)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.communicate(timeout=10)
        raise BenchError("py-spy did not finish") from error
    if process.returncode != 0 or not output.exists():
        raise BenchError(f"py-spy failed: {stderr.decode(errors='replace')[-1000:]}")
    summary = output.with_suffix(".md")
    summary.write_text(summarize(output))
    log(f"profile: {output} and {summary}")
    return summary


def _read_stacks(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def _frame_name(frame: str) -> str:
    """'handle (touchpoint/app.py:12)' without the line number, so a function counts once."""
    name, _, location = frame.partition(" (")
    return f"{name} ({location.rsplit(':', 1)[0]})" if location else name


def _shares(stacks: list[tuple[list[str], int]]) -> tuple[int, Counter[str], Counter[str]]:
    total = 0
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    for frames, count in stacks:
        total += count
        for name in {_frame_name(frame) for frame in frames}:
            inclusive[name] += count
        leaf[_frame_name(frames[-1])] += count
    return total, inclusive, leaf


def _phase_shares(stacks: list[tuple[list[str], int]]) -> list[tuple[str, int]]:
    shares = []
    for label, markers, exclusions in PHASES:
        count = sum(n for frames, n in stacks if _matches(";".join(frames), markers, exclusions))
        shares.append((label, count))
    return shares


def _package_shares(stacks: list[tuple[list[str], int]]) -> Counter[str]:
    """Self time by the package of the innermost Python frame (native code counts there too)."""
    packages: Counter[str] = Counter()
    for frames, count in stacks:
        _, _, location = frames[-1].partition(" (")
        packages[location.split("/", 1)[0].split(":", 1)[0] or "?"] += count
    return packages


def summarize(path: Path, top: int = 40) -> str:
    stacks = _read_stacks(path)
    total, inclusive, leaf = _shares(stacks)
    if total == 0:
        return "no samples\n"
    lines = [f"# {path.name}: {total} on-CPU samples (100 Hz, all workers)", ""]
    lines += ["## By phase of a request (inclusive)", "", "```"]
    for label, count in _phase_shares(stacks):
        lines.append(f"{100 * count / total:5.1f} %  {label}")
    lines += ["```", "", "## Self time by package of the innermost Python frame", "", "```"]
    for package, count in _package_shares(stacks).most_common(15):
        lines.append(f"{100 * count / total:5.1f} %  {package}")
    lines += ["```"]
    lines += ["", f"## Top {top} functions, inclusive", "", "```"]
    for name, count in inclusive.most_common(top):
        lines.append(f"{100 * count / total:5.1f} %  {name}")
    lines += ["```", "", f"## Top {top} functions, self", "", "```"]
    for name, count in leaf.most_common(top):
        lines.append(f"{100 * count / total:5.1f} %  {name}")
    lines += ["```", ""]
    return "\n".join(lines)

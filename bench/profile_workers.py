"""py-spy profiles of the service's workers under the bench's load, API runs only.

Run after `make bench` (it reuses the loaded database):
    .venv/bin/python bench/profile_workers.py [--seconds 20]
Writes bench/results/profile-<call>.txt (collapsed stacks) and .md (shares by phase).
"""

import sys

import run
from tools import RESULTS_DIR, BenchError, ensure_py_spy, ensure_wrk, log


def profile(argv: list[str]) -> int:
    args = run.parse_args(["--reuse", "--profile", *argv])
    ensure_wrk()
    ensure_py_spy()
    with run.serving_reused(args) as session:
        for call in run.CALLS:
            wrk_env = run.wrk_env(session.token, session.dataset)
            run.measure_api(session, call.wrk_script, wrk_env, call.name)
    for call in run.CALLS:
        print((RESULTS_DIR / f"profile-{call.name}.md").read_text())
    return 0


def main(argv: list[str]) -> int:
    try:
        return profile(argv)
    except BenchError as error:
        log(f"failed: {error}")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

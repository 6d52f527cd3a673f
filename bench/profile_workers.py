"""py-spy profiles of the service's workers under the bench's load, API runs only.

Run after `make bench` (it reuses the loaded database):
    .venv/bin/python bench/profile_workers.py [--seconds 20]
Writes bench/results/profile-<call>.txt (collapsed stacks) and .md (shares by phase).
"""

import sys

import run
import service
from dataset import prepare, service_env
from tools import RESULTS_DIR, BenchError, ensure_py_spy, ensure_wrk, log


def profile(argv: list[str]) -> int:
    args = run.parse_args(["--reuse", "--profile", *argv])
    ensure_wrk()
    ensure_py_spy()
    dataset = prepare(
        args.database,
        run.SECRET_KEY,
        reuse=True,
        accounts=args.accounts,
        activities=args.activities,
    )
    env = service_env(args.database, run.SECRET_KEY, args.pool_size)
    with service.running(env, args.port, args.workers) as svc:
        session = run.Session(args, svc, dataset, service.fresh_token(svc, dataset))
        for call in run.CALLS:
            wrk_env = run.wrk_env(session.token, dataset)
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

"""The bench database: migrated, one bootstrapped organization, accounts and activities in SQL."""

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tools import (
    BENCH_DIR,
    RESULTS_DIR,
    VENV_BIN,
    BenchError,
    database_url,
    log,
    psql,
    psql_file,
    run,
)

LOAD_SQL = BENCH_DIR / "sql" / "load.sql"
# Loaded rows have uids 'X' + 25 digits; anything else was created by a bench run.
LOADED_UID = "X%"
OWNER_NAME = ("--name", "Bench Owner")


@dataclass(frozen=True, slots=True)
class Dataset:
    database: str
    org_id: int
    user_id: int
    email: str
    password: str
    api_key: str
    api_key_id: int
    account_min: int
    account_max: int
    activity_min: int
    activity_max: int
    activities: int


def service_env(database: str, secret_key: str, pool_size: int | None = None) -> dict[str, str]:
    env = {"TOUCHPOINT_DATABASE_URL": database_url(database), "TOUCHPOINT_SECRET_KEY": secret_key}
    if pool_size is not None:
        env["TOUCHPOINT_DATABASE_POOL_SIZE"] = str(pool_size)
    return env


def _state_file(database: str) -> Path:
    return RESULTS_DIR / f"{database}.json"


def _exists(database: str) -> bool:
    found = psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    return found == "1"


def _touchpoint(arguments: list[str], env: dict[str, str], timeout: float) -> str:
    return run([str(VENV_BIN / "touchpoint"), *arguments], timeout=timeout, env=env)


def _recreate(database: str, env: dict[str, str]) -> dict[str, str]:
    """A new, migrated database with one bootstrapped organization; returns its credentials."""
    psql("postgres", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {database}")
    _touchpoint(["migrate"], env, timeout=300)
    output = _touchpoint(
        ["bootstrap", "--org-name", "Bench Org", "--email", "bench@example.com", *OWNER_NAME],
        env,
        timeout=300,
    )
    credentials: dict[str, str] = json.loads(output)
    return credentials


def _load(database: str, org_id: int, user_id: int, accounts: int, activities: int) -> None:
    started = time.monotonic()
    log(f"loading {accounts:,} accounts and {activities:,} activities (takes minutes)")
    variables = {
        "org_id": str(org_id),
        "user_id": str(user_id),
        "accounts": str(accounts),
        "activities": str(activities),
    }
    psql_file(database, LOAD_SQL, variables, timeout=3600)
    log(f"loaded in {time.monotonic() - started:.0f} s; VACUUM ANALYZE")
    psql(database, "VACUUM ANALYZE", timeout=3600)
    log(f"ready after {time.monotonic() - started:.0f} s")


def _id_range(database: str, table: str, org_id: int) -> tuple[int, int, int]:
    row = psql(
        database,
        f"SELECT min(id), max(id), count(*) FROM {table}"
        f" WHERE organization_id = {org_id} AND uid LIKE '{LOADED_UID}'",
        timeout=300,
    )
    low, high, count = row.split("|")
    if not low:
        raise BenchError(f"no loaded {table} in {database}")
    return int(low), int(high), int(count)


def _dataset(database: str, credentials: dict[str, str]) -> Dataset:
    org_id = int(credentials["orgId"])
    account_min, account_max, _ = _id_range(database, "accounts", org_id)
    activity_min, activity_max, count = _id_range(database, "activities", org_id)
    key_id = psql(database, f"SELECT min(id) FROM api_keys WHERE organization_id = {org_id}")
    return Dataset(
        database=database,
        org_id=org_id,
        user_id=int(credentials["userId"]),
        email=credentials["email"],
        password=credentials["password"],
        api_key=credentials["apiKey"],
        api_key_id=int(key_id),
        account_min=account_min,
        account_max=account_max,
        activity_min=activity_min,
        activity_max=activity_max,
        activities=count,
    )


def _reusable(database: str, activities: int) -> Dataset | None:
    state = _state_file(database)
    if not state.exists() or not _exists(database):
        log(f"--reuse: no earlier {database} (or its {state.name}); loading afresh")
        return None
    try:
        dataset = _dataset(database, json.loads(state.read_text()))
    except (BenchError, KeyError, ValueError) as error:
        log(f"--reuse: {database} is not a complete bench database ({error}); loading afresh")
        return None
    if dataset.activities != activities:
        log(f"--reuse: {database} holds {dataset.activities:,} activities; loading afresh")
        return None
    return dataset


def reset_created_rows(dataset: Dataset) -> None:
    """Deletes what earlier runs created (create benches), so every run starts from the load."""
    deleted = psql(
        dataset.database,
        f"WITH gone AS (DELETE FROM activities WHERE organization_id = {dataset.org_id}"
        f" AND uid NOT LIKE '{LOADED_UID}' RETURNING 1) SELECT count(*) FROM gone",
        timeout=600,
    )
    if deleted != "0":
        log(f"deleted {deleted} activities created by an earlier run; VACUUM ANALYZE activities")
        psql(dataset.database, "VACUUM ANALYZE activities", timeout=1800)


def prepare(
    database: str, secret_key: str, *, reuse: bool, accounts: int, activities: int
) -> Dataset:
    """The bench database, loaded afresh, or (reuse) the earlier one reset to its load."""
    env = service_env(database, secret_key)
    dataset = _reusable(database, activities) if reuse else None
    if dataset is None:
        credentials = _recreate(database, env)
        org_id, user_id = int(credentials["orgId"]), int(credentials["userId"])
        _load(database, org_id, user_id, accounts, activities)
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        _state_file(database).write_text(json.dumps(credentials, indent=2) + "\n")
        dataset = _dataset(database, credentials)
    else:
        log(f"--reuse: {database} with {dataset.activities:,} activities")
        _touchpoint(["migrate"], env, timeout=300)
    reset_created_rows(dataset)
    return dataset


def describe(dataset: Dataset) -> dict[str, object]:
    """The dataset without its secrets, for the report."""
    public = asdict(dataset)
    for secret in ("password", "api_key", "email"):
        public.pop(secret)
    return public

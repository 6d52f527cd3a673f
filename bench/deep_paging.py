"""A valid cursor 10,000 pages deep into the organization-wide list, and what SQL costs there."""

import re
import statistics
from datetime import UTC, datetime

from dataset import Dataset
from tools import BenchError, psql

import touchpoint
from touchpoint.activities.repository import SORT_ORDERS
from touchpoint.core.paging import CursorCodec, Position

SORT = "-activityTimestamp"
PAGE_SIZE = 50
PAGES_SKIPPED = 10_000
EXPLAIN_REPEATS = 7

# The statement GET /v1/activities?limit=50 issues (ActivityRepository.list_page), with the
# keyset condition the cursor adds; {after} is empty on page 1.
_LIST_SQL = (
    "SELECT activities.id, activities.uid, activities.account_id, activities.type,"
    " activities.status, activities.activity_timestamp, activities.duration,"
    " activities.location, activities.participants, activities.attachment_urls,"
    " activities.title, activities.description, activities.metadata, activities.is_active,"
    " activities.created_by AS creator_id, activities.owner_id, activities.visibility,"
    " activities.outcome, activities.remind_at, activities.follow_up_of_id,"
    " activities.completed_at, activities.tags, activities.created_at, activities.updated_at,"
    " activities.deleted_at, accounts.name AS account, users.name AS creator,"
    " users.email AS creator_email, owners.name AS owner, owners.email AS owner_email"
    " FROM activities JOIN accounts ON accounts.organization_id = activities.organization_id"
    " AND accounts.id = activities.account_id JOIN users ON users.id = activities.created_by"
    " JOIN users AS owners ON owners.id = activities.owner_id"
    " WHERE activities.organization_id = {org} AND activities.deleted_at IS NULL{after}"
    " ORDER BY activities.activity_timestamp DESC, activities.id DESC LIMIT 51"
)


def touchpoint_file() -> str:
    """Where the measured touchpoint package lives (the venv running the bench decides)."""
    return str(touchpoint.__file__)


def position_after_pages(dataset: Dataset, pages: int = PAGES_SKIPPED) -> Position:
    """The keyset position of the last row of page `pages` (row 500,000 for 10,000 pages)."""
    row = psql(
        dataset.database,
        "SELECT to_char(activity_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'),"
        f" id FROM activities WHERE organization_id = {dataset.org_id} AND deleted_at IS NULL"
        f" ORDER BY activity_timestamp DESC, id DESC OFFSET {pages * PAGE_SIZE - 1} LIMIT 1",
        timeout=300,
    )
    if not row:
        raise BenchError(f"the organization has fewer than {pages * PAGE_SIZE} activities")
    timestamp, row_id = row.split("|")
    return Position(datetime.fromisoformat(timestamp).replace(tzinfo=UTC), int(row_id))


def cursor_for(secret_key: str, position: Position) -> str:
    return CursorCodec(secret_key).encode(SORT_ORDERS[SORT], position)


def list_sql(dataset: Dataset, after: Position | None) -> str:
    condition = ""
    if after is not None:
        condition = (
            " AND (activities.activity_timestamp, activities.id)"
            f" < ('{after.value.isoformat()}'::timestamptz, {after.id})"
        )
    return _LIST_SQL.format(org=dataset.org_id, after=condition)


def execution_ms(dataset: Dataset, sql: str) -> float:
    """Median server-side execution time of the statement, from EXPLAIN ANALYZE."""
    times = []
    for _ in range(EXPLAIN_REPEATS):
        plan = psql(dataset.database, f"EXPLAIN (ANALYZE, BUFFERS) {sql}", timeout=120)
        found = re.search(r"Execution Time: ([\d.]+) ms", plan)
        if found is None:
            raise BenchError(f"EXPLAIN printed no execution time:\n{plan}")
        times.append(float(found.group(1)))
    return statistics.median(times)


def plan_text(dataset: Dataset, sql: str) -> str:
    return psql(dataset.database, f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}", timeout=120)

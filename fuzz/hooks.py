"""Schemathesis hooks (loaded through SCHEMATHESIS_HOOKS by fuzz/run.py).

The fuzzer acts as the organization's owner and may revoke API keys, demote and remove members:
it would sooner or later draw its own key's or user's id and lock itself out, and every later
request would be a 401 or 403 that tests nothing. Requests naming those two ids are pointed at an
id no row has instead (a 404); everything else is sent as generated.
"""

import os
from typing import Any
from urllib.parse import urlsplit

import schemathesis

_UNUSED_ID = "9223372036854775807"
# Cases sent elsewhere than generated: what they answer says nothing about the generated request.
_REDIRECTED: set[str] = set()
_PROTECTED = {
    "revokeApiKey": ("key_id", os.environ.get("TOUCHPOINT_FUZZ_KEY_ID", "")),
    "changeMemberRole": ("user_id", os.environ.get("TOUCHPOINT_FUZZ_USER_ID", "")),
    "removeMember": ("user_id", os.environ.get("TOUCHPOINT_FUZZ_USER_ID", "")),
}


def _names(value: Any, protected: str) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and text.lstrip("0") == protected


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: Any, kwargs: dict[str, Any]) -> None:
    _spare_own_credentials(case)
    _no_forged_cursor(case)


def _spare_own_credentials(case: Any) -> None:
    operation_id = (case.operation.definition.raw or {}).get("operationId")
    if operation_id not in _PROTECTED or not case.path_parameters:
        return
    parameter, protected = _PROTECTED[operation_id]
    if protected and _names(case.path_parameters.get(parameter), protected):
        case.path_parameters[parameter] = _UNUSED_ID
        _REDIRECTED.add(case.id)


def _no_forged_cursor(case: Any) -> None:
    """A cursor is signed: a string the service did not issue is a 400 however well formed, so
    a generated one is sent only by negative cases, which expect exactly that refusal."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not case.query:
        return
    case.query.pop("cursor", None)


# Resources restored (POST …/restore) and not deleted again since: a restore brings a deleted
# row back, which the use-after-free check does not know.
_RESTORED: set[str] = set()


def _sent_path(response: Any) -> str:
    return urlsplit(str(response.request.url)).path.rstrip("/")


# Activities and contacts by path, with their account's path; and the accounts deleted (a
# cascade deletes their activities and contacts, which the checks cannot know).
_ACCOUNT_OF: dict[str, str] = {}
_DELETED_ACCOUNTS: set[str] = set()
_ACCOUNT_OWNED = ("/v1/activities/", "/v1/contacts/")


@schemathesis.hook
def after_call(context: schemathesis.HookContext, case: Any, response: Any) -> None:
    if not 200 <= response.status_code < 300:
        return
    path = _sent_path(response)
    method = case.method.upper()
    if method == "POST" and path.endswith("/restore"):
        _RESTORED.add(path.removesuffix("/restore"))
        _DELETED_ACCOUNTS.discard(path.removesuffix("/restore"))
    elif method == "DELETE":
        _RESTORED.discard(path)
        if path.startswith("/v1/accounts/"):
            _DELETED_ACCOUNTS.add(path)
    _note_account(response)


def _note_account(response: Any) -> None:
    """Which account each activity or contact the fuzzer created or moved belongs to."""
    try:
        body = response.json()
    except ValueError:
        return
    if not isinstance(body, dict) or "accountId" not in body or "id" not in body:
        return
    for prefix in _ACCOUNT_OWNED:
        if _sent_path(response).startswith(prefix.rstrip("/")):
            _ACCOUNT_OF[prefix + str(body["id"])] = f"/v1/accounts/{body['accountId']}"


def _deleted_with_its_account(path: str) -> bool:
    resource = next(
        (
            prefix + path[len(prefix) :].split("/", 1)[0]
            for prefix in _ACCOUNT_OWNED
            if path.startswith(prefix)
        ),
        None,
    )
    return resource is not None and _ACCOUNT_OF.get(resource) in _DELETED_ACCOUNTS


def _restored(path: str) -> bool:
    return any(path == resource or path.startswith(resource + "/") for resource in _RESTORED)


@schemathesis.hook
def filter_failure(
    context: schemathesis.HookContext, failure: Any, case: Any, response: Any
) -> bool:
    """A request the fuzzer's own credentials were spared from (above) was not sent as
    generated, so its answer (404 for the unused id) is not held against it.

    Deletes are soft (contract section 4): an owner still reads a deleted row with
    `includeDeleted=true`, and its change history. Those two reads are not a use after free;
    every other read of a deleted row still fails the check. A row restored since its delete
    (`POST …/restore`, which the check does not know) is live again. An activity or contact
    whose account was deleted since (`DELETE /v1/accounts/{id}?cascade=true` deletes them) is
    rightly 404, though the checks saw only the account's delete."""
    if case.id in _REDIRECTED:
        return False
    path = _sent_path(response)
    if failure.code in ("ST301", "ST302") and _deleted_with_its_account(path):
        return False  # an account's cascade deleted it: a 404 is right
    if failure.code != "ST301":
        return True
    include_deleted = str((case.query or {}).get("includeDeleted", "")).lower() == "true"
    return not (include_deleted or path.endswith("/history") or _restored(path))

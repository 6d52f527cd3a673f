"""Structure: every route that writes is retried after a deadlock; core/ imports no feature."""

from fastapi.routing import APIRoute

from touchpoint.app import create_app
from touchpoint.core.retries import RetryingRoute
from touchpoint.core.settings import Settings

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def api_routes(routes):
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def test_every_writing_route_is_a_retrying_route(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    writers = [route for route in api_routes(app.routes) if route.methods & WRITE_METHODS]
    assert len(writers) >= 20
    plain = [f"{sorted(route.methods)} {route.path}" for route in writers]
    plain = [
        name
        for name, route in zip(plain, writers, strict=True)
        if not isinstance(route, RetryingRoute)
    ]
    assert plain == []


FEATURES = ("accounts", "activities", "api_keys", "auth", "contacts", "history", "members")


def test_core_imports_no_feature():
    """Shared machinery lives in core/, and core/ depends on no feature."""
    import ast
    from pathlib import Path

    import touchpoint

    core = Path(touchpoint.__file__).parent / "core"
    found = []
    for path in sorted(core.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "touchpoint" and len(parts) > 1 and parts[1] in FEATURES:
                    found.append(f"{path.name}: {node.module}")
    assert found == []

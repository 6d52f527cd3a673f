"""Structure: every route that writes is retried after a deadlock; core/ imports no feature and
features import each other in one direction only."""

import ast
from pathlib import Path

from fastapi.routing import APIRoute

import touchpoint
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


PACKAGE = Path(touchpoint.__file__).parent
# Every folder of the package but the shared machinery is a feature.
FEATURES = sorted(
    path.name
    for path in PACKAGE.iterdir()
    if (path / "__init__.py").exists() and path.name not in ("core", "models", "migrations")
)


def imported_features(folder: Path) -> set[str]:
    """The features a folder's modules import from, itself left out."""
    found = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "touchpoint" and len(parts) > 1 and parts[1] in FEATURES:
                    found.add(parts[1])
    return found - {folder.name}


def test_core_imports_no_feature():
    """Shared machinery lives in core/, and core/ depends on no feature."""
    assert imported_features(PACKAGE / "core") == set()
    assert imported_features(PACKAGE / "models") == set()


def test_features_import_each_other_in_one_direction_only():
    """A newcomer reads a request downward: no feature imports one that imports it back."""
    graph = {feature: imported_features(PACKAGE / feature) for feature in FEATURES}
    assert len(graph) >= 10

    def loop_from(start, path):
        for following in sorted(graph[path[-1]]):
            if following == start:
                return [*path, start]
            if following not in path:
                found = loop_from(start, [*path, following])
                if found:
                    return found
        return None

    loops = [" -> ".join(loop) for feature in FEATURES if (loop := loop_from(feature, [feature]))]
    assert loops == []


def test_activities_never_import_analysis():
    """Analysis is built on the activities list, in that direction only."""
    assert "analysis" not in imported_features(PACKAGE / "activities")

"""Tenancy by construction: only auth/repository.py may build SQL statements without TenantScope.

Every other repository must start its statements from `scope.select/update/insert`, which add
the organization condition; importing SQLAlchemy's constructors would let one forget it.
"""

import ast
from pathlib import Path

import pytest

import touchpoint

PACKAGE = Path(touchpoint.__file__).parent
CONSTRUCTORS = {"select", "update", "insert", "delete"}
EXEMPT = {PACKAGE / "auth" / "repository.py"}
# core/prepared.py runs hot statements straight on the driver: it must only run statements
# built elsewhere from the scope, never build one.
REPOSITORIES = sorted(
    [
        *PACKAGE.glob("*/repository.py"),
        PACKAGE / "core" / "resources.py",
        PACKAGE / "core" / "prepared.py",
    ]
)


def _is_the_scope(node: ast.expr) -> bool:
    """`scope` or `….scope`: the TenantScope, whose methods add the organization."""
    return (isinstance(node, ast.Name) and node.id == "scope") or (
        isinstance(node, ast.Attribute) and node.attr == "scope"
    )


def forbidden_imports(source: str) -> list[str]:
    """Statement constructors a module takes from sqlalchemy, however it imports them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found += [alias.name for alias in node.names if alias.name in CONSTRUCTORS]
            found += [alias.name for alias in node.names if alias.name == "*"]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.Attribute) and node.attr in CONSTRUCTORS:
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in ("sqlalchemy", "sa"):
                found.append(f"{base.id}.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CONSTRUCTORS
            and not _is_the_scope(node.func.value)
        ):
            # `change_history.insert()`: a table's own statement, without the organization.
            found.append(f"{ast.unparse(node.func)}()")
    return found


class TestTheCheckItself:
    @pytest.mark.parametrize(
        "source",
        [
            "from sqlalchemy import select",
            "from sqlalchemy import and_, update as u",
            "from sqlalchemy.sql import insert",
            "from sqlalchemy.sql.expression import delete",
            "from sqlalchemy import *",
            "import sqlalchemy\nsqlalchemy.select(1)",
            "import sqlalchemy as sa",
            "def f():\n    from sqlalchemy import select",
            "change_history.insert()",
            "self.table.update().where(x)",
            "accounts.select()",
        ],
    )
    def test_it_catches_every_way_to_import_a_constructor(self, source):
        assert forbidden_imports(source)

    def test_it_allows_what_repositories_need(self):
        source = "from sqlalchemy import RowMapping, exists, func\nfrom sqlalchemy.exc import X"
        assert forbidden_imports(source) == []
        scoped = "self.scope.insert(t, {})\nscope.select(t)\nself.scope.update(t).where(x)"
        assert forbidden_imports(scoped) == []


class TestRepositoriesBuildStatementsThroughTheTenantScope:
    def test_the_repositories_are_found(self):
        names = {path.parent.name for path in REPOSITORIES}
        assert {"auth", "accounts", "activities", "analysis"} <= names

    @pytest.mark.parametrize(
        "path", [p for p in REPOSITORIES if p not in EXEMPT], ids=lambda p: p.parent.name
    )
    def test_no_repository_imports_sqlalchemy_statement_constructors(self, path):
        assert forbidden_imports(path.read_text()) == [], (
            f"{path.relative_to(PACKAGE)} must build statements from TenantScope"
        )

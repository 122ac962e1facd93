"""The accounts app knows no platform by name: the registry's account specs tell it everything."""

import ast
import re
from pathlib import Path

from django.conf import settings

from menueditor.platforms import PLATFORMS

ACCOUNTS = Path(settings.BASE_DIR) / "accounts"


def sources() -> list[Path]:
    return [
        path
        for path in sorted(ACCOUNTS.rglob("*"))
        if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts
    ]


def test_no_platform_is_named_in_accounts_or_the_settings():
    names = re.compile("|".join(PLATFORMS), re.IGNORECASE)
    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}"
        for path in [*sources(), Path(settings.BASE_DIR) / "menueditor" / "settings.py"]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if names.search(line)
    ]
    assert len(sources()) > 10  # the walk found the app
    assert found == []


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module",
            "__import__",
        ):
            modules |= {arg.value for arg in node.args if isinstance(arg, ast.Constant)}
    return modules


def test_accounts_never_imports_publishing():
    # Publishing depends on accounts (leases, tokens); accounts reaches platforms through the registry.
    offenders = {
        str(path.relative_to(settings.BASE_DIR)): sorted(
            m for m in imported_modules(path) if "publishing" in m
        )
        for path in sources()
        if path.suffix == ".py"
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_import_check_would_see_a_publishing_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from menueditor.publishing import check_connection\n", encoding="utf-8")
    assert "menueditor.publishing" in imported_modules(sample)
    sample.write_text("from menueditor import publishing\n", encoding="utf-8")
    assert "menueditor.publishing" in imported_modules(sample)

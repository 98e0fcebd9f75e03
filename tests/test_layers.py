"""The apps form layers: each imports only the apps below it (config/settings.py lists them lowest
first), so the organisation never depends on the back office, nor the SMS outbox on requests."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

LAYERS = [app for app in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / app / "apps.py").exists()]


def imported_apps(path: Path) -> set[str]:
    """Project apps a module imports, at any depth of the file (also inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found & set(LAYERS)


def back_imports(app: str, root: Path = Path(settings.BASE_DIR)) -> list[str]:
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    return [
        f"{path.relative_to(root)} imports {', '.join(sorted(imported_apps(path) & above))}"
        for path in sorted((root / app).rglob("*.py"))
        if imported_apps(path) & above
    ]


def test_the_layers_are_the_documented_ones():
    assert LAYERS == [
        "core",
        "organisation",
        "accounts",
        "services",
        "deadlines",
        "notifications",
        "documents",
        "hall",
        "requests_app",
        "backoffice",
        "complaints",
        "correspondence",
        "reports",
        "demo",
    ]


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_a_higher_layer(app):
    assert back_imports(app) == []


def test_a_back_import_is_caught(tmp_path):
    """The check itself can fail: a module of the organisation importing the back office."""
    (tmp_path / "organisation").mkdir()
    (tmp_path / "organisation" / "probe.py").write_text(
        "import core.text\n\ndef probe():\n    from backoffice.selectors import department_queue\n"
    )
    assert back_imports("organisation", tmp_path) == ["organisation/probe.py imports backoffice"]

"""Test modules stand alone: what several of them share lives in tests/helpers.py (or fakes.py,
or a conftest.py fixture), so no test module imports another, nor conftest.py."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent


def _imported_modules(path: Path) -> list[str]:
    """Every module an import in `path` names, relative imports made absolute within tests."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = "tests" if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names.append(module)
            if not node.module:  # `from . import test_x`
                names += [f"{module}.{alias.name}" for alias in node.names]
    return names


def _is_test_module(name: str) -> bool:
    parts = name.split(".")
    return (
        parts[0] == "tests"
        and len(parts) > 1
        and (parts[1].startswith("test_") or parts[1] == "conftest")
    )


@pytest.mark.parametrize("path", sorted(TESTS.glob("test_*.py")), ids=lambda p: p.name)
def test_no_test_module_imports_another(path):
    wrong = [name for name in _imported_modules(path) if _is_test_module(name)]
    assert not wrong, f"{path.name} imports {wrong}: move what it shares to tests/helpers.py"


def test_the_check_sees_the_ways_to_import_a_test_module(tmp_path):
    module = tmp_path / "test_example.py"
    module.write_text(
        "from tests.test_a import x\nimport tests.test_b\nfrom .test_c import y\n"
        "from . import test_d\nfrom tests.conftest import z\nfrom tests.helpers import h\n"
    )
    assert [name for name in _imported_modules(module) if _is_test_module(name)] == [
        "tests.test_a",
        "tests.test_b",
        "tests.test_c",
        "tests.test_d",
        "tests.conftest",
    ]

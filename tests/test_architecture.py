"""The domain imports neither Litestar nor the openai SDK; nothing reads settings at import."""

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).parent.parent / "service" / "domain"
FORBIDDEN = ("litestar", "openai", "httpx", "httpx2", "uvicorn")


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: p.name)
def test_domain_modules_import_no_web_or_model_sdk(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"

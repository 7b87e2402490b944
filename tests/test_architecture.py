"""The layout is the design: the domain's parts import one another in one direction only, the
domain imports neither the web framework nor the model SDK, and its top stays small."""

import ast
from pathlib import Path

import pytest

SERVICE = Path(__file__).parent.parent / "service"
DOMAIN = SERVICE / "domain"
FORBIDDEN = ("litestar", "openai", "httpx", "httpx2", "uvicorn")
# Each part of the domain may import the parts before it, never those after it. "top" is the
# shared vocabulary at the top of service/domain/ (errors, words, results, the model protocol).
LAYERS = ("top", "reading", "verification", "engines", "pipeline")
MAX_TOP_MODULES = 8


def _domain_modules() -> list[Path]:
    return sorted(DOMAIN.rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """(level, module) of every import: level 0 is absolute, 1 is "from .x", 2 "from ..x"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(0, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def _part_of(path: Path) -> str:
    relative = path.relative_to(DOMAIN).parts
    return relative[0] if len(relative) > 1 else "top"


def _imported_part(path: Path, level: int, module: str) -> str | None:
    """The domain part an import reaches, or None when it leaves the domain."""
    if level == 0:
        parts = module.split(".")
        if parts[:2] != ["service", "domain"]:
            return None
        target = DOMAIN.joinpath(*parts[2:])
    else:
        target = path.parent
        for _ in range(level - 1):
            target = target.parent
        target = target.joinpath(*module.split(".")) if module else target
    relative = target.relative_to(DOMAIN).parts
    return relative[0] if relative and relative[0] in LAYERS else "top"


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_modules_import_no_web_or_model_sdk(path):
    for level, name in _imports(path):
        if level == 0:
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_parts_import_only_earlier_parts(path):
    here = LAYERS.index(_part_of(path))
    for level, name in _imports(path):
        part = _imported_part(path, level, name)
        if part is not None:
            assert LAYERS.index(part) <= here, (
                f"{path.relative_to(DOMAIN)} ({LAYERS[here]}) imports {'.' * level}{name} ({part})"
            )


def test_every_module_of_the_domain_lives_in_a_known_part():
    folders = {p.name for p in DOMAIN.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(LAYERS[1:])


def test_the_top_of_the_domain_stays_small():
    top = [p for p in DOMAIN.glob("*.py") if p.name != "__init__.py"]
    assert len(top) <= MAX_TOP_MODULES, sorted(p.name for p in top)


@pytest.mark.parametrize(
    "path", sorted(SERVICE.rglob("*.py")), ids=lambda p: str(p.relative_to(SERVICE))
)
def test_only_the_model_client_imports_the_model_sdk(path):
    if path.is_relative_to(SERVICE / "model_client"):
        return
    for level, name in _imports(path):
        if level == 0:
            assert name.split(".")[0] != "openai", f"{path.relative_to(SERVICE)} imports {name}"

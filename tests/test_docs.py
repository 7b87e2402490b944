"""The docs keep up with the code: every setting is documented, the README stays a short front
door, every link resolves, and every path the docs name exists."""

from pathlib import Path
import re

import pytest

from service.settings import Settings

ROOT = Path(__file__).parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text()
DOCS = sorted((ROOT / "docs").glob("*.md"))
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
MAX_README_LINES = 200

# [text](target) outside code; images too. Targets with a scheme (https:, mailto:) are not ours.
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
# `service/...`, `tests/...` and the like, in backticks: paths in this repository.
_PATH = re.compile(r"`((?:service|tests|bench|evals|prompts|docs)/[\w./-]*)`")


def _prose(text: str) -> str:
    """The text without fenced code blocks (a link or path in an example is not ours)."""
    return _FENCE.sub("", text)


def _anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for line in _prose(path.read_text()).splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", heading)))
    return anchors


def _relative_links(path: Path) -> list[str]:
    return [
        target
        for target in _LINK.findall(_prose(path.read_text()))
        if not re.match(r"[a-z][a-z0-9+.-]*:", target)
    ]


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_configuration_page(field):
    assert f"`FOOTNOTED_{field.upper()}`" in CONFIGURATION


def test_the_readme_is_a_short_front_door():
    lines = len(README.splitlines())
    assert lines <= MAX_README_LINES, f"README.md has {lines} lines; move detail into docs/"


def test_the_readme_links_every_docs_page():
    linked = {(ROOT / target.split("#")[0]).resolve() for target in _relative_links(README_PATH)}
    assert DOCS, "docs/ has no pages"
    missing = [page.name for page in DOCS if page.resolve() not in linked]
    assert not missing, f"README.md links no docs page {missing}"


@pytest.mark.parametrize("page", [README_PATH, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in _relative_links(page):
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.name}: {broken}"


@pytest.mark.parametrize("page", [README_PATH, *DOCS], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_the_docs_name_exists(page):
    missing = [
        path for path in _PATH.findall(page.read_text()) if not (ROOT / path.split(" ")[0]).exists()
    ]
    assert not missing, f"{page.name} names paths that do not exist: {missing}"


def _layout_paths() -> list[str]:
    """The files and folders of the README's layout map, one indent level per two spaces."""
    block = README.split("## Layout", 1)[1].split("```", 2)[1]
    stack: list[str] = []
    paths = []
    for line in block.splitlines():
        name = line.strip().split(" ")[0]
        indent = (len(line) - len(line.lstrip())) // 2
        if not (name.endswith("/") or name.endswith(".py")) or indent > len(stack):
            continue  # a comment's continuation line
        stack = stack[:indent]
        paths.append("".join(stack) + name)
        if name.endswith("/"):
            stack.append(name)
    return paths


def test_the_layout_map_names_only_what_exists():
    paths = _layout_paths()
    assert "service/domain/pipeline/verify_text.py" in paths, paths  # the parser reads the map
    missing = [path for path in paths if not (ROOT / path).exists()]
    assert not missing, f"the README's layout map names what does not exist: {missing}"

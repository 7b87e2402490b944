"""Prompts as data: files in prompts/ with a version and named placeholders.

The repository's top-level prompts/ folder is installed as the package `service.prompts` (see
setup.py), so the files are found with importlib.resources, from a wheel as from a checkout.
"""

from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
import re
from string import Template

PROMPTS_PACKAGE = "service.prompts"
_SECTION = re.compile(r"^--- (system|user)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    system: Template
    user: Template

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def messages(self, **values: object) -> list[dict[str, str]]:
        """Chat messages with every placeholder filled (a missing one is a KeyError)."""
        return [
            {"role": "system", "content": self.system.substitute(values).strip()},
            {"role": "user", "content": self.user.substitute(values).strip()},
        ]


def load_prompt(name: str, directory: Path | Traversable | None = None) -> Prompt:
    """The prompt `name` from `directory`, by default the installed prompt files."""
    folder = files(PROMPTS_PACKAGE) if directory is None else directory
    text = (folder / f"{name}.md").read_text(encoding="utf-8")
    header, *parts = _SECTION.split(text)
    version = re.fullmatch(r"version:\s*(\S+)\s*", header.strip() + "\n")
    sections = dict(zip(parts[::2], parts[1::2], strict=True))
    if version is None or set(sections) != {"system", "user"}:
        raise ValueError(f"prompt {name!r}: needs a 'version:' line, then --- system and --- user")
    return Prompt(
        name=name,
        version=version.group(1),
        system=Template(sections["system"]),
        user=Template(sections["user"]),
    )

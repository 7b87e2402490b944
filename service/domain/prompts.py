"""Prompts as data: files in prompts/ with a version and named placeholders."""

from dataclasses import dataclass
from pathlib import Path
import re
from string import Template

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
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
        return [{"role": "system", "content": self.system.substitute(values).strip()},
                {"role": "user", "content": self.user.substitute(values).strip()}]


def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> Prompt:
    text = (directory / f"{name}.md").read_text()
    header, *parts = _SECTION.split(text)
    version = re.fullmatch(r"version:\s*(\S+)\s*", header.strip() + "\n")
    sections = dict(zip(parts[::2], parts[1::2]))
    if version is None or set(sections) != {"system", "user"}:
        raise ValueError(f"prompt {name!r}: needs a 'version:' line, then --- system and --- user")
    return Prompt(name=name, version=version.group(1), system=Template(sections["system"]),
                  user=Template(sections["user"]))

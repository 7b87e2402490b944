"""The one way out to a language model, as the domain sees it.

The openai SDK stays behind this protocol (service/llm.py); tests hand in scripted clients.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int


class ModelClient(Protocol):
    async def complete_json(self, *, model: str, messages: list[dict[str, str]],
                            schema_name: str, schema: dict, max_tokens: int) -> Completion:
        """One chat completion whose content is a JSON object following `schema`.

        Raises ModelTimeout, ModelBusy, ModelUnavailable or ModelBadOutput (truncated, refused).
        """
        ...

    def stream_json(self, *, model: str, messages: list[dict[str, str]], schema_name: str,
                    schema: dict, max_tokens: int) -> AsyncIterator["str | Completion"]:
        """The same call, streamed: text deltas as they come, then the whole Completion."""
        ...

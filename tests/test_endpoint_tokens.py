"""Counting with the endpoint's own tokenizer (llama.cpp, vLLM), and tiktoken elsewhere."""

import json

import httpx

from service.domain.engines.llm import LLMEngine
from service.domain.reading.article import build_article
from service.model_client.endpoint_tokens import probe
from tests.fakes import ScriptedClient


def words(text: str) -> list[int]:
    return list(range(len(text.split())))  # a tokenizer of one token a word


def llama_cpp(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/props":
        return httpx.Response(200, json={"default_generation_settings": {"n_ctx": 4096}})
    if request.url.path == "/tokenize":
        body = json.loads(request.content)
        if "content" not in body:
            return httpx.Response(400, json={"error": "content required"})
        return httpx.Response(200, json={"tokens": words(body["content"])})
    return httpx.Response(404)


def vllm(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/tokenize":
        body = json.loads(request.content)
        if "prompt" not in body:
            return httpx.Response(400, json={"detail": "prompt required"})
        tokens = words(body["prompt"])
        return httpx.Response(
            200, json={"count": len(tokens), "max_model_len": 32768, "tokens": tokens}
        )
    return httpx.Response(404)


def openai_like(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404, json={"error": "not found"})


def test_llama_cpp_counts_and_context_come_from_the_server():
    found = probe("http://model.test/v1", "any", None, httpx.MockTransport(llama_cpp))
    assert found is not None and found.counter.flavour == "llama.cpp"
    assert found.context_tokens == 4096
    assert found.counter.count("one two three") == 3
    assert found.counter.margin == 0.0 and found.counter.budget(4096) == 4096


def test_vllm_counts_and_context_come_from_the_server():
    found = probe("http://model.test/v1/", "m", "key", httpx.MockTransport(vllm))
    assert found is not None and found.counter.flavour == "vllm"
    assert found.context_tokens == 32768
    assert found.counter.count("a b") == 2


def test_an_endpoint_without_a_tokenizer_keeps_tiktoken():
    assert probe("http://model.test/v1", "gpt-4o", "k", httpx.MockTransport(openai_like)) is None
    engine = LLMEngine(ScriptedClient(), "gpt-4o", context_tokens=8192)
    assert engine.budget.tokenizer.margin > 0  # the fallback keeps its spare


def test_truncate_keeps_a_start_within_the_count():
    found = probe("http://model.test/v1", "any", None, httpx.MockTransport(llama_cpp))
    assert found is not None
    text = "one two three four five six seven"
    cut = found.counter.truncate(text, 3)
    assert text.startswith(cut) and found.counter.count(cut) <= 3 and cut == "one two three"


def test_the_engine_budgets_sentences_with_the_endpoint_counts():
    found = probe("http://model.test/v1", "any", None, httpx.MockTransport(llama_cpp))
    assert found is not None
    engine = LLMEngine(ScriptedClient(), "any", context_tokens=4096, counter=found.counter)
    article = build_article("The council met on Tuesday night. It voted to buy two ferries.")
    first = article.sentences[0]
    assert engine.budget.line_cost(first) == len(first.text.split()) + 4  # words, "[1] ", newline
    assert engine.budget.room("summarize") > 4096 - 1024 - 1000  # no 15% margin taken

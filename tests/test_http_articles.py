from litestar.testing import TestClient
import pytest

from service.http.app import create_app
from tests.helpers import assert_problem


def test_store_read_and_delete_an_article(client, ferry_text):
    created = client.post("/v1/articles", json={"text": ferry_text, "title": "Ferry"})
    assert created.status_code == 201
    body = created.json()
    assert set(body) >= {"id", "title", "text", "sentences", "tokens", "chunks"}
    fetched = client.get(f"/v1/articles/{body['id']}")
    assert fetched.status_code == 200 and fetched.json()["text"] == body["text"]
    assert client.delete(f"/v1/articles/{body['id']}").status_code == 204
    assert client.get(f"/v1/articles/{body['id']}").status_code == 404


def test_storing_the_same_article_twice_gives_the_same_id(client, ferry_text):
    first = client.post("/v1/articles", json={"text": ferry_text}).json()["id"]
    second = client.post("/v1/articles", json={"text": ferry_text + "\n"}).json()["id"]
    assert first == second


def test_a_restart_keeps_stored_articles(settings, ferry_text):
    with TestClient(create_app(settings)) as first_run:
        article_id = first_run.post("/v1/articles", json={"text": ferry_text}).json()["id"]
    with TestClient(create_app(settings)) as second_run:
        assert second_run.get(f"/v1/articles/{article_id}").status_code == 200


def test_html_articles_are_extracted(client):
    html = (
        "<html><body><nav>Home News Sport</nav><article><p>The harbor council met on "
        "Monday and approved a new ferry timetable for the winter season.</p></article>"
        "<script>steal()</script></body></html>"
    )
    body = client.post("/v1/articles", json={"text": html, "format": "html"}).json()
    assert "approved a new ferry timetable" in body["text"]
    assert "steal()" not in body["text"]


def test_articles_are_built_off_the_event_loop(client, monkeypatch, ferry_text):
    import asyncio

    from service.runtime import Runtime

    build, on_loop = Runtime.build, []

    def spy(self, given):
        try:
            asyncio.get_running_loop()
            on_loop.append(True)  # a long article would hold up every other request
        except RuntimeError:
            on_loop.append(False)
        return build(self, given)

    monkeypatch.setattr(Runtime, "build", spy)
    assert client.post("/v1/articles", json={"text": ferry_text}).status_code == 201
    assert client.post("/v1/summaries", json={"article": {"text": ferry_text}}).status_code == 200
    assert on_loop == [False, False]


def test_posting_an_article_again_with_another_url_keeps_the_new_url(client, ferry_text):
    first = client.post("/v1/articles", json={"text": ferry_text, "url": "https://a.example/1"})
    again = client.post("/v1/articles", json={"text": ferry_text, "url": "https://b.example/2"})
    assert first.json()["id"] == again.json()["id"]
    stored = client.get(f"/v1/articles/{again.json()['id']}").json()
    assert stored["url"] == again.json()["url"] == "https://b.example/2"


def test_stored_articles_are_listed_newest_first_with_pages(client):
    ids = []
    for n in range(3):
        text = f"Story {n}: the harbor board met on Monday about the ferry timetable. It ends."
        ids.append(client.post("/v1/articles", json={"text": text, "title": f"T{n}"}).json()["id"])
    first = client.get("/v1/articles", params={"limit": 2}).json()
    assert [a["id"] for a in first["articles"]] == ids[::-1][:2]
    assert first["next_offset"] == 2
    assert [a["title"] for a in first["articles"]] == ["T2", "T1"]
    assert first["articles"][0]["preview"].startswith("Story 2: the harbor board met")
    last = client.get("/v1/articles", params={"limit": 2, "offset": 2}).json()
    assert [a["id"] for a in last["articles"]] == [ids[0]] and last["next_offset"] is None
    client.delete(f"/v1/articles/{ids[1]}")
    assert ids[1] not in [a["id"] for a in client.get("/v1/articles").json()["articles"]]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=many"])
def test_a_bad_page_is_a_problem(client, query):
    assert_problem(client.get(f"/v1/articles?{query}"), 400)


def test_an_unknown_query_parameter_is_refused(client):
    response = client.get("/v1/articles?limt=5")
    assert_problem(response, 400)
    assert "limt" in response.json()["detail"]

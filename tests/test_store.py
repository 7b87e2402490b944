from service.domain.reading.article import build_article
from service.store import Store


def test_articles_survive_reopening(tmp_path, ferry_text):
    path = tmp_path / "db" / "f.db"
    article = build_article(ferry_text)
    store = Store(path)
    store.put_article(article)
    store.put_result("k1", article.id, {"summary": "x"})
    store.close()
    reopened = Store(path)
    assert reopened.get_article(article.id) == article
    assert reopened.get_result("k1") == {"summary": "x"}


def test_wal_mode(tmp_path):
    store = Store(tmp_path / "f.db")
    assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_delete_removes_the_article_and_its_cached_results(tmp_path, ferry_text):
    store = Store(tmp_path / "f.db")
    article = build_article(ferry_text)
    store.put_article(article)
    store.put_result("k1", article.id, {"a": 1})
    assert store.delete_article(article.id)
    assert store.get_article(article.id) is None and store.get_result("k1") is None
    assert not store.delete_article(article.id)


def test_a_result_finished_after_its_article_was_deleted_is_not_kept(tmp_path, ferry_text):
    store = Store(str(tmp_path / "f.db"))
    article = build_article(ferry_text)
    store.put_article(article)
    store.delete_article(article.id)  # while a request about it is still being answered
    store.put_result("k", article.id, {"quote": article.sentences[3].text})
    assert store.get_result("k") is None
    store.put_article(article)
    store.put_result("k", article.id, {"quote": article.sentences[3].text})
    assert store.get_result("k") is not None

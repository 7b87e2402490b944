from pydantic import ValidationError
import pytest

from service.settings import Settings, load_settings


def test_defaults_mean_the_extractive_engine():
    settings = load_settings()
    assert settings.default_engine == "extractive"
    assert settings.max_body_bytes == 8 * 1024 * 1024
    assert settings.max_article_chars == 1_000_000 and settings.max_messages == 50


def test_footnoted_variables_win_over_openai_ones(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://openai.invalid/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    settings = load_settings()
    assert settings.llm_base_url == "http://openai.invalid/v1"
    assert settings.llm_api_key.get_secret_value() == "sk-openai"
    assert settings.default_engine == "llm"
    monkeypatch.setenv("FOOTNOTED_LLM_BASE_URL", "http://local:8080/v1")
    assert load_settings().llm_base_url == "http://local:8080/v1"


def test_settings_are_read_when_asked_not_at_import(monkeypatch):
    monkeypatch.setenv("FOOTNOTED_DB", "/tmp/elsewhere.db")
    monkeypatch.setenv("FOOTNOTED_LLM_TIMEOUT_S", "5")
    settings = load_settings()
    assert settings.db == "/tmp/elsewhere.db" and settings.llm_timeout_s == 5.0


def test_keys_never_print(monkeypatch):
    monkeypatch.setenv("FOOTNOTED_LLM_API_KEY", "sk-secret")
    monkeypatch.setenv("FOOTNOTED_API_KEYS", "client-secret-1,client-secret-2")
    settings = load_settings()
    assert "sk-secret" not in repr(settings) and "client-secret" not in repr(settings)
    assert settings.api_key_list == ["client-secret-1", "client-secret-2"]


@pytest.mark.parametrize(
    "db",
    ["postgresql+psycopg://u@h/d", "mysql://u@h/d", "host=db dbname=footnoted", "redis://h/0"],
)
def test_a_database_footnoted_cannot_use_is_refused_not_opened_as_a_file(db):
    with pytest.raises(ValidationError, match="FOOTNOTED_DB|db"):
        Settings(db=db)


def test_database_urls_are_read_whatever_the_case_of_their_scheme():
    assert Settings(db="POSTGRESQL://u@h:5432/d").db == "postgresql://u@h:5432/d"
    assert Settings(db="data/footnoted.db").db == "data/footnoted.db"
    assert Settings(db="sqlite:///data/f.db").db == "sqlite:///data/f.db"


def test_redis_is_a_redis_url():
    with pytest.raises(ValidationError):
        Settings(redis_url="localhost:6379")
    assert Settings(redis_url="redis://127.0.0.1:6379/0").redis_url == "redis://127.0.0.1:6379/0"

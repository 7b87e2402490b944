from service.settings import load_settings


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

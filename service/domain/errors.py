"""Domain errors. The HTTP layer maps each to one RFC 9457 problem type, in one place."""


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""


class InvalidInput(DomainError):
    """The request is well-formed JSON but cannot be served as asked (422)."""


class LimitExceeded(DomainError):
    """A documented limit was passed; the message names the limit and its value (413 or 422)."""

    def __init__(self, limit: str, value: int, message: str) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value


class NotFound(DomainError):
    """An id that names nothing stored (404)."""


class BackendUnavailable(DomainError):
    """A backend the service keeps its state in (the database, Redis) does not answer (503,
    Retry-After); the service recovers by itself when it is back."""

    retry_after = 2.0


class EngineUnavailable(DomainError):
    """The engine asked for is not configured on this server (422)."""


class ModelError(DomainError):
    """A model call failed; never answered by another engine in its place (invariant 6)."""


class ModelTimeout(ModelError):
    """The model did not answer within its time budget (504)."""


class ModelBusy(ModelError):
    """The model endpoint refused for load (429) or the call queue is full (503, Retry-After)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ModelUnavailable(ModelError):
    """The endpoint failed: 5xx, connection refused or reset, or a request it rejected (502)."""


class ModelRejected(ModelUnavailable):
    """The endpoint works but refused this request (a 4xx: an unknown model name, a prompt too
    long); a 502 like any endpoint failure, but no sign that the endpoint is failing."""


class ModelBadOutput(ModelError):
    """The model answered, but not usably: malformed or truncated JSON, a refusal (502)."""

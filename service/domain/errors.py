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


class EngineUnavailable(DomainError):
    """The engine asked for is not configured on this server (422)."""

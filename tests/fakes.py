"""An in-process model client that replays queued answers (the scripted server is for the SDK)."""

from service.domain.model import Completion


class ScriptedClient:
    def __init__(self) -> None:
        self.answers: list[str | Exception] = []
        self.calls: list[list[dict[str, str]]] = []

    def enqueue(self, *answers: str | Exception) -> None:
        self.answers.extend(answers)

    async def complete_json(
        self, *, model, messages, schema_name, schema, max_tokens
    ) -> Completion:
        self.calls.append(messages)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return Completion(answer, prompt_tokens=100, completion_tokens=10)

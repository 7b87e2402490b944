"""The claim texts of a JSON answer while it is still arriving, for streaming them to a reader."""

import json
import re

_TEXT_FIELD = re.compile(r'"text"\s*:\s*"')
_HIGH_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}")


class ClaimTextStream:
    """Feed it the model's JSON piece by piece; it returns the claim text that is new."""

    def __init__(self) -> None:
        self._buffer = ""
        self._sent: list[str] = []  # what has been returned of each claim's text so far

    def feed(self, delta: str) -> str:
        self._buffer += delta
        out = []
        for index, text in enumerate(self._texts()):
            sent = self._sent[index] if index < len(self._sent) else None
            if sent is None:
                self._sent.append("")
                sent = ""
                if index:
                    out.append(" ")  # claims are joined by a space, as in the answer
            if len(text) > len(sent):
                out.append(text[len(sent) :])
                self._sent[index] = text
        return "".join(out)

    def _texts(self) -> list[str]:
        return [_decode_prefix(self._buffer, m.end()) for m in _TEXT_FIELD.finditer(self._buffer)]


def _decode_prefix(buffer: str, start: int) -> str:
    """The JSON string starting at `start`, decoded as far as it has arrived."""
    i = start
    while i < len(buffer) and buffer[i] != '"':
        if buffer[i] == "\\":
            if i + 1 >= len(buffer) or (buffer[i + 1] == "u" and i + 6 > len(buffer)):
                break  # an escape cut in half: wait for the rest
            if _HIGH_SURROGATE.match(buffer, i) and i + 12 > len(buffer):
                break  # half of a pair ("\ud83d" of 💶): wait for the other half
            i += 6 if buffer[i + 1] == "u" else 2
        else:
            i += 1
    try:
        text: str = json.loads('"' + buffer[start : min(i, len(buffer))] + '"')
        return text
    except json.JSONDecodeError:
        return ""

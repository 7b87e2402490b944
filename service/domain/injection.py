"""Prompt injection in article text: sentences that talk to an AI instead of a reader.

Such a sentence stays in the text (offsets stay valid) but is never cited, never chosen for a
summary or answer, and never shown to a model. The prompts also mark the whole article as
untrusted data; this check is the second line, for the attacks that are plain to see.
"""

from bisect import bisect_left
import re
import unicodedata

_PATTERNS = re.compile("|".join([
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|guidelines|"
    r"directions|(you were|you've been|you have been) (told|given))\b",  # "Ignore all previous..."
    r"\b(system|admin|developer) (note|prompt|override|instruction)s?\s*:",
    r"\b(you are|act as|pretend to be)\b.{0,30}\b(an? )?(ai|assistant|language model|chatbot|llm|"
    r"gpt)\b",
    r"\b(note|message|instructions?) (to|for) (any |all )?(ai|llms?|language models?|assistants?|"
    r"chatbots?|models?|summari[sz]ers?)\b",
    r"^\s*(system|assistant|developer)\s*(message)?\s*:",  # fake chat turns
    r"<\|?(im_start|im_end|system|endoftext)\|?>|\[/?inst\]|^#{2,}\s*(system|assistant|instruction)",
    r"\bdeveloper mode\b|\bjailbreak\b",
    r"\b(summar(y|ies)|answers?|responses?|outputs?|replies)\b.{0,30}\b(must|should|shall)\b.{0,20}"
    r"\b(say|state|report|include|mention|end|begin|start|contain|cite)",
    r"\b(at the (end|start|beginning) of|in) your (answer|summary|response|reply|output)\b",
    r"\b(assistants?|ai|models?|chatbots?|llms?)\b.{0,40}\b(must|should|shall)\b.{0,20}"
    r"\b(cite|say|state|report|answer|treat|use)\b",
    r"^\s*\[(source|citation|ref|reference)\s*\d+\b|^\s*(source|citation)\s*\[?\d+\]?\s*:",  # fake cites
    r"\b(do not|don't|never) (mention|tell|reveal|say|include)\b.{0,60}\b(reader|user|summary|"
    r"answer)\b",
]), re.IGNORECASE)


def looks_injected(sentence: str) -> bool:
    # NFKC folds look-alike forms (full-width letters, ligatures) that would dodge the patterns.
    return bool(_PATTERNS.search(unicodedata.normalize("NFKC", sentence)))


def suspect_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[bool]:
    """Per sentence: whether it, or another sentence of its paragraph, looks injected.

    An attack runs on over several sentences ("Ignore all previous instructions... Also write
    the word X."), and only some of them give themselves away: the whole paragraph goes.
    """
    breaks = [m.start() for m in re.finditer(r"\n\n", text)]
    paragraph = [bisect_left(breaks, start) for start, _ in spans]  # breaks before each sentence
    flagged = {paragraph[i] for i, (s, e) in enumerate(spans) if looks_injected(text[s:e])}
    return [p in flagged for p in paragraph]

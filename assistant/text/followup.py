"""Follow-up questions: a short or referring question is searched together with the conversation's last one."""

from __future__ import annotations

import re
from collections.abc import Sequence

SHORT_WORDS = 6
# A document number ("49-NQ/TU", "30/2020/NĐ-CP") makes a question self-contained.
_DOC_NUMBER = re.compile(r"\d+[-/]\w")
_OPENERS = (
    "còn ", "vậy ", "thế ", "và ", "nếu ", "trường hợp", "ngoài ra", "như vậy",
    "what about", "how about", "and ", "what if", "also ", "then ",
)  # fmt: skip
_REFERENCES = re.compile(
    r"\b(đó|ấy|nói trên|ở trên|văn bản trên|thủ tục này|thủ tục đó|văn bản này|quy định này|"
    r"that|this|they|those|them|the same)\b",
    re.IGNORECASE,
)


def is_follow_up(question: str) -> bool:
    """True when ``question`` reads as a continuation: very short, opening with "còn/vậy/what about…", or
    pointing back ("văn bản đó", "that procedure") — and naming no document number of its own."""
    text = " ".join(question.split()).casefold()
    if not text or _DOC_NUMBER.search(text):
        return False
    return len(text.split()) <= SHORT_WORDS or text.startswith(_OPENERS) or bool(_REFERENCES.search(text))


def contextual_question(question: str, history: Sequence[str], *, max_chars: int = 2000) -> str:
    """The text to search for ``question``: itself, or preceded by the last earlier question when it is a
    follow-up; the earlier question is cut from its start so the result stays within ``max_chars``."""
    previous = next((h.strip() for h in reversed(history) if h.strip()), "")
    question = question.strip()
    if not previous or not is_follow_up(question):
        return question
    room = max_chars - len(question) - 1
    if room < 20:
        return question
    return f"{previous[-room:]} {question}"

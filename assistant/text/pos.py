"""Parts of speech of Vietnamese sentences, by pyvi's offline tagger (loaded on first use, never at import).

Used to tell a statement with a subject ("Văn thư cơ quan đăng ký văn bản đến …") from a bare predicate copied out of
a list of duties ("Chịu trách nhiệm trước pháp luật …"), which is no proposition a learner can judge.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["ends_with_noun", "leading_noun_phrase", "opens_with_predicate", "tags"]

# pyvi's tags that open a subject: nouns (common, proper, classifier, abbreviation, unit), pronouns, quantifiers
# ("các", "mỗi") and numerals.
_SUBJECT_TAGS = frozenset({"N", "Np", "Nc", "Ny", "Nu", "P", "L", "M"})
_PREDICATE_TAGS = frozenset({"V", "A", "R"})


@functools.cache
def _tagger() -> tuple[Any, Any]:
    from pyvi import ViPosTagger, ViTokenizer

    return ViTokenizer, ViPosTagger


def tags(text: str) -> list[tuple[str, str]]:
    """(word, tag) for each word of ``text``; a compound word's syllables joined by spaces."""
    tokenizer, tagger = _tagger()
    words, labels = tagger.postagging(tokenizer.tokenize(text))
    return [(word.replace("_", " "), str(label)) for word, label in zip(words, labels, strict=True)]


def opens_with_predicate(text: str) -> bool:
    """True when ``text`` starts with a verb, adjective or adverb and names no subject before its first comma:
    "Chịu trách nhiệm …", "thay đổi ít nhất 60 ngày một lần". "Chậm nhất 05 ngày, Sở … gửi …" has one."""
    tagged = [(w, t) for w, t in tags(text) if t != "F" or w == ","]
    if not tagged or tagged[0][1] not in _PREDICATE_TAGS:
        return False
    after_comma = next((i for i, (w, _) in enumerate(tagged) if w == ","), None)
    return after_comma is None or after_comma + 1 >= len(tagged) or tagged[after_comma + 1][1] not in _SUBJECT_TAGS


def leading_noun_phrase(text: str, max_words: int = 8) -> str:
    """The noun phrase ``text`` opens with, up to its first verb ("Mật khẩu" of "Mật khẩu truy cập … phải có …");
    "" when it opens with anything else or the phrase is longer than ``max_words``."""
    phrase: list[str] = []
    for word, tag in tags(text):
        if tag in _SUBJECT_TAGS or (phrase and tag == "A"):
            phrase.append(word)
            continue
        break
    text = " ".join(phrase)
    return text if phrase and len(text.split()) <= max_words else ""


def ends_with_noun(text: str) -> bool:
    """True when the last word of ``text`` is a common noun: a name that follows it is its complement ("nhật ký
    | Đoàn thanh tra"), not the one who acts."""
    tagged = [(w, t) for w, t in tags(text) if t != "F"]
    return bool(tagged) and tagged[-1][1] == "N" and tagged[-1][0].lower() not in _FUNCTION_WORDS


# Prepositions and conjunctions pyvi sometimes tags as nouns ("của", "với").
_FUNCTION_WORDS = frozenset("của với về tại cho đến từ trong theo bởi do và hoặc là như qua".split())

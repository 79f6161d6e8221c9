"""The options of a multiple-choice question pasted with them ("… bao nhiêu ngày?\\nA. 30 ngày …\\nB. 45 ngày …"): a
trainer's quiz item or a test question. The passage that answers it holds the right option's words, so the ranker
reads how well a passage covers its best option, not only the question as a whole."""

from __future__ import annotations

import re

from assistant.text.tokenize import content_tokens

__all__ = ["listed_options"]

# An option opens a line: a capital letter, a full stop or a closing parenthesis, then its text.
_OPTION = re.compile(r"^[ \t]*([A-H])[.)][ \t]+(\S.*)$", re.MULTILINE)


def listed_options(question: str) -> tuple[tuple[str, ...], ...]:
    """The content syllables (folded) of each option ``question`` lists, in order; () unless it lists two or more,
    lettered A, B, C … from A."""
    found = _OPTION.findall(question)
    letters = [letter for letter, _ in found]
    if len(found) < 2 or letters != [chr(ord("A") + i) for i in range(len(found))]:
        return ()
    return tuple(tuple(content_tokens(text)) for _, text in found)

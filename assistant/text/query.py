"""Question normalisation: NFC and tone placement, language detection, abbreviation expansion and
diacritic restoration for questions typed without accents."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.text.accents import AccentTable
from assistant.text.answer_type import also_asked, counted_noun, expected_answer
from assistant.text.as_of import question_time_frame
from assistant.text.catalog_questions import document_question
from assistant.text.choices import listed_options
from assistant.text.entities import mentioned_entities, mentioned_years
from assistant.text.followup import subject_context, subject_words
from assistant.text.glossary import Glossary
from assistant.text.normalize import fold_diacritics, has_diacritics, normalize_text
from assistant.text.numbers import mentioned_numbers
from assistant.text.tokenize import content_tokens, fold_tokens
from assistant.types import AnswerType, Language, NormalizedQuery

logger = logging.getLogger(__name__)
# The word a document's own heading uses for the kind of fact asked: "mất bao lâu" is answered under "Thời hạn
# giải quyết", so a question asking for a length of time also searches for "thời hạn" (lexical side only).
_KIND_LABELS = {AnswerType.DURATION: "thời hạn"}
_CODES = re.compile(r"(\S*[\d/]\S*)")  # a token with a digit or a slash, kept as typed

# English function words that are not (unaccented) Vietnamese syllables.
_ENGLISH_MARKERS = frozenset(
    """the is are was were what which who whom whose how when where why does did should must would could
    of for and with from about this that these those there their my your our it its an be been being
    has have had any apply applies issue issued required requirement requirements permit documents procedure
    according under within days fee fees authority please tell explain""".split()
)
ABBREVIATIONS_FILE = Path(__file__).resolve().parents[1] / "resources" / "abbreviations.tsv"
_WORD = re.compile(r"\w+", re.UNICODE)


def detect_language(text: str) -> Language:
    """ "en" when the question reads as English: English function words, and few accented words — an English
    question still names "Lạng Sơn" or "Cao Bằng", a Vietnamese one is mostly accented."""
    words = _WORD.findall(text)
    if not words:
        return "vi"
    if sum(1 for w in words if has_diacritics(w)) > 0.3 * len(words):
        return "vi"
    hits = sum(1 for w in words if w.casefold() in _ENGLISH_MARKERS)
    return "en" if hits >= 2 or hits / len(words) >= 0.25 else "vi"


def load_abbreviations() -> dict[str, str]:
    """Folded abbreviation → expansion, from ``assistant/resources/abbreviations.tsv``."""
    table: dict[str, str] = {}
    text = ABBREVIATIONS_FILE.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        abbr, expansion = line.split("\t", 1)
        table[fold_diacritics(abbr).replace("&", "")] = expansion.strip()
    return table


class QueryNormalizer:
    """Turns a raw question into a :class:`NormalizedQuery`; ``load()`` loads the diacritic restorer."""

    def __init__(
        self, *, restore_diacritics: bool = True, expand_abbreviations: bool = True, translate_english: bool = True
    ) -> None:
        self.restore_diacritics = restore_diacritics
        self.expand_abbreviations = expand_abbreviations
        self.translate_english = translate_english
        self._abbreviations: dict[str, str] = {}
        self._restorer: Any = None
        self._glossary: Glossary | None = None

    def load(self) -> None:
        self._abbreviations = load_abbreviations() if self.expand_abbreviations else {}
        self._glossary = Glossary.load() if self.translate_english else None
        if self.restore_diacritics and self._restorer is None:
            from pyvi import ViUtils

            self._restorer = ViUtils.add_accents

    def _expand(self, text: str) -> tuple[str, tuple[str, ...]]:
        if not self._abbreviations:
            return text, ()
        expanded: list[str] = []

        def replace(match: re.Match[str]) -> str:
            word = match.group(0)
            key = fold_diacritics(word).replace("&", "")
            expansion = self._abbreviations.get(key)
            if expansion is None or len(key) < 2 or (word.islower() and len(key) < 4):
                return word
            expanded.append(word)
            return f"{word} ({expansion})"

        return re.sub(r"[\w&]+", replace, text), tuple(expanded)

    def _restore(self, text: str, accents: AccentTable | None = None) -> str:
        """``text`` with its accents restored: as the shelf writes its words (``accents``), the general-purpose
        restorer's guess for words the shelf never writes."""
        guess = self._guess_accents(text)
        return normalize_text(accents.restore(text, guess)) if accents is not None else guess

    def _guess_accents(self, text: str) -> str:
        if self._restorer is None:
            return text
        try:
            # Codes and numbers ("49-NQ/TU", "2025") are not words to accent, and trip the restorer: only the
            # runs of plain words between them are restored.
            pieces = _CODES.split(text)
            restored = "".join(
                piece if i % 2 or not piece.strip() else str(self._restorer(piece)) for i, piece in enumerate(pieces)
            ).lower()
        except (ValueError, IndexError, KeyError) as exc:
            logger.warning("diacritic restoration failed (%s); using the question as typed", type(exc).__name__)
            return text
        # Keep the restoration only where it is a pure re-accenting of the input.
        if fold_tokens(restored) != fold_tokens(text):
            return text
        return normalize_text(restored)

    def normalize(
        self, question: str, history: Sequence[str] = (), *, accents: AccentTable | None = None
    ) -> NormalizedQuery:
        """Analyse ``question`` once; a follow-up (see assistant.text.followup) is read with the earlier question
        whose subject it carries on. ``accents``: how the searched shelf writes its words, to restore a question
        typed without accents."""
        question = normalize_text(question)  # its lines kept: a multiple-choice question's options are read by line
        context = normalize_text(subject_context(question, history)) if history else ""
        text = f"{subject_words(context)} {question}" if context else question
        language = detect_language(question)
        expanded_text, expanded = self._expand(text) if language == "vi" else (text, ())
        dense_text = expanded_text
        restored = False
        if language == "vi" and self.restore_diacritics and not has_diacritics(text):
            candidate = self._restore(text, accents)
            if candidate != text:
                restored = True
                dense_text = self._expand(candidate)[0]
        translated: tuple[str, ...] = ()
        if language == "en" and self._glossary is not None:
            translated = self._glossary.translate(question)
            if translated:
                expanded_text = f"{expanded_text} {' '.join(translated)}"
        typed = expected_answer(question)
        if typed.value == "none" and context:
            typed = expected_answer(f"{context}? {question}")
        terms = tuple(content_tokens(expanded_text))
        label = _KIND_LABELS.get(typed)
        if label and fold_diacritics(label) not in fold_diacritics(expanded_text):
            expanded_text = f"{expanded_text} ({label})"
        return NormalizedQuery(
            original=question,
            text=expanded_text,
            dense_text=dense_text,
            language=language,
            restored=restored,
            expanded=expanded,
            answer_type=typed,
            counted_noun=counted_noun(question) or "",
            also_asked=also_asked(question, typed),
            numbers=tuple(mentioned_numbers(text)),
            terms=terms,
            focus=tuple(content_tokens(question if not translated else f"{question} {' '.join(translated)}")),
            entities=mentioned_entities(text),
            years=mentioned_years(text),
            context=context,
            translated=translated,
            document_question=document_question(question) if mentioned_numbers(text) else "",
            time_frame=question_time_frame(question) or (question_time_frame(context) if context else None),
            options=listed_options(question),
        )

"""Diacritics for questions typed without them, read from the shelf's own wording: how the indexed documents
write each syllable and each pair of words in a row, so that a run of unaccented words is written as the shelf
most likely would ("gia han giay phep" → "gia hạn giấy phép", "so xay dung" → "sở xây dựng", "mat khau" → "mật
khẩu"), plus the question phrases a document never uses ("bao lâu", "mất", "có mấy"). A general-purpose restorer
guesses the words the shelf never writes; on this domain it writes "bảo làu" for "bao lâu" and "số xây dựng" for
"sở xây dựng".

Built when an index version is written (from public documents only, like the BM25 statistics) and kept beside
it; restoring never adds or drops a word, only accents."""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from assistant.files import replacing
from assistant.text.normalize import fold_diacritics, has_diacritics, nfc

__all__ = ["QUESTION_PHRASES", "AccentTable"]

# How questions ask, which documents rarely write: seeded, with the generic words of follow-ups, into every table.
QUESTION_PHRASES = tuple(
    phrase.strip()
    for phrase in """có mấy|có bao nhiêu|là bao nhiêu|bao nhiêu tiền|mấy ngày|mấy lần|mấy năm|mấy tháng|mất bao lâu
    |trong bao lâu|bao lâu một lần|là gì|những gì|gồm những gì|cần gì|làm gì|ở đâu|khi nào|bao giờ|thế nào
    |như thế nào|làm sao|có được không|có phải|có không|ai ký|do ai|nộp ở đâu|lên đâu|cho ai""".split("|")
)

MAX_PAIRS = 400_000  # the most frequent pairs of written words kept (a few MB of JSON even for a large shelf)
MAX_FORMS = 6  # written forms of one unaccented syllable considered
SEED_COUNT = 50  # a question phrase counts as if the documents wrote it this often
SMOOTHING = 1.0  # pseudo-count of a pair written each word as usual
_SEGMENT = re.compile(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+)*")  # words of letters with only spaces between them
_TOKEN = re.compile(r"\w+|\W+")


@dataclass
class AccentTable:
    """How often the documents write each syllable in each form (``forms``: unaccented syllable → written form →
    count), and each pair of written words in a row (``pairs``: "giấy phép" → count). Restoring picks, for a
    run of unaccented words, the forms that make the likeliest sequence under these counts (Viterbi)."""

    forms: dict[str, dict[str, int]] = field(default_factory=dict)
    pairs: dict[str, int] = field(default_factory=dict)
    _folded_pairs: Counter[str] = field(default_factory=Counter, init=False, repr=False)  # by unaccented pair
    _form_counts: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _syllable_counts: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for pair, n in self.pairs.items():
            self._folded_pairs[fold_diacritics(pair)] += n
        for key, written in self.forms.items():
            self._syllable_counts[key] = sum(written.values())
            self._form_counts.update(written)

    def __len__(self) -> int:
        return len(self.forms)

    @classmethod
    def build(cls, texts: Iterable[str], seeds: Iterable[str] = (), *, max_pairs: int = MAX_PAIRS) -> Self:
        """Count the written forms and pairs of ``texts`` (segments with no accent at all are skipped: English,
        codes, text typed without accents); ``seeds`` are phrases written with their accents, counted
        :data:`SEED_COUNT` times each."""
        forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
        pairs: Counter[str] = Counter()

        def count(words: list[str], times: int) -> None:
            for word in words:
                forms[fold_diacritics(word)][word] += times
            for a, b in zip(words, words[1:], strict=False):
                pairs[f"{a} {b}"] += times

        for text in texts:
            for segment in _SEGMENT.findall(nfc(text).casefold()):
                words = segment.split()
                if any(has_diacritics(w) for w in words):
                    count(words, 1)
        for seed in seeds:
            count(nfc(seed).casefold().split(), SEED_COUNT)
        return cls(
            {key: dict(written.most_common(MAX_FORMS)) for key, written in forms.items()},
            dict(pairs.most_common(max_pairs)),
        )

    def restore(self, text: str, guess: str | None = None) -> str:
        """``text`` (typed without accents), lower-cased, with each run of words the documents write written as
        they most likely would; a word they never write stays as in ``guess`` (another restorer's output, used
        only when it has the same words) or as typed. No word is added or dropped."""
        tokens = _TOKEN.findall(nfc(text).casefold())
        if guess is not None:
            guessed = _TOKEN.findall(nfc(guess).casefold())
            if [fold_diacritics(t) for t in guessed] == [fold_diacritics(t) for t in tokens]:
                tokens = guessed
        coded = _in_codes(tokens)
        runs: list[list[int]] = [[]]
        for i, token in enumerate(tokens):
            if token.isalpha() and i not in coded:
                runs[-1].append(i)
            elif token.strip(" \t") or not runs[-1]:  # only spaces between two words keep them in one run
                runs.append([])
        for run in runs:
            self._write(tokens, run)
        return "".join(tokens)

    def _written(self, form: str) -> float:
        """P(``form`` | its unaccented syllable): how often the documents write the syllable this way."""
        total = self._syllable_counts.get(fold_diacritics(form), 0)
        return self._form_counts.get(form, 0) / total if total else 1.0

    def _pair(self, first: str, second: str) -> float:
        """P(the two words are written ``first second`` | their unaccented syllables): the documents' count of
        that pair among all the ways they write the two syllables in a row, smoothed towards writing each as
        usual (which is all there is for a pair they never write)."""
        apart = self._written(first) * self._written(second)
        total = self._folded_pairs.get(fold_diacritics(f"{first} {second}"), 0)
        return (self.pairs.get(f"{first} {second}", 0) + SMOOTHING * apart) / (total + SMOOTHING)

    def _write(self, tokens: list[str], run: list[int]) -> None:
        """The likeliest forms of the words at ``run`` (Viterbi): P(w1..wn) ≈ Π P(pair) / Π P(inner word), each
        conditioned on the unaccented syllables, so a pair the documents write ("mật khẩu", "bao nhiêu") beats
        writing each word as it is most often written ("mất", "báo")."""
        if not run:
            return
        columns = [self._forms_of(tokens[i]) for i in run]
        best = {form: (math.log(self._written(form)), [form]) for form in columns[0]}
        for column in columns[1:]:
            step = {}
            for form in column:
                scored = (
                    (score + math.log(max(self._pair(previous, form), 1e-12) / self._written(previous)), path)
                    for previous, (score, path) in best.items()
                )
                score, path = max(scored)
                step[form] = (score, [*path, form])
            best = step
        for i, form in zip(run, max(best.values())[1], strict=True):
            tokens[i] = form

    def _forms_of(self, word: str) -> list[str]:
        written = self.forms.get(fold_diacritics(word))
        return list(written) if written else [word]

    def save(self, path: Path) -> None:
        with replacing(path) as partial:
            body = {"forms": self.forms, "pairs": self.pairs}
            partial.write_text(json.dumps(body, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Self:
        body = json.loads(path.read_text(encoding="utf-8"))
        return cls(body["forms"], body["pairs"])


def _in_codes(tokens: list[str]) -> set[int]:
    """The indexes of the tokens that belong to a code or an address written without spaces: one holding a digit
    or a slash ("49-NQ/TU", "877/QĐ-UBND"), or a dot or "@" inside it ("vanban.langson.gov.vn"). They are kept as
    typed ("tu" of "49-NQ/TU" is not "tư")."""
    groups: list[list[int]] = [[]]
    for i, token in enumerate(tokens):
        if any(c.isspace() for c in token):
            groups.append([])
        else:
            groups[-1].append(i)

    def coded(group: list[int]) -> bool:
        inner = group[:-1]  # a full stop ending the sentence is not an address's dot
        return any(c.isdigit() or c == "/" for i in group for c in tokens[i]) or any(
            "." in tokens[i] or "@" in tokens[i] for i in inner
        )

    return {i for group in groups if coded(group) for i in group}

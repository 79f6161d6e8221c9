"""What kind of fact a question asks for (an amount, a time limit, a date, who, where), and whether a sentence
states one — so the extractive answer quotes "75.000 đồng/giấy phép", not the heading above it.

Both sides are matched on folded text (lower case, no diacritics), so unaccented questions work too. References
(số hiệu, Điều/khoản numbers, list markers) are removed from a sentence first: "thu theo Nghị quyết số
12/2023/NQ-HĐND" names a document, it does not state an amount.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from assistant.text.legal_grammar import FOLDED_NUMBER
from assistant.text.normalize import fold_diacritics, has_diacritics, nfc
from assistant.types import AnswerType

__all__ = [
    "FIGURE_KINDS",
    "AnswerType",
    "also_asked",
    "counted_noun",
    "counts",
    "expected_answer",
    "part_asking",
    "question_parts",
    "states",
]


_UNITS = r"(?:ngay|gio|thang|nam|tuan|phut|days?|hours?|months?|years?|weeks?|minutes?)"
# "ngày 01 tháng 7 năm 2025" is a date: its "01 tháng" and "7 năm" are not lengths of time.
_NOT_A_DATE = r"(?<!ngay )(?<!thang )"
# Checked in this order: "trong bao lâu" is a duration even though "bao nhiêu ngày" would also be a quantity.
_ASKS = [
    # A fine, an allowance or a fee is an amount of money ("mức phạt … bao nhiêu", "phụ cấp … bao nhiêu"); "bị
    # phạt" is not "bị phát hiện", and a bare "gia" would also be "gia hạn". "Khen thưởng bao nhiêu tập thể"
    # counts: a reward is money when the question says "bao nhiêu tiền".
    (AnswerType.MONEY, r"\b(?:le phi|phi|tien|kinh phi|muc thu|muc chi|luong|boi duong|ho tro|phu cap|tro cap|thu lao"
     r"|chi phi|muc phat|xu phat|bi phat(?! hien)|phat tien)\b[^?]*\bbao nhieu\b|\bmuc (?:phat|phu cap)\b"
     r"|\bbao nhieu tien\b|\bhow much\b|\bwhat (?:fee|cost|fine)\b"),
    (AnswerType.DURATION, rf"\bbao lau\b|\bthoi han\b|\bmay {_UNITS}\b|\bbao nhieu {_UNITS}\b|\bhow long\b"
     r"|\btime limit\b|\bdeadline\b|\bwithin how\b"),
    (AnswerType.DATE, r"\bkhi nao\b|\bngay nao\b|\bbao gio\b|\bthoi diem nao\b|\bnam nao\b|\bthang nao\b"
     r"|\bluc nao\b|\bwhen\b|\bwhat date\b|\bwhich date\b|\bwhich year\b"),
    (AnswerType.QUANTITY, r"\bbao nhieu\b|\bmuc (?:thu|phi|le phi|ho tro|boi duong)\b|\bty le\b"
     r"|\bhow (?:many|much)\b|\bwhat (?:percentage|share|amount|fee|rate)\b|\bpercent"),
    (AnswerType.NONE, r"\bgom nhung\b|\bnhung ai\b|\bnhung gi\b|\bcac buoc\b"),  # a list is asked for
    (AnswerType.WHERE, r"\bo dau\b|\bnoi nao\b|\btai dau\b|\bnop (?:o|tai) dau\b|\bwhere\b"),
    (AnswerType.WHO, r"\bai\b|\b(?:co quan|don vi|so|bo phan|nguoi|cap|phong) nao\b|\bwho\b"
     r"|\bwhich (?:agency|body|department|unit|office|authority)\b"),
]  # fmt: skip
_ASK_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in _ASKS]

_STATES = {
    AnswerType.MONEY: r"\d[\d.,]*\s*(?:dong|vnd|trieu|ty|nghin)\b|\d\s*%",
    AnswerType.DURATION: rf"{_NOT_A_DATE}\b\d+\s*{_UNITS}\b|\bngay lam viec\b|\btrong ngay\b"
    r"|\bngay (?:sau khi|khi|lap tuc)\b|\bkhong qua\b|\bcham nhat\b|\btoi da\b",
    AnswerType.DATE: r"\bngay \d{1,2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\bthang \d{1,2}\b|\bnam \d{4}\b"
    r"|\bquy (?:i|ii|iii|iv|[1-4])\b|\btruoc ngay\b|\bhang (?:nam|thang|quy|tuan)\b",
    AnswerType.QUANTITY: r"\d",
    AnswerType.WHERE: r"\btai\b|\bnoi\b|\bbo phan mot cua\b|\bphuc vu hanh chinh cong\b|\bcong dich vu cong\b"
    r"|\btruc tuyen\b|\bbuu chinh\b|\bat\b|\bonline\b",
    # Read with diacritics: folded "so" would also be "số" (number), not only "sở" (department).
    AnswerType.WHO: r"\b(?:sở|ủy ban|ubnd|phòng|trung tâm|giám đốc|chủ tịch|văn phòng|thanh tra|bộ phận|tổ trưởng"
    r"|công chức|hội đồng|ban chỉ đạo|thủ trưởng|người đứng đầu|cơ quan)\b",
}
_STATE_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _STATES.items()}

_REFERENCES = re.compile(
    FOLDED_NUMBER.pattern  # số hiệu
    + r"|\b(?:dieu|khoan|diem|chuong|muc|phan|phu luc|mau|article|clause)\s+[\divxlc]+[a-z]?\b"  # structure refs
    r"|^\s*(?:\d{1,3}|[a-z])[.)]\s"  # a list marker at the start
)


# "mấy" (how many) folds to "may", like "máy" (machine): it is read unfolded unless the question has no accents.
_MAY = re.compile(r"\bmấy\b")
_MAY_FOLDED = re.compile(r"\bmay\b")


# A topic word names the kind of fact when the question itself is only "còn lệ phí thì sao?".
_TOPICS = [
    (AnswerType.MONEY, re.compile(r"\b(?:le phi|phi|kinh phi|muc thu|muc chi|fee|fees|cost)\b")),
    (AnswerType.DURATION, re.compile(r"\b(?:thoi han|thoi gian giai quyet|time limit)\b")),
    (AnswerType.WHERE, re.compile(r"\b(?:noi nop|dia diem)\b")),
]


def expected_answer(question: str) -> AnswerType:
    """The kind of fact ``question`` asks for, or NONE ("gồm những gì", "quy định gì", yes/no questions).

    A follow-up searched together with the question before it ("… bao lâu? còn lệ phí thì sao?") is typed by
    its last part first.
    """
    parts = question_parts(question)
    if len(parts) > 1:
        last = _asked(parts[-1])
        if last is None:
            folded = fold_diacritics(parts[-1])
            last = next((kind for kind, pattern in _TOPICS if pattern.search(folded)), None)
        if last is not None:
            return last
    return _asked(question) or AnswerType.NONE


# Kinds whose statement is a figure ("15 ngày làm việc", "150.000 đồng"): a sentence stating one is told from
# one that does not. Who and where are recognised by looser cues ("tại", "sở"), so they are not searched apart.
FIGURE_KINDS = frozenset({AnswerType.MONEY, AnswerType.DURATION, AnswerType.DATE, AnswerType.QUANTITY})

# Where one question asks two things: "mất bao lâu và lệ phí bao nhiêu", "ai giải quyết, trong thời hạn nào".
_ASK_JOINS = re.compile(r"\s*(?:,|;|\bvà\b|\bva\b|\band\b)\s*", re.IGNORECASE)


def _pieces(question: str) -> list[tuple[AnswerType | None, str]]:
    """The pieces of the last question in ``question``, each with the kind of fact it asks for (None: none)."""
    parts = question_parts(question)
    pieces = [p for p in _ASK_JOINS.split(parts[-1]) if p.strip()] if parts else []
    return [(_asked(piece), piece) for piece in pieces]


def also_asked(question: str, main: AnswerType) -> tuple[AnswerType, ...]:
    """The other kinds of fact the last question in ``question`` asks for beside ``main``, in the order asked:
    (AnswerType.DURATION,) for "… mất bao lâu và lệ phí bao nhiêu?", whose ``main`` is MONEY."""
    kinds = [kind for kind, _ in _pieces(question) if kind is not None]
    if len(kinds) < 2:  # one piece asks ("Phí thẩm định…, chữa bệnh là bao nhiêu?"): a comma, not two questions
        return ()
    return tuple(dict.fromkeys(k for k in kinds if k is not main and k is not AnswerType.NONE))


def part_asking(question: str, kind: AnswerType) -> str:
    """The last question in ``question`` without its pieces asking for other kinds of fact: "Xin giấy phép xây
    dựng tại Sở Xây dựng mất bao lâu" from "… mất bao lâu và nộp lệ phí bao nhiêu?" for DURATION; "" when no
    piece asks for ``kind`` or nothing would be left out."""
    pieces = _pieces(question)
    kept = [piece for asked, piece in pieces if asked is None or asked is kind]
    if len(kept) == len(pieces) or not any(asked is kind for asked, _ in pieces):
        return ""
    return ", ".join(kept) + "?"


def question_parts(question: str) -> list[str]:
    """The questions in ``question`` ("… bao lâu? còn lệ phí thì sao?" has two), in order."""
    return [part.strip() for part in re.split(r"[?\n]", question) if part.strip()]


def _asked(question: str) -> AnswerType | None:
    folded = fold_diacritics(question)
    for kind, pattern in _ASK_PATTERNS:
        if pattern.search(folded):
            return kind
    unaccented = not has_diacritics(question)
    if _MAY_FOLDED.search(folded) if unaccented else _MAY.search(nfc(question).casefold()):
        return AnswerType.QUANTITY
    return None


_COUNTED = re.compile(r"\b(?:bao nhieu|how many)\s+([a-z]+(?:\s[a-z]+)?)")
_NOT_NOUNS = {"la", "thi", "mot", "duoc", "phai", "cua", "va", "de", "trong", "tai", "o", "nam", "the", "are", "do"}
_NOT_NOUNS |= {"ve", "cho", "voi", "theo", "tu", "den", "khi", "sau", "truoc", "tren", "duoi", "nay", "nua", "of"}
# English verbs after "how many <noun>"; not "can" nor "may", which fold from "cân" (kilos) and "máy" (machines).
_ENGLISH_VERBS = {"is", "was", "were", "has", "had", "have", "does", "did", "will", "must", "should"}
_NOT_NOUNS |= _ENGLISH_VERBS
# The same words as written, for a question typed with diacritics: "ký tự" counts characters ("tự" is not "từ").
_NOT_NOUNS_WRITTEN = {
    *"là thì một được phải của và để trong tại ở năm thế về cho với theo từ đến khi sau trước trên dưới".split(),
    *"này nữa the are do of".split(),
    *_ENGLISH_VERBS,
}
# "22 trên tổng số 30 chỉ tiêu", "22/30 chỉ tiêu", "22 of the 30 targets": the count asked is the first number.
_OUT_OF = r"(?:\s*(?:/|tren(?: tong so)?|of(?: the)?)\s*\d[\d.,]*)?"
_ORDINAL = re.compile(r"\b(?:thu|hang)\s+may\b")  # "xếp thứ mấy": a rank, nothing counted


def counted_noun(question: str) -> str | None:
    """What is counted in "bao nhiêu công trình" / "mấy thành viên" / "how many members" (folded), if anything."""
    folded = fold_diacritics(question)
    if _ORDINAL.search(folded):
        return None
    match = _COUNTED.search(folded)
    if match is None and has_diacritics(question):
        match = re.search(r"\bmấy\s+(\w+(?:\s\w+)?)", nfc(question).casefold())
    elif match is None:
        match = re.search(r"\bmay\s+([a-z]+(?:\s[a-z]+)?)", folded)
    if match is None:
        return None
    words = fold_diacritics(match.group(1)).split()
    written = nfc(question).casefold()
    if has_diacritics(question) and len(written) == len(match.string):  # the words as typed, at the same place
        as_typed, not_nouns = written[match.start(1) : match.end(1)].split(), _NOT_NOUNS_WRITTEN
    else:
        as_typed, not_nouns = words, _NOT_NOUNS
    if len(as_typed) != len(words) or as_typed[0] in not_nouns:
        return None
    return " ".join(words if len(words) == 2 and as_typed[1] not in not_nouns else words[:1])


@functools.lru_cache(maxsize=256)
def _count_of(noun: str) -> re.Pattern[str]:
    """A number of ``noun`` (folded) in folded text: "14 công trình", "22 trên tổng số 30 chỉ tiêu"."""
    return re.compile(rf"\d[\d.,]*{_OUT_OF}\s+{re.escape(noun)}\b")


def counts(noun: str | None, sentence: str) -> bool:
    """Whether ``sentence`` gives a number of ``noun`` ("kiểm tra 14 công trình")."""
    if not noun:
        return False
    return _count_of(noun).search(fold_diacritics(sentence)) is not None


def states(kind: AnswerType, sentence: str) -> bool:
    """Whether ``sentence`` states a fact of ``kind`` (always False for NONE)."""
    if kind is AnswerType.NONE:
        return False
    if kind is AnswerType.WHO:
        return bool(_STATE_PATTERNS[kind].search(nfc(sentence).casefold()))
    text = _REFERENCES.sub(" ", fold_diacritics(sentence))
    return bool(_STATE_PATTERNS[kind].search(text))


_SPANS = {
    AnswerType.MONEY: r"\d[\d.,]*\s*(?:trieu |ty |nghin )?(?:dong|vnd)(?:/[a-z]+(?: [a-z]+)?)?|\d[\d.,]*\s*%",
    AnswerType.DURATION: r"(?:(?:khong qua|toi da|cham nhat|trong vong|trong thoi han|trong) )?"
    rf"{_NOT_A_DATE}\b\d+\s*"
    rf"(?:ngay lam viec|gio lam viec|{_UNITS})\b",
    AnswerType.DATE: r"(?:truoc |tu |den )?ngay \d{1,2}(?: thang \d{1,2}(?: nam \d{4})?|/\d{1,2}(?:/\d{2,4})?)"
    r"|\d{1,2}/\d{1,2}/\d{4}|thang \d{1,2}(?:/| nam )\d{4}|quy (?:i|ii|iii|iv|[1-4])(?: nam \d{4})?",
}
_SPAN_PATTERNS = {kind: re.compile(pattern) for kind, pattern in _SPANS.items()}


def fact_span(kind: AnswerType, noun: str | None, sentence: str, terms: Collection[str] = ()) -> str:
    """The words of ``sentence`` that state the asked fact ("75.000 đồng/giấy phép", "12 ngày làm việc",
    "14 công trình"), as written; "" when the kind has no span form or the sentence states none. When it states
    several, the one whose lead-in words (since the previous one) hold most of the question's ``terms`` (folded
    content syllables): "cấp mới (30 ngày) và gia hạn (20 ngày)" answers a question on renewal with "20 ngày"."""
    text = nfc(sentence)
    folded = fold_diacritics(text)
    if len(folded) != len(text):  # positions must line up to cut the original
        return ""
    # References are blanked, not removed, so positions still line up.
    blanked = _REFERENCES.sub(lambda m: " " * len(m.group()), folded)
    if noun and kind in (AnswerType.QUANTITY, AnswerType.NONE):
        pattern: re.Pattern[str] | None = _count_of(noun)
    else:
        pattern = _SPAN_PATTERNS.get(kind)
    matches = list(pattern.finditer(blanked)) if pattern is not None else []
    if not matches:
        return ""
    # Words of the facts themselves ("ngày", "đồng") say nothing of which one is asked.
    asked = set(terms).difference(*(re.findall(r"\w+", m.group()) for m in matches))
    best, best_cover, start = matches[0], 0, 0
    for match in matches:
        cover = len(asked.intersection(re.findall(r"\w+", blanked[start : match.start()])))
        if cover > best_cover:
            best, best_cover = match, cover
        start = match.end()
    return text[best.start() : best.end()].strip()

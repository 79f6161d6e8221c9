"""Follow-up questions: a turn that names no subject of its own ("Còn lệ phí thì sao?", "Nộp hồ sơ ở đâu?",
"Văn bản đó còn hiệu lực không?") is read with the conversation's last question that did name one.

A turn has a subject of its own when it names a document number, or when two or more of its content syllables
are not generic question words (fee, time limit, where, who, documents needed, validity…): "Còn cấp giấy phép
sửa chữa nhà ở thì sao?" names "sửa chữa nhà ở" and stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.normalize import fold_diacritics, has_diacritics, nfc
from assistant.text.numbers import mentioned_numbers
from assistant.text.tokenize import WRITTEN_STOPWORDS, content_tokens

__all__ = ["has_own_subject", "is_follow_up", "subject_context", "subject_words"]

# Words and phrases that ask about an attribute of a subject rather than name one. A phrase is generic as a
# whole: "giấy tờ" is, "giấy" of "giấy phép" is not; "mất" (bao lâu) is, "mật" (khẩu) is not.
_GENERIC_LIST = """
    thủ tục|văn bản|quy định|hồ sơ|giấy tờ|lệ phí|phí|thời hạn|thời gian|bao lâu|ở đâu|nộp|cần|nào|có|không|còn
    hiệu lực|ai|ký|ban hành|ngày|tháng|năm|mức|bao nhiêu|tiền|điều kiện|cách|làm sao|vậy|thì|những|gồm|bước
    trình tự|giải quyết|cơ quan|đơn vị|thẩm quyền|người|phải|được|mỗi|mới|lại|thêm|quy|quý|yêu cầu|mẫu|tờ khai
    kết quả|trả|nhận|xử lý|nơi|địa điểm|phần|đoạn|nữa|sửa đổi|bổ sung|thay thế|hết|chưa|mấy|cả|trường hợp|khác
    ngoài|nếu|thế|ấy|này|trên|tiếp theo|sau|trước|bắt đầu|kết thúc|bộ phận|tiếp nhận|liên hệ|số điện thoại|cấp
    muốn|xong|rồi|khi|hay|hoặc|lần|mất|kể|đủ|việc|tính|gì|là|đâu
    what|about|fee|fees|time|limit|deadline|where|submit|documents|who|how|long|much|many|required|need|needed
    procedure|it|its|still|valid|force|then|also|else|cost|costs|issue|issued|replaced|apply|that|this|those
    these|same|one|ones|please|tell|more
"""
GENERIC_PHRASES = tuple(p.strip() for p in re.split(r"[|\n]", _GENERIC_LIST) if p.strip())
# Their syllables, folded: what a turn typed without accents is checked against; one typed with them is checked
# against the syllables as written, so that "mật khẩu" or "ca trực" are not read as "mất" or "cả".
GENERIC = frozenset(t for phrase in GENERIC_PHRASES for t in content_tokens(phrase))
_GENERIC_WRITTEN = frozenset(w for phrase in GENERIC_PHRASES for w in phrase.casefold().split())
OWN_SUBJECT_WORDS = 2
_WORDS = re.compile(r"[\w-]+(?:/[\w-]+)*", re.UNICODE)
# Words pointing back to what was just discussed ("thủ tục đó", "văn bản này", "that procedure").
_POINTING = re.compile(r"\b(?:đó|ấy|này|nói trên|ở trên|that|this|those|these|it|its|them)\b", re.IGNORECASE)


def has_own_subject(question: str) -> bool:
    """True when ``question`` names a document number, or at least two non-generic content syllables and no word
    pointing back ("thủ tục đó mất bao nhiêu ngày…" carries on the earlier subject)."""
    if mentioned_numbers(question):
        return True
    if _POINTING.search(nfc(question)):
        return False
    if has_diacritics(question):  # the written words: "tử" of "khai tử" is no "từ", "mật" no "mất"
        words = [w.casefold() for w in _WORDS.findall(nfc(question))]
        specific = [w for w in words if w not in _GENERIC_WRITTEN and w not in WRITTEN_STOPWORDS and not w.isdigit()]
    else:
        specific = [t for t in content_tokens(question) if t not in GENERIC and not t.isdigit()]
    return len(specific) >= OWN_SUBJECT_WORDS


def is_follow_up(question: str, history: Sequence[str]) -> bool:
    """A turn with earlier questions before it and no subject of its own."""
    return bool(question.strip()) and any(h.strip() for h in history) and not has_own_subject(question)


def subject_context(question: str, history: Sequence[str], *, max_chars: int = 1000) -> str:
    """The earlier question whose subject a follow-up ``question`` carries on ("" when it stands alone): the
    latest turn of ``history`` that has a subject of its own (else the latest non-empty one), cut from its
    start to ``max_chars``."""
    if not is_follow_up(question, history):
        return ""
    earlier = [h.strip() for h in history if h.strip()]
    chosen = next((h for h in reversed(earlier) if has_own_subject(h)), earlier[-1])
    return chosen[-max_chars:]


_MARKED = frozenset(p.casefold() for p in GENERIC_PHRASES)
_FOLDED = frozenset(fold_diacritics(p) for p in GENERIC_PHRASES)
_LONGEST = max(len(p.split()) for p in GENERIC_PHRASES)


def _generic_spans(keys: Sequence[str], known: frozenset[str]) -> list[bool]:
    """Which of the words ``keys`` belong to a generic phrase, the longest phrase first at each position."""
    generic = [False] * len(keys)
    i = 0
    while i < len(keys):
        n = next((n for n in range(min(_LONGEST, len(keys) - i), 0, -1) if " ".join(keys[i : i + n]) in known), 0)
        generic[i : i + n] = [True] * n
        i += max(n, 1)
    return generic


def subject_words(question: str) -> str:
    """What an earlier question was about, without what it asked of it: "Thời hạn giải quyết cấp giấy phép xây
    dựng nhà ở riêng lẻ là bao lâu?" → "giấy phép xây dựng nhà ở riêng lẻ" (a follow-up then asks its own thing).
    Generic phrases go as wholes, matched with their diacritics when the question has them ("mất" goes, "mật
    khẩu" stays); words with no content syllable ("của", "là") stay only between kept words."""
    words = _WORDS.findall(nfc(question))
    if has_diacritics(question):
        generic = _generic_spans([w.casefold() for w in words], _MARKED)
    else:
        generic = _generic_spans([fold_diacritics(w) for w in words], _FOLDED)
    kept = [w for w, g in zip(words, generic, strict=True) if not g]
    bearing = [i for i, w in enumerate(kept) if content_tokens(w)]
    return " ".join(kept[bearing[0] : bearing[-1] + 1]) if bearing else question

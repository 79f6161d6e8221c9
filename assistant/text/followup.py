"""Follow-up questions: a turn that names no subject of its own ("Còn lệ phí thì sao?", "Nộp hồ sơ ở đâu?",
"Văn bản đó còn hiệu lực không?") is read with the conversation's last question that did name one.

A turn has a subject of its own when it names a document number, or when two or more of its content syllables
are not generic question words (fee, time limit, where, who, documents needed, validity…): "Còn cấp giấy phép
sửa chữa nhà ở thì sao?" names "sửa chữa nhà ở" and stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.normalize import nfc
from assistant.text.numbers import mentioned_numbers
from assistant.text.tokenize import content_tokens

__all__ = ["has_own_subject", "is_follow_up", "subject_context", "subject_words"]

# Folded syllables that ask about an attribute of a subject rather than name one.
GENERIC = frozenset(
    """
    thu tuc van ban quy dinh ho so giay to le phi phi thoi han gian bao lau o dau nop can nao co khong con
    hieu luc ai ky ban hanh ngay thang nam muc bao nhieu tien dieu kien cach lam sao vay thi nhung gom buoc
    trinh tu giai quyet co quan don vi tham quyen nguoi phai duoc moi lai them quy yeu cau mau to khai ket qua
    tra nhan xu ly noi dia diem phan doan nua sua doi bo sung thay the het chua may ca truong hop khac ngoai
    neu the ay nay tren tiep theo sau truoc bat dau ket thuc bo phan tiep nhan lien he so dien thoai cap
    muon xong roi khi hay hoac lan
    what about fee fees time limit deadline where submit documents who how long much many required need
    needed procedure it its still valid force then also else else cost costs issue issued replaced apply
    that this those these same one ones please tell more mat ke du viec tinh
    """.split()
)
OWN_SUBJECT_WORDS = 2
# Words pointing back to what was just discussed ("thủ tục đó", "văn bản này", "that procedure").
_POINTING = re.compile(r"\b(?:đó|ấy|này|nói trên|ở trên|that|this|those|these|it|its|them)\b", re.IGNORECASE)


def has_own_subject(question: str) -> bool:
    """True when ``question`` names a document number, or at least two non-generic content syllables and no word
    pointing back ("thủ tục đó mất bao nhiêu ngày…" carries on the earlier subject)."""
    if mentioned_numbers(question):
        return True
    if _POINTING.search(nfc(question)):
        return False
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


_WORDS = re.compile(r"[\w-]+(?:/[\w-]+)*", re.UNICODE)


def subject_words(question: str) -> str:
    """What an earlier question was about, without what it asked of it: "Thời hạn giải quyết cấp giấy phép xây
    dựng nhà ở riêng lẻ là bao lâu?" → "giấy phép xây dựng nhà riêng lẻ" (a follow-up then asks its own thing)."""
    kept = [w for w in _WORDS.findall(nfc(question)) if not set(content_tokens(w)) <= GENERIC]
    return " ".join(kept) or question

"""The time a question sets its rule at: "Năm 2023, văn bản đến … bao lâu?" asks about the rule in force in 2023,
"vào tháng 5/2024", "tại thời điểm ngày 15/3/2024", "trước ngày 01/9/2025", "trước khi Quy chế 2025 có hiệu lực"
likewise. Only phrases that frame the time of the question count: a time at the head of the question followed by a
comma or "thì" ("Năm 2023, …"), or one introduced by a word of time ("vào", "hồi", "tại thời điểm", "trước ngày",
"từ ngày") unless it follows "đã" + verb in its clause ("hồ sơ đã nộp trước ngày 01/7/2025": when it was done).
"Sau ngày X" runs from X up to today, so today's rule answers it: no time is set.
A year that names a document or a period of its content ("Kế hoạch năm 2026", "mục tiêu đến năm 2025", "Nghị quyết
12/2023", "giai đoạn 2021 - 2025") is not a time of validity and is left alone.

A period stands for its first day ("Năm 2023" → 1/1/2023, "tháng 5/2024" → 1/5/2024, "quý II/2024" → 1/4/2024):
the answer then quotes the rule that applied when the period began and, when that rule was replaced later (within
the period or after it), says so with the newer rule — so a change in the middle of the period is never hidden.

Everything is matched on the folded question, so "Nam 2023, van ban den …" reads like "Năm 2023, văn bản đến …".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from assistant.text.normalize import fold_diacritics, normalize_text
from assistant.text.numbers import mentioned_numbers, number_key
from assistant.text.tokenize import fold_tokens
from assistant.types import DocumentMeta, RelationKind, TimeFrame

__all__ = ["question_time_frame", "resolve_time_frame"]

_DATE = (
    r"(?:ngay\s+)?(?P<d1>\d{1,2})\s*[/.-]\s*(?P<m1>\d{1,2})\s*[/.-]\s*(?P<y1>\d{4})(?![\d/-])"
    r"|ngay\s+(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4})"
)
_MONTH = r"thang\s+(?P<m3>\d{1,2})\s*(?:[/.-]\s*|\s+nam\s+)(?P<y3>\d{4})(?![\d/-])"
_QUARTER = r"quy\s+(?P<q4>iv|i{1,3}|[1-4])\s*(?:[/.-]\s*|\s+nam\s+)(?P<y4>\d{4})(?![\d/-])"
_YEAR = r"nam\s+(?P<y5>\d{4})(?![\d/-])"
_WHEN = rf"(?:{_DATE}|{_MONTH}|{_QUARTER}|{_YEAR})"
# Words that introduce the time of the question wherever they stand.
_TIME_WORDS = r"(?:vao|hoi|tai\s+thoi\s+diem|o\s+thoi\s+diem|vao\s+thoi\s+diem|thoi\s+diem)"
# A time at the head of the question, closed by a comma, a colon or "thì": "Năm 2023, …", "Trong năm 2023 thì …".
_HEAD = re.compile(rf"^\s*(?:(?:{_TIME_WORDS}|trong)\s+)?{_WHEN}\s*(?:[,:]|thi\b)")
_FRAMED = re.compile(rf"(?:^|[\s,(])(?P<word>{_TIME_WORDS}|tu|truoc|sau)\s+{_WHEN}")
# "trước khi Quy chế 2025 có hiệu lực", "sau khi Quyết định 35/2025/QĐ-UBND có hiệu lực"
_AROUND_DOCUMENT = re.compile(
    r"(?:^|[\s,(])(?P<word>truoc|sau)\s+(?:khi|thoi\s+diem)\s+(?P<doc>.{3,90}?)\s+(?:bat\s+dau\s+)?co\s+hieu\s+luc"
)
_ROMAN_QUARTER = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Kinds of document a question names in "trước khi <kind> [số hiệu | năm] có hiệu lực" (folded).
_KINDS = (
    "hien phap", "bo luat", "luat", "phap lenh", "nghi dinh", "nghi quyet", "thong tu", "quyet dinh", "chi thi",
    "quy che", "quy dinh", "quy trinh", "ke hoach", "huong dan", "cong van", "van ban",
)  # fmt: skip


def _day(match: re.Match[str]) -> dt.date | None:
    """The first day of the time a match of ``_WHEN`` names; None when it is not a real date."""
    g = match.groupdict()
    try:
        if g.get("y1"):
            return dt.date(int(g["y1"]), int(g["m1"]), int(g["d1"]))
        if g.get("y2"):
            return dt.date(int(g["y2"]), int(g["m2"]), int(g["d2"]))
        if g.get("y3"):
            return dt.date(int(g["y3"]), int(g["m3"]), 1)
        if g.get("y4"):
            q = g["q4"]
            quarter = int(q) if q.isdigit() else _ROMAN_QUARTER[q]
            return dt.date(int(g["y4"]), 3 * quarter - 2, 1)
        if g.get("y5"):
            return dt.date(int(g["y5"]), 1, 1)
    except ValueError:
        return None
    return None


def question_time_frame(question: str) -> TimeFrame | None:
    """The time ``question`` frames its rule at, or None when it asks about today's rule (see the module doc)."""
    folded = fold_diacritics(normalize_text(question))
    if head := _HEAD.match(folded):
        on = _day(head)
        if on is not None:
            return TimeFrame(on=on, phrase=re.sub(r"\s*thi$", "", head.group(0).strip(" ,:")))
    if around := _AROUND_DOCUMENT.search(folded):
        document = around.group("doc").strip(" ,")
        if _names_document(document):
            return TimeFrame(document=document, before=around.group("word") == "truoc", phrase=around.group(0).strip())
    written = normalize_text(question).casefold()  # the same characters as ``folded``, with their diacritics
    for framed in _FRAMED.finditer(folded):
        word = framed.group("word")
        on = _day(framed)
        if on is None or _dates_a_done_event(written, framed.start()):
            continue
        if word in ("tu", "truoc", "sau") and not (framed.group("y1") or framed.group("y2")):
            continue  # "từ năm 2021", "trước năm 2025": a span, not a day the rule is read at
        if word == "sau":
            continue  # "sau 1/7/2025": the time from then up to today, whose rule is today's (a text taking
            # effect on 10/7/2025 answers "ai cấp phép sau 1/7/2025?"); reading it on 2/7/2025 would leave it out
        if word == "truoc":
            on -= dt.timedelta(days=1)
        return TimeFrame(on=on, phrase=framed.group(0).strip(" ,("))
    return None


def _dates_a_done_event(written: str, at: int) -> bool:
    """Whether the time at ``at`` follows "đã" + verb in its clause ("hồ sơ đã nộp ở cấp huyện trước ngày
    01/7/2025 nhưng chưa giải quyết xong…"): it dates what was done, and the question asks what applies now."""
    clause = re.split(r"[,;:?]", written[:at])[-1]
    return re.search(r"(?:^|\s)đã\s", clause) is not None


def _names_document(phrase: str) -> bool:
    return bool(mentioned_numbers(phrase)) or any(phrase.startswith(kind) for kind in _KINDS)


def resolve_time_frame(frame: TimeFrame, documents: Iterable[DocumentMeta], *, today: dt.date) -> dt.date | None:
    """The day ``frame`` sets, its named document looked up among ``documents`` (those the caller may see); None
    when the frame is today or later, or when the document it names is unknown, has no effective date or is
    ambiguous (several fit and no single one replaces or amends another)."""
    on = frame.on
    if on is None and frame.document:
        doc = _named_document(frame.document, list(documents))
        start = (doc.effective_date or doc.issued_date) if doc is not None else None
        if start is not None:
            on = start - dt.timedelta(days=1) if frame.before else start
    return on if on is not None and on < today else None


def _named_document(phrase: str, documents: list[DocumentMeta]) -> DocumentMeta | None:
    keys = set(mentioned_numbers(phrase))
    if keys:
        found = [d for d in documents if d.number and number_key(d.number) in keys]
    else:
        kind = next((k for k in _KINDS if phrase.startswith(k)), "")
        words = fold_tokens(phrase[len(kind) :])
        years = [w for w in words if re.fullmatch(r"(19|20)\d\d", w)]
        rest = [w for w in words if w not in years and w not in ("nam", "so", "moi", "cu")]

        def fits(doc: DocumentMeta) -> bool:
            folded_type, title = fold_diacritics(doc.doc_type), set(fold_tokens(doc.title))
            if kind and kind != "van ban" and not (folded_type == kind or fold_diacritics(doc.title).startswith(kind)):
                return False
            doc_years = {str(d.year) for d in (doc.issued_date, doc.effective_date) if d}
            doc_years |= set(re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", doc.number))
            return all(y in doc_years for y in years) and all(w in title for w in rest)

        found = [d for d in documents if fits(d)]
    if len(found) > 1:
        changing = (RelationKind.REPLACES, RelationKind.AMENDS, RelationKind.REPEALS)
        found = [d for d in found if any(r.kind in changing for r in d.relations)] or found
    return found[0] if len(found) == 1 else None

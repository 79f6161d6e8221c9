"""Typed facts of a clause: amounts, time limits, dates, counts, responsible bodies, procedure steps and conditions,
each with the sentence that states it and the clause it cites.

A chunk is cut into clauses first (a numbered line "2. …" with its points and wrapped lines): an article-level chunk
of Điều 5 holds khoản 1…4, and each is cited on its own ("khoản 2 Điều 5"). Values are matched on folded text, so
positions line up with the original and ``Fact.value`` is always a verbatim piece of ``Fact.sentence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.quiz.model import Fact, FactKind, SourceRef
from assistant.quiz.spelling import date_form, number_words_to_digits
from assistant.text.legal_grammar import CLAUSE, FOLDED_NUMBER, POINT, is_upper_line
from assistant.text.normalize import fold_diacritics, nfc
from assistant.types import Chunk, DocumentMeta, outline_label

__all__ = ["Clause", "clauses", "document_label", "extract_facts", "fact_key", "find_values", "pieces", "unit_of"]


@dataclass(frozen=True)
class Clause:
    """One numbered line of a chunk with what follows it (points, wrapped lines), cited on its own."""

    text: str  # the clause without its marker, white space tidied
    label: str  # "Gia hạn" in "2. Gia hạn: chậm nhất …" ("" when the clause has no lead label)
    title: str  # the article's or heading's title: "Thời hạn giải quyết"
    number: str  # "2" for a khoản, "" for unnumbered text
    source: SourceRef


_SKIP_LINE = re.compile(r"^(?:Căn cứ|Nơi nhận|Theo đề nghị|- Lưu|Lưu:|\(Đã ký\))")
# The enforcement formula every decision ends with ("… chịu trách nhiệm thi hành Quyết định này") teaches nothing.
_BOILERPLATE = re.compile(r"\bchiu trach nhiem thi hanh\b|\bthi hanh (?:quyet dinh|nghi quyet|quy dinh) nay\b")
# The shelf's marks of sample material ("(số liệu mẫu)", "(mức thu mẫu)") are for readers of the document, not
# part of the rule a learner is asked about.
_SAMPLE_MARK = re.compile(
    r"\s*\((?:[^()]*[,\s-])?(?:số liệu|mức thu|thông số|địa chỉ|quy định|bản tóm tắt) mẫu\b[^()]*\)"
)
_LABEL = re.compile(r"^([^:;.\d]{2,80}?):\s+(?=\S)")
_HEAD_TITLE = re.compile(r"^(?:Điều\s+\d+[a-z]?|[IVXLC]+|\d{1,3}|[a-zđ])\s*[.:)\-–]\s*(.*)$", re.IGNORECASE)
_PIECE_BREAK = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def _title(heading: str) -> str:
    match = _HEAD_TITLE.match(heading.strip())
    title = (match.group(1) if match else heading).strip()
    return "" if is_upper_line(title) and len(title) > 40 else title.split(":")[0].strip().rstrip("…")


def _document_label(doc: DocumentMeta) -> str:
    return f"{doc.doc_type} số {doc.number}" if doc.number and doc.doc_type else doc.number or doc.title


def clauses(chunk: Chunk, doc: DocumentMeta) -> list[Clause]:
    """The clauses of ``chunk`` in order; the preamble (header, căn cứ) has none."""
    if chunk.heading_path[:1] == ("Phần mở đầu",):
        return []
    headings = {h.strip() for h in (*chunk.heading_path, chunk.heading) if h}
    title = _title(chunk.heading or (chunk.heading_path[-1] if chunk.heading_path else ""))
    groups: list[tuple[str, list[str]]] = []
    for raw in chunk.text.splitlines():
        line = raw.strip()
        if not line or line in headings or is_upper_line(line) or _SKIP_LINE.match(line):
            continue
        if _BOILERPLATE.search(fold_diacritics(line).lower()):
            continue
        clause = CLAUSE.match(line)
        if clause is not None:
            groups.append((clause.group(1), [line[clause.end() :]]))
        elif groups and (POINT.match(line) or line[0] in "-–+" or not line[0].isupper()):
            groups[-1][1].append(line)  # a point, a dash item or a wrapped line
        elif groups and not groups[-1][1][-1].rstrip().endswith((".", ";")):
            groups[-1][1].append(line)  # after "gồm:" or a line cut mid-sentence
        else:
            groups.append(("", [line]))
    return [_clause(chunk, doc, number, " ".join(lines), title) for number, lines in groups if " ".join(lines).strip()]


_AMENDED = re.compile(
    r"^[^\"“«]{0,200}?\bnhư sau\s*:\s*[\"“«]\s*(?:\d{1,3}\.\s+|[a-zđ]\)\s+)?(?P<new>.+?)\s*[\"”»]?\s*[.;]?\s*$"
)


def _clause(chunk: Chunk, doc: DocumentMeta, number: str, text: str, title: str) -> Clause:
    text = re.sub(r"\s+", " ", _SAMPLE_MARK.sub("", nfc(text))).strip()
    amended = _AMENDED.match(text)
    if amended is not None:  # "Sửa đổi khoản 1 Điều 6 như sau: "…"": the new provision is what the clause states
        text = amended.group("new").rstrip(" .;") + "."
    label_match = _LABEL.match(text)
    label = label_match.group(1).strip() if label_match and len(label_match.group(1).split()) <= 12 else ""
    source = SourceRef(
        chunk_id=chunk.chunk_id,
        doc_id=doc.doc_id,
        number=doc.number,
        title=doc.title,
        doc_type=doc.doc_type,
        path=_path(chunk, number),
        page=chunk.page_start,
        text=text,
    )
    return Clause(text=text, label=label, title=title, number=number, source=source)


def _path(chunk: Chunk, number: str) -> str:
    """The chunk's citation path, down to the khoản when the chunk is a whole article or outline section."""
    if not number or chunk.clause or chunk.point:
        return chunk.path_label
    if chunk.article:
        return f"khoản {number} Điều {chunk.article}"
    last = chunk.heading_path[-1].strip() if chunk.heading_path else ""
    if CLAUSE.match(last) and CLAUSE.match(last).group(1) == number:  # type: ignore[union-attr]
        return chunk.path_label
    return outline_label((*chunk.heading_path, f"{number}. x")).split(" — ")[0] or chunk.path_label


def pieces(text: str) -> list[str]:
    """The sentences and ";"-separated parts of a clause, verbatim, without list markers."""
    out = []
    for piece in _PIECE_BREAK.split(text):
        piece = re.sub(r"^(?:[a-zđ]\)|\d{1,3}\.)\s+", "", piece.strip())
        if len(piece) > 3:
            out.append(piece)
    return out


# --- values ----------------------------------------------------------------------------------------------------

_TIME_UNIT = r"(?:ngay lam viec|gio lam viec|ngay|gio|thang|nam|tuan|phut)"
_NUMBER = r"(?<![\d/.,])\d{1,3}(?:[.,]\d{3})*(?:,\d+)?"
_REFERENCES = re.compile(
    FOLDED_NUMBER.pattern + r"|\b(?:dieu|khoan|diem|chuong|muc|phan|phu luc|mau|buoc|tang|cap|so)\s+[\divxlc]+[a-z]?\b"
)
_FOLDED_VALUES: tuple[tuple[FactKind, re.Pattern[str]], ...] = (
    (FactKind.AMOUNT, re.compile(
        rf"{_NUMBER}\s*(?:trieu |ty |nghin )?(?:dong|vnd)\b(?:/[a-z]+(?: [a-z]+)?)?|{_NUMBER}\s*%")),
    (FactKind.DATE, re.compile(
        r"\bngay \d{1,2}(?: thang \d{1,2}(?: nam \d{4})?|/\d{1,2}(?:/\d{4})?)(?![\d/])|\b\d{1,2}/\d{1,2}/\d{4}\b"
        r"|\bthang \d{1,2}(?:/| nam )\d{4}\b|(?<=den )nam \d{4}\b|(?<=truoc )nam \d{4}\b|\bquy (?:iv|iii|ii|i)\b")),
    (FactKind.DURATION, re.compile(
        rf"(?<![\d/.,])\d{{1,3}}\s*{_TIME_UNIT}\b(?! \d)(?!/)|\btrong ngay(?: lam viec)?(?=\s*[.;,]|\s*$)")),
    (FactKind.COUNT, re.compile(
        rf"{_NUMBER} [a-z]+(?: [a-z]+)?|\b(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi) (?:lan|bo|ban)\b")),
)  # fmt: skip
# Single-syllable nouns a count can be of ("02 bộ", "một lần", "14 xã").
_COUNTED = frozenset("bo ban lan nguoi xa phuong huyen tinh to doi lop cuoc buoi nhom trang dot doan khoa so".split())
# Two-syllable nouns a count can be of ("7 thành viên", "05 thủ tục hành chính" → "05 thủ tục").
_COMPOUNDS = frozenset(
    ("thanh vien", "can bo", "cong chuc", "vien chuc", "thu tuc", "ho so", "cong trinh", "don vi", "co quan",
     "dich vu", "tai khoan", "van ban", "giay phep", "chi tieu", "nhiem vu", "thiet bi", "tai lieu", "hoc vien",
     "doan vien", "nguoi dan", "muc tieu", "tieu chi", "ban sao", "to chuc", "doanh nghiep", "cuoc thanh", "tru cot",
     "lop hoc")
)  # fmt: skip

_SECTORS = (
    "Thông tin và Truyền thông|Khoa học và Công nghệ|Kế hoạch và Đầu tư|Xây dựng|Y tế|Tài chính|Tư pháp|Nội vụ"
    "|Giáo dục và Đào tạo|Tài nguyên và Môi trường|Nông nghiệp và Môi trường|Nông nghiệp và Phát triển nông thôn"
    "|Lao động - Thương binh và Xã hội|Công Thương|Văn hóa, Thể thao và Du lịch|Giao thông vận tải|Ngoại giao"
    "|Công an|Dân tộc và Tôn giáo|Quản lý hoạt động xây dựng và hạ tầng kỹ thuật|Văn hóa - Xã hội|Kinh tế"
    "|Tư pháp - Hộ tịch|Khoa học, Công nghệ và Chuyển đổi số"
)
_PLACE = r"(?: [A-ZĐ]\w+){1,2}"
_LEVEL = (
    rf"(?: cấp (?:tỉnh|huyện|xã)| tỉnh(?: Lạng Sơn| Cao Bằng)?| huyện{_PLACE}| xã{_PLACE}| thành phố(?: Lạng Sơn)?)?"
)
_GOVERNMENT = rf"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND){_LEVEL}"
_LOCAL_GOVERNMENT = _GOVERNMENT.removesuffix("?")  # a body named without its level ("UBND") is too vague
_BODIES = (
    rf"(?:Sở|Bộ|Phòng|Cục|Chi cục|Vụ) (?:{_SECTORS})|{_LOCAL_GOVERNMENT}|Văn phòng (?:{_GOVERNMENT}|Chính phủ)"
    rf"|Ban Cơ yếu Chính phủ|Ban Chỉ đạo(?: tỉnh| Trung ương)?|Ban Thường vụ Tỉnh ủy|Bộ Chính trị"
    rf"|Chính phủ(?! (?:điện tử|số))"
    rf"|Trung tâm Phục vụ hành chính công{_LEVEL}|Bộ phận [Mm]ột cửa|Bộ phận tiếp nhận và trả kết quả"
    rf"|Thanh tra (?:tỉnh|huyện|Chính phủ|Sở(?: (?:{_SECTORS}))?)|Đoàn thanh tra|Tổ công nghệ số cộng đồng"
    rf"|Tổ giúp việc|Công an{_LEVEL}|Kho bạc Nhà nước"
)
_PERSONS = (
    rf"(?:Phó )?Chủ tịch (?:{_GOVERNMENT})|(?:Phó )?Giám đốc Sở(?: (?:{_SECTORS}))?"
    rf"|Chánh Văn phòng(?: {_GOVERNMENT})?|Chánh Thanh tra(?: tỉnh| huyện)?|Trưởng [Đđ]oàn(?: thanh tra)?"
    r"|Thủ trưởng (?:cơ quan|đơn vị)|Người đứng đầu (?:cơ quan|đơn vị)|(?<!công tác )[Vv]ăn thư(?: cơ quan)?"
)
_AGENCY = re.compile(rf"(?<!\w)(?:{_PERSONS}|{_BODIES})(?!\w)")
_CITED_BEFORE = re.compile(
    rf"(?:{FOLDED_NUMBER.pattern})\s*(?:ngay (?:[\d/]+|\d{{1,2}} thang \d{{1,2}} nam \d{{4}})\s*)?(?:cua\s*)?$"
)
# "sau 15 giờ", "trước 16 giờ", "lúc 8 giờ": a time of day, not a time limit.
_CLOCK_BEFORE = re.compile(r"\b(?:sau|truoc|luc|tu|den|vao)\s*$")
_PERSON = re.compile(rf"^(?:{_PERSONS})$")


def find_values(sentence: str) -> list[tuple[FactKind, str]]:
    """The typed values ``sentence`` states, as written, in order of position; references (số hiệu, "Điều 5",
    "khoản 2") state none."""
    text = nfc(sentence)
    folded = fold_diacritics(text)
    if len(folded) != len(text):
        return []
    blank = _REFERENCES.sub(lambda m: " " * len(m.group()), folded)
    taken: list[tuple[int, int, FactKind]] = []
    for match in _AGENCY.finditer(text):
        if not _CITED_BEFORE.search(folded[: match.start()]):  # "Nghị định số 15/2021/NĐ-CP của Chính phủ"
            taken.append((match.start(), match.end(), FactKind.AGENCY))
    for kind, pattern in _FOLDED_VALUES:
        for match in pattern.finditer(blank):
            start, end = match.start(), match.end()
            if kind is FactKind.COUNT:
                end = _count_end(blank, start, end)
                if end <= start:
                    continue
            if any(start < e and s < end for s, e, _ in taken):
                continue
            if kind is FactKind.DATE and _CITED_BEFORE.search(folded[:start]):  # the date of a cited document
                continue
            if kind is FactKind.DURATION and _clock_time(blank, start, end):
                continue
            taken.append((start, end, kind))
    return [(kind, text[start:end].strip()) for start, end, kind in sorted(taken)]


def _clock_time(blank: str, start: int, end: int) -> bool:
    """Whether "N giờ" at ``start`` is a time of day ("hồ sơ nhận sau 15 giờ", "trước 16 giờ 00")."""
    words = blank[start:end].split()
    if len(words) != 2 or words[1] != "gio" or not 0 <= int(words[0]) <= 24:
        return False
    return bool(_CLOCK_BEFORE.search(blank[:start])) or bool(re.match(r"\s*\d{2}\b", blank[end:]))


def _count_end(blank: str, start: int, end: int) -> int:
    """Where a counted noun ends: "02 bộ", "7 thành viên"; ``start`` when the word after the number is no noun."""
    words = blank[start:end].split()
    if len(words) > 2 and f"{words[1]} {words[2]}" in _COMPOUNDS:
        return start + len(" ".join(words[:3]))
    if len(words) >= 2 and words[1] in _COUNTED and words[0].strip("0"):
        return start + len(" ".join(words[:2]))
    return start


def fact_key(kind: FactKind, value: str) -> str:
    """The folded comparison key: no diacritics, lower case, leading zeros and thousands separators dropped."""
    folded = " ".join(fold_diacritics(nfc(value)).split())
    if kind in (FactKind.DURATION, FactKind.COUNT):
        folded = number_words_to_digits(folded.lower())  # "một lần" and "01 lần" are one value
    if kind in (FactKind.AMOUNT, FactKind.DURATION, FactKind.COUNT, FactKind.DATE):
        folded = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", folded)
        folded = re.sub(r"(?<![\d,])0+(?=\d)", "", folded)
        folded = re.sub(r"(?<=\d)(?=[a-z%])", " ", folded).replace(" %", "%")
    if kind is FactKind.DATE:
        folded = date_form(folded.lower())
    if kind is FactKind.AGENCY:
        folded = folded.replace("uy ban nhan dan", "ubnd").replace("hoi dong nhan dan", "hdnd")
    return folded.strip(" .,;:")


def unit_of(kind: FactKind, value: str) -> str:
    """What a value is measured in, for choosing comparable distractors: "ngay lam viec", "dong", "%", "bo",
    "full-date", "person"/"body"."""
    folded = fact_key(kind, value)
    if kind is FactKind.AGENCY:
        return "person" if _PERSON.match(nfc(value)) else "body"
    if kind is FactKind.DATE:
        if re.search(r"\d{4}", folded):
            return "year" if folded.startswith("nam") else "full-date"
        return "quarter" if folded.startswith("quy") else "day-month"
    if kind is FactKind.AMOUNT:  # "đồng/giấy phép" and "đồng/hồ sơ" are different units: one would give it away
        return "%" if folded.endswith("%") else "dong" + (f"/{folded.split('/', 1)[1]}" if "/" in folded else "")
    if kind in (FactKind.DURATION, FactKind.COUNT):
        return re.sub(r"^[\d.,]+\s*|^(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi) ", "", folded)
    return kind.value


_SUBJECT_TRIM = re.compile(
    r"(?:\s|,)+(?:trong thời hạn|trong vòng|trong|không quá|tối đa|chậm nhất|là|phải|thì|được|vào|trước|từ|đến"
    r"|kể từ|sau|ít nhất|mỗi|gồm|gửi|cho|do|của|tại|với|về)$",
    re.IGNORECASE,
)


def _subject(clause: Clause, piece: str, value: str) -> str:
    """What a fact is about: the clause's lead label, else the words before the value, else the title."""
    if clause.label and value not in clause.label:
        return clause.label
    before = piece.split(value, 1)[0].strip(" ,:;")
    for _ in range(4):
        before = _SUBJECT_TRIM.sub("", before).strip(" ,:;")
    words = before.split()
    if 3 <= len(words) <= 14 and not re.search(r"\d", before):
        return before[0].upper() + before[1:]
    return clause.title


_STEP_TITLE = re.compile(r"\b(?:trinh tu|quy trinh|cac buoc|buoc thuc hien)\b")
_STEP_LEAD = re.compile(r"^Bước\s+\d+\s*[:.\-–]\s*")
_CONDITION = re.compile(r"(?:^|[,;:]\s*|\s)((?:[Tt]rường hợp|[Kk]hi|[Nn]ếu)\s[^,;:.]{6,120}?)(?=\s+thì\b|,)")


def extract_facts(chunk: Chunk, doc: DocumentMeta) -> list[Fact]:
    """The facts stated in ``chunk``, clause by clause, in the order they are written; one fact per value and kind
    in each clause."""
    facts: list[Fact] = []
    clause_list = clauses(chunk, doc)
    steps = _STEP_TITLE.search(fold_diacritics(chunk.heading or " ".join(chunk.heading_path)))
    for clause in clause_list:
        seen: set[tuple[FactKind, str]] = set()
        parts = pieces(clause.text)
        for n, piece in enumerate(parts):
            lead, opening = ("", "") if n == 0 else (_lead(clause, parts[0]), parts[0])
            for kind, value in find_values(piece):
                key = fact_key(kind, value)
                if (kind, key) in seen:
                    continue
                seen.add((kind, key))
                subject = _subject(clause, piece, value)
                facts.append(Fact(kind, value, piece, clause.source, key, subject, lead, opening, clause.title))
            condition = _CONDITION.search(piece)
            if condition is not None and (FactKind.CONDITION, fold_diacritics(condition.group(1))) not in seen:
                value = condition.group(1).strip()
                seen.add((FactKind.CONDITION, fold_diacritics(value)))
                key = fact_key(FactKind.CONDITION, value)
                facts.append(Fact(FactKind.CONDITION, value, piece, clause.source, key, clause.label or clause.title))
        if (steps or _STEP_LEAD.match(clause.text)) and clause.number and len(clause_list) >= 3:
            step = _step_value(clause.text)
            if step:
                piece = pieces(clause.text)[0]
                subject = f"{clause.title} — bước {clause.number}"
                facts.append(Fact(FactKind.STEP, step, piece, clause.source, fact_key(FactKind.STEP, step), subject))
    return facts


_LEAD_CUT = re.compile(r".*\b(?:với|về|gồm|là|có|như sau)\s+", re.IGNORECASE)


def _lead(clause: Clause, opening: str) -> str:
    """What a later part of a clause is about: the clause's label, else the words before the ":" of its opening
    ("… với thời gian thực hành: bác sĩ 12 tháng; y sĩ 09 tháng" → "thời gian thực hành"); "" when neither."""
    if clause.label:
        return clause.label
    if ":" not in opening:
        return ""
    before = _LEAD_CUT.sub("", opening.split(":", 1)[0]).strip(" ,")
    numbers = re.sub(r"\b(?:19|20)\d\d\b", "", before)  # a year frames ("đến năm 2045"), other numbers do not
    return before if 1 <= len(before.split()) <= 8 and not re.search(r"\d", numbers) else ""


def _step_value(text: str) -> str:
    """The action of a step, verbatim: its label ("Bước 2: Thẩm định hồ sơ: …" → "Thẩm định hồ sơ") or its
    first part without "Bước n:"; "" when that is longer than 16 words (an option cut mid-phrase misleads)."""
    first = pieces(text)[0] if pieces(text) else ""
    first = _STEP_LEAD.sub("", first)
    label = _LABEL.match(first)
    if label is not None and len(label.group(1).split()) >= 2:
        return label.group(1).strip()
    first = re.split(r"[;]|, (?=trường hợp|nếu)", first)[0].rstrip(" .,;:")
    return first if 3 <= len(first.split()) <= 16 else ""


def document_label(doc: DocumentMeta) -> str:
    """ "Hướng dẫn số 12/HD-STTTT", or the title of a document without a số hiệu."""
    return _document_label(doc)

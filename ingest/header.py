"""The formal header of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP layout).

:func:`parse_header` reads the số hiệu (``12/QĐ-UBND``), the document type (from the type line or the number's
type code), the issuing body, the date line (``Lạng Sơn, ngày 15 tháng 3 năm 2025``) and the title from the
first lines of the text, and returns them in the sidecar's vocabulary (``number``, ``type``, ``issuer``,
``issued``, ``title``).

Lines are normalised (NFC, traditional tone placement); words are matched on the diacritic-folded line
(fold_diacritics keeps one character per NFC character) and values are cut from the normalised line.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from assistant.text.legal_grammar import DOCUMENT_NUMBER, is_upper_line, number_parts
from assistant.text.normalize import fold_diacritics, normalize_text

__all__ = ["HEADER_LINES", "parse_header"]

HEADER_LINES = 40  # only the first lines of a document are read

_NUMBER_LINE = re.compile(rf"(?:^(?:Số|SỐ)\s*:?|\b[Ss]ố\s*:)\s*({DOCUMENT_NUMBER})")
_CODES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "GM": "Giấy mời",
    "GUQ": "Giấy ủy quyền",
    "CĐ": "Công điện",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "KL": "Kết luận",
    "CV": "Công văn",
}
_TYPES = {fold_diacritics(t): t for t in {*_CODES.values(), "Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"}}
_TYPE_LINE = re.compile(r"^(" + "|".join(sorted(map(re.escape, _TYPES), key=len, reverse=True)) + r")(?:\s+|$)")
_NATIONAL = re.compile(r"cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|doc lap\s*[-–]\s*tu do")
_NUMBER_START = re.compile(r"(?:^|\s)(?:Số|SỐ)\s*:?\s*\d")
_DATE_LINE = re.compile(r",\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\s*\.?$")  # ends its line
_SEPARATOR = re.compile(r"^[-_*=.…~\s]+$")
_TITLE_STOP = re.compile(
    r"^(?:can cu|thuc hien|theo de nghi|xet de nghi|kinh gui|dieu\s+\d|chuong\s|\()|:$|: |,\s*ngay\s+\d"
)
_AUTHORITY = re.compile(
    r"^(?:chu tich|bo truong|thu tuong|giam doc|tong giam doc|chanh|truong ban|ban thuong vu"
    r"|ban chap hanh|hoi dong|uy ban|chinh phu|quoc hoi|bo chinh tri)\b|^[ivx]+[.-]\s"
)
_PLACE_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường"}
_PLACE_UPPER = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "THÀNH", "THỊ"}
_PLACE_PAIRS = {"thành phố", "thị xã", "thị trấn", "tỉnh ủy", "huyện ủy", "thành ủy", "quận ủy", "thị ủy"}
_ORG_WORDS = {"bộ", "sở", "cục", "vụ", "ban", "viện", "phòng"}
_PROPER_PAIRS = {"trung ương", "chính phủ", "quốc hội"}
_SYLLABLE = re.compile(r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")


@dataclass(frozen=True)
class _Line:
    text: str  # NFC, tidy whitespace
    folded: str  # fold_diacritics(text), same length


def parse_header(text: str) -> dict[str, Any]:
    """Best-effort ``number``, ``type``, ``issuer``, ``issued`` and ``title`` from the document's first lines.

    A field that is not found is left out; nothing is guessed from the body or from cited documents.
    """
    raw = [normalize_text(line) for line in text.split("\n") if line.strip()][:HEADER_LINES]
    lines = [_Line(t, f if len(f := fold_diacritics(t)) == len(t) else t.casefold()) for t in raw]
    lines = [line for line in lines if not line.folded.startswith("can cu")]
    found: dict[str, Any] = {}
    for line in lines:
        if (m := _NUMBER_LINE.search(line.text)) and "number" not in found:
            found["number"] = m.group(1)
        if (m := _DATE_LINE.search(line.folded)) and "issued" not in found:
            if date := _date(m.group(1), m.group(2), m.group(3)):
                found["issued"] = date
    if issuer := _issuer(lines):
        found["issuer"] = issuer
    type_at = next(
        (
            i
            for i, line in enumerate(lines)
            if is_upper_line(line.text) and _TYPE_LINE.match(line.folded) and not line.text.endswith(":")
        ),
        None,
    )
    if type_at is not None and (m := _TYPE_LINE.match(lines[type_at].folded)):
        found["type"] = _TYPES[m.group(1)]
    elif "number" in found and (code_type := _type_from_number(found["number"])):
        found["type"] = code_type
    if title := _title(lines, type_at, found.get("type", "")):
        found["title"] = title
    return found


def _date(day: str, month: str, year: str) -> dt.date | None:
    """The date of a "ngày … tháng … năm …" line; None when there is no such day (31 tháng 02).

    The DD/MM/YYYY case of :func:`ingest.metadata.parse_date`, kept here so that imports go metadata → header.
    """
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _type_from_number(number: str) -> str:
    parts = number_parts(number)
    if parts is None:
        return ""
    year, sep, code = parts
    if code.startswith("QH"):
        return "Luật"
    if code in _CODES:
        return _CODES[code]
    return "Công văn" if sep == "/" and not year and "-" in number else ""  # 123/UBND-VP has no type code


def _issuer(lines: list[_Line]) -> str:
    """The issuing body: the upper-case lines at the top, ended by the Quốc hiệu (or the number line)."""
    names: list[str] = []
    seen_national = False
    for line in lines[:12]:
        cuts = [m.start() for m in (_NATIONAL.search(line.folded), _NUMBER_START.search(line.text)) if m]
        head = line.text[: min(cuts)].strip(" -–*_=.") if cuts else line.text.strip(" -–*_=.")
        seen_national = seen_national or bool(cuts)
        if head and is_upper_line(head) and (cuts or not seen_national):
            words = head.split()
            place = words[0] in _PLACE_UPPER and words[1:2] != ["ỦY"]  # not "TỈNH ỦY"
            if names and (place or names[-1].endswith((" VÀ", "-"))):
                names[-1] = f"{names[-1]} {head}"  # "ỦY BAN NHÂN DÂN" / "TỈNH LẠNG SƠN" is one name
            else:
                names.append(head)  # "UBND TỈNH LẠNG SƠN" / "SỞ XÂY DỰNG": the lower line is the issuer
        elif seen_national or (names and head and not is_upper_line(head)):
            break  # a mixed-case line before the issuer (a "TÀI LIỆU MẪU" note) is skipped
    return _org_case(names[-1]) if names and seen_national else ""


def _is_abbreviation(token: str) -> bool:
    """UBND, HĐND, TW, KH&CN: upper-case tokens that are not one Vietnamese syllable."""
    word = token.strip(",.;:()")
    return word.isupper() and not _SYLLABLE.fullmatch(fold_diacritics(word))


def _org_case(name: str) -> str:
    """Capitalise an issuer the way Nghị định 30/2020 does.

    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" → "Ủy ban nhân dân tỉnh Lạng Sơn"; "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" →
    "Sở Kế hoạch và Đầu tư": the first word, the field after an organ word (and after a nearby "và"),
    place names.
    """
    low = [t if _is_abbreviation(t) else t.lower() for t in name.split()]
    cap = [i == 0 for i in range(len(low))]
    last_org = -99
    for i, word in enumerate(low):
        pair = " ".join(low[i : i + 2])
        after = low[i + 1] if i + 1 < len(low) else ""
        organ = word in _ORG_WORDS and low[i - 1 : i] not in (["ủy"], ["đảng"]) and after not in _PLACE_WORDS
        last_org = i if organ else last_org
        if organ or (word in ("và", "-") and i - last_org <= 6):
            cap[i + 1 : i + 2] = [True] * len(cap[i + 1 : i + 2])
        if pair in _PROPER_PAIRS:
            cap[i] = True
        place_start = i + 2 if pair in _PLACE_PAIRS else i + 1 if word in _PLACE_WORDS and pair != "xã hội" else 0
        if place_start:
            cap[place_start:] = [True] * (len(cap) - place_start)
    return " ".join(w[:1].upper() + w[1:] if c else w for w, c in zip(low, cap, strict=True))


def _title(lines: list[_Line], type_at: int | None, doc_type: str) -> str:
    """The line(s) after the type line ("Về việc …"), or a công văn's "V/v …" line."""
    if type_at is None:
        start = next((i for i, line in enumerate(lines) if line.folded.startswith(("v/v", "ve viec"))), None)
        if start is None:
            return ""
        return " ".join([lines[start].text] + [x.text for x in lines[start + 1 : start + 3] if x.text[:1].islower()])
    first = lines[type_at]
    type_end = _TYPE_LINE.match(first.folded)
    rest = first.text[type_end.end() :].strip() if type_end else ""
    title = [rest] if rest else []
    for line in lines[type_at + 1 : type_at + 6]:
        upper = is_upper_line(line.text)
        if line.folded.startswith("cua ") and upper and not title:
            continue  # "CỦA BỘ CHÍNH TRỊ" under "NGHỊ QUYẾT"
        if _SEPARATOR.match(line.text) or _TITLE_STOP.search(line.folded) or (upper and _AUTHORITY.search(line.folded)):
            break
        if title and upper != all(is_upper_line(t) for t in title):
            break
        title.append(line.text)
    if not title:
        return ""
    joined = " ".join(title)
    if is_upper_line(joined):  # "LUẬT" / "VIÊN CHỨC" → "Luật Viên chức"
        return f"{doc_type} {joined[:1]}{joined[1:].lower()}".strip()
    return joined[:1].upper() + joined[1:]

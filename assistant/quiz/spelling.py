"""Spellings of one value: numbers in words or digits ("một lần" = "01 lần" = "1 lần"), leading zeros, thousands
dots, and the abbreviations of administrative names (UBND = Ủy ban nhân dân, Sở TT&TT = Sở Thông tin và Truyền
thông).

:func:`canonical` is the comparison form used wherever two values are checked for being the same (option
distinctness, "distractor stated in the clause"); :func:`answer_spellings` lists what a fill-in answer accepts.
"""

from __future__ import annotations

import re

from assistant.text.normalize import fold_diacritics, nfc

__all__ = ["ABBREVIATIONS", "answer_spellings", "canonical", "number_words_to_digits"]

# (full name, abbreviation) as written in administrative texts.
ABBREVIATIONS = (
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Thông tin và Truyền thông", "TT&TT"),
    ("Khoa học và Công nghệ", "KH&CN"),
    ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Mặt trận Tổ quốc", "MTTQ"),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC"),
)
_FOLDED_ABBREVIATIONS = tuple(
    (fold_diacritics(full).lower(), fold_diacritics(short).lower()) for full, short in ABBREVIATIONS
)
_DIGITS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9}
# Words a number in words may count ("một lần", "hai bộ", "mười lăm ngày"), folded.
_COUNTED = (
    "lan|bo|ban|ngay|gio|thang|nam|tuan|phut|nguoi|thanh vien|can bo|cong chuc|ho so|thu tuc|co quan|don vi|ky|dot"
    "|buoi|cuoc|quy|muc|loai|cap|nhom"
)
_NUMBER_WORD = r"(?:mot|hai|ba|bon|tu|nam|lam|sau|bay|tam|chin|muoi)"
_NUMBER_WORDS = re.compile(rf"(?<![\w\d] )(?<![\w\d])\b({_NUMBER_WORD}(?: {_NUMBER_WORD}){{0,2}})(?= (?:{_COUNTED})\b)")


def _words_value(words: list[str]) -> int | None:
    """The number of "mười lăm" (15), "hai mươi" (20), "ba mươi mốt"-style sequences; None when not a number."""
    if len(words) == 1:
        return 10 if words[0] == "muoi" else _DIGITS.get(words[0])
    tens, rest = 1, words
    if words[0] != "muoi":
        if words[0] not in _DIGITS or words[1] != "muoi":
            return None
        tens, rest = _DIGITS[words[0]], words[1:]
    if rest[0] != "muoi" or len(rest) > 2:
        return None
    ones = _DIGITS.get(rest[1], -1) if len(rest) == 2 else 0
    return None if ones < 0 else tens * 10 + ones


def number_words_to_digits(folded: str) -> str:
    """``folded`` text with numbers in words before a counted noun written in digits: "mot lan" → "1 lan"."""

    def replace(match: re.Match[str]) -> str:
        value = _words_value(match.group(1).split())
        return match.group(1) if value is None else str(value)

    return _NUMBER_WORDS.sub(replace, folded)


_WRITTEN_DATE = re.compile(r"\b(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
# "ngày 15 tháng 12" and "ngày 15/12" without a year (after the dates with one are rewritten).
_DAY_MONTH = re.compile(r"\b(?:ngay )?(\d{1,2}) thang (\d{1,2})\b(?! nam)|\bngay (\d{1,2})/(\d{1,2})\b(?!/)")
_WRITTEN_MONTH = re.compile(r"\bthang (\d{1,2}) nam (\d{4})\b|\bthang (\d{1,2})/(\d{4})\b")


def date_form(folded: str) -> str:
    """Dates of folded text in one form: "ngày 01 tháng 7 năm 2025", "ngày 01/7/2025" and "01/07/2025" are all
    "1/7/2025"; "tháng 7 năm 2025" is "thang 7/2025"; "ngày 15 tháng 12" and "ngày 15/12" are "15/12"."""

    def day(match: re.Match[str]) -> str:
        d, m, y = (g for g in match.groups() if g is not None)
        return f"{int(d)}/{int(m)}/{y}"

    def month(match: re.Match[str]) -> str:
        m, y = (g for g in match.groups() if g is not None)
        return f"thang {int(m)}/{y}"

    def day_month(match: re.Match[str]) -> str:
        d, m = (g for g in match.groups() if g is not None)
        return f"{int(d)}/{int(m)}"

    folded = _WRITTEN_DATE.sub(day, re.sub(r"\bngay (?=\d{1,2}/\d{1,2}/\d{4})", "", folded))
    return _DAY_MONTH.sub(day_month, _WRITTEN_MONTH.sub(month, folded))


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SCALE = {"nghin": 1_000, "ngan": 1_000, "trieu": 1_000_000, "ty": 1_000_000_000}


def _scaled(match: re.Match[str]) -> str:
    """ "300 nghin dong" → "300000 dong", "1,5 ty" and "1.5 ty dong" → "1500000000 dong"."""
    amount = float(match.group(1).replace(",", ".")) * _SCALE[match.group(2)]
    return f"{round(amount)} dong"


_QUARTER = re.compile(r"\bquy (iv|iii|ii|i)\b")


def canonical(text: str) -> str:
    """The comparison form of a value or a clause: no diacritics, lower case, numbers in digits without leading
    zeros or thousands dots, administrative names abbreviated, "cấp tỉnh" as "tỉnh", quarters in digits, "phần
    trăm" as "%", "đ" as "đồng", "năm 2025" as "2025", white space and edge punctuation tidied."""
    folded = " ".join(fold_diacritics(nfc(text)).lower().split())
    for full, short in _FOLDED_ABBREVIATIONS:
        folded = folded.replace(full, short)
    folded = folded.replace("tt & tt", "tt&tt").replace("kh & cn", "kh&cn")
    folded = date_form(number_words_to_digits(folded))
    folded = _QUARTER.sub(lambda m: f"quy {_ROMAN[m.group(1)]}", folded)  # "quý III" = "quý 3"
    folded = re.sub(r"\s*(?:phan tram|%)", "%", folded)  # "50 phần trăm" = "50 %" = "50%"
    folded = re.sub(r"(?<=\d)\s*(?:d|vnd|vnđ|dong)\b", " dong", folded)  # "300.000đ" = "300.000 đồng"
    folded = re.sub(r"\bcap (tinh|huyen|xa)\b", r"\1", folded)  # "UBND cấp tỉnh" = "UBND tỉnh"
    folded = re.sub(r"\b(?:cac )?xa,? phuong\b|\bcac xa\b", "xa", folded)  # "UBND các xã, phường" = "UBND xã"
    folded = re.sub(r"\b(\d{1,3}(?:,\d{3})+)\b", lambda m: m.group(1).replace(",", ""), folded)  # "1,500,000"
    folded = re.sub(r"(\d+(?:[.,]\d{1,2})?)\s*(nghin|ngan|trieu|ty)\b(?: dong)?", _scaled, folded)  # "1,5 triệu"
    folded = re.sub(r"(?<=\d)\s*(?:tieng|h)\b", " gio", folded)  # "24 tiếng" = "24h" = "24 giờ"
    folded = re.sub(r"\bquy (mot|hai|ba|bon|tu)\b", lambda m: f"quy {_DIGITS[m.group(1)]}", folded)
    folded = re.sub(r"\bnam (\d{4})\b", r"\1", folded)  # "năm 2025" = "2025"
    folded = re.sub(r"\b(\d{1,2}) nam\b", lambda m: f"{12 * int(m.group(1))} thang", folded)  # "1 năm" = "12 tháng"
    alone = _words_value(folded.split()) if re.fullmatch(rf"{_NUMBER_WORD}(?: {_NUMBER_WORD}){{0,2}}", folded) else None
    folded = str(alone) if alone is not None else folded  # "năm" typed for "___ doanh nghiệp" = "5"
    folded = re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", folded)
    folded = re.sub(r"(?<![\d,./])0+(?=\d)", "", folded)
    return folded.strip(" .,;:")


def _abbreviation_forms(value: str) -> list[str]:
    forms = [value]
    for full, short in ABBREVIATIONS:
        for form in list(forms):
            if full in form:
                forms.append(form.replace(full, short))
            elif re.search(rf"(?<!\w){re.escape(short)}(?!\w)", form):
                forms.append(re.sub(rf"(?<!\w){re.escape(short)}(?!\w)", full, form))
    return forms


def _number_forms(value: str) -> list[str]:
    folded = fold_diacritics(value).lower()
    match = _NUMBER_WORDS.match(folded)
    if match is None:
        return []
    number = _words_value(match.group(1).split())
    if number is None:
        return []
    rest = value[match.end() :]
    return [f"{number}{rest}", f"{number:02d}{rest}"]


# A body's place name after its level ("Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"): the level alone names
# the same body in a text about that place.
_PLACE_NAME = re.compile(r"\b(?:tỉnh|xã|huyện|phường|thành phố)( [A-ZĐ]\w*(?: [A-ZĐ]\w*){0,2})$")


def answer_spellings(value: str) -> tuple[str, ...]:
    """Accepted answers for ``value``: as written; without or with leading zeros ("03 ngày" / "3 ngày"); without
    thousands dots; in digits for a number in words ("một lần" → "1 lần"); with each administrative name abbreviated
    or written out ("Chủ tịch UBND tỉnh" / "Chủ tịch Ủy ban nhân dân tỉnh"); a body's place name after its level may
    be left out ("Sở Y tế tỉnh Lạng Sơn" / "Sở Y tế tỉnh"). Units are never dropped."""
    forms: list[str] = []
    value = nfc(value)
    named = _PLACE_NAME.search(value)
    bases = [value, value[: named.start(1)].rstrip()] if named else [value]  # "… tỉnh Lạng Sơn" / "… tỉnh"
    per_unit = re.match(r"^(.*\d\s*(?:đồng|VNĐ|VND))/\S.*$", value)
    if per_unit:  # "300.000 đồng/chứng chỉ": the blank asks the amount, "300.000 đồng" says it
        bases.append(per_unit.group(1))
    bare = re.match(r"^([\d.,]+)\s*(?:đồng|VNĐ|VND)\b", value)
    if bare:  # the hint asks for a sum of money: the number alone says it
        bases.append(bare.group(1))
    for base in (form for b in bases for form in _abbreviation_forms(b)):
        forms += [base, *_number_forms(base)]
        forms.append(re.sub(r"(?<![\d.,])0+(?=\d)", "", base))
        forms.append(re.sub(r"(?<![\d.,/])(\d)(?![\d.,/])", r"0\1", base))
        forms.append(re.sub(r"(?<=\d)\.(?=\d{3}\b)", "", base))
    return tuple(dict.fromkeys(f for f in forms if f))

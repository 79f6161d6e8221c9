"""Legal rank (thứ bậc hiệu lực) of a document, read from its type, its issuer and the ký hiệu of its số hiệu, and
the way a document is named in a "Căn cứ …" line (Nghị định 30/2020/NĐ-CP, Phụ lục I).

The order follows the Law on promulgating legal documents for the state tiers (Hiến pháp, Luật and Bộ luật, Nghị
quyết of the Quốc hội, Pháp lệnh, the President, Nghị định and Government resolutions, Quyết định of the Prime
Minister, Thông tư, a minister's other decisions). **Party documents** are not legal documents and DOMAIN.md does
not place them; they are put after the central state tiers and before every local document: central ones (…/TW,
…/BCĐTW) first, then the provincial Party committee's (…/TU), and only then the provincial People's Council and
People's Committee. That is how the shelf's own căn cứ read: the Government's 03/NQ-CP cites Luật Tổ chức Chính phủ
before 57-NQ/TW, the Ministry's 1637/QĐ-BNG cites 57-NQ/TW before 01-KH/BCĐTW, and a provincial plan implements
the Tỉnh ủy's resolution.

Below the province's Nghị quyết (HĐND), Quyết định (UBND) and Chỉ thị come its Kế hoạch, Hướng dẫn and the like,
then a department's decisions and its plans and guides, then district and commune documents, then công văn. A Quy
chế or Quy định "ban hành kèm theo Quyết định" carries the number of that decision (35/2025/QĐ-UBND) and ranks as
the decision does: its legal force is the decision's, and a căn cứ line cites the decision that issued it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import IntEnum

from assistant.text.normalize import fold_diacritics
from assistant.types import DocumentMeta

__all__ = ["LegalRank", "document_kind", "document_name", "legal_date", "legal_rank", "short_date", "sign_parts"]


class LegalRank(IntEnum):
    """Tiers, highest first; see the module doc for the place of Party documents."""

    CONSTITUTION = 1
    LAW = 2
    NATIONAL_ASSEMBLY = 3
    ORDINANCE = 4
    PRESIDENT = 5
    GOVERNMENT = 6
    PRIME_MINISTER = 7
    CIRCULAR = 8
    MINISTRY = 9
    PARTY_CENTRAL = 10
    PARTY_PROVINCIAL = 11
    PROVINCIAL_COUNCIL = 12
    PROVINCIAL_DECISION = 13
    PROVINCIAL_DIRECTIVE = 14
    PROVINCIAL_PLAN = 15
    DEPARTMENT_DECISION = 16
    DEPARTMENT_PLAN = 17
    LOCAL = 18
    OFFICIAL_LETTER = 19
    OTHER = 20

    @property
    def label_vi(self) -> str:
        return _LABELS[self]


_LABELS = {
    LegalRank.CONSTITUTION: "Hiến pháp",
    LegalRank.LAW: "Luật, Bộ luật",
    LegalRank.NATIONAL_ASSEMBLY: "Nghị quyết của Quốc hội",
    LegalRank.ORDINANCE: "Pháp lệnh, Nghị quyết của Ủy ban Thường vụ Quốc hội",
    LegalRank.PRESIDENT: "Lệnh, Quyết định của Chủ tịch nước",
    LegalRank.GOVERNMENT: "Nghị định, Nghị quyết của Chính phủ",
    LegalRank.PRIME_MINISTER: "Quyết định, Chỉ thị của Thủ tướng Chính phủ",
    LegalRank.CIRCULAR: "Thông tư",
    LegalRank.MINISTRY: "Văn bản của Bộ, cơ quan ngang Bộ",
    LegalRank.PARTY_CENTRAL: "Văn bản của Đảng ở Trung ương",
    LegalRank.PARTY_PROVINCIAL: "Văn bản của Tỉnh ủy",
    LegalRank.PROVINCIAL_COUNCIL: "Nghị quyết của Hội đồng nhân dân tỉnh",
    LegalRank.PROVINCIAL_DECISION: "Quyết định của Ủy ban nhân dân tỉnh",
    LegalRank.PROVINCIAL_DIRECTIVE: "Chỉ thị của Ủy ban nhân dân tỉnh",
    LegalRank.PROVINCIAL_PLAN: "Kế hoạch, hướng dẫn của Ủy ban nhân dân tỉnh",
    LegalRank.DEPARTMENT_DECISION: "Quyết định của sở, ngành",
    LegalRank.DEPARTMENT_PLAN: "Kế hoạch, hướng dẫn của sở, ngành",
    LegalRank.LOCAL: "Văn bản cấp huyện, cấp xã",
    LegalRank.OFFICIAL_LETTER: "Công văn",
    LegalRank.OTHER: "Tài liệu khác",
}

# Type codes of a ký hiệu (folded, upper case) → the kind of document they name (DOMAIN.md, NĐ 30/2020).
_KINDS = {
    "NQ": "Nghị quyết", "QD": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QYD": "Quy định", "TB": "Thông báo",
    "HD": "Hướng dẫn", "CTR": "Chương trình", "KH": "Kế hoạch", "PA": "Phương án", "DA": "Đề án", "BC": "Báo cáo",
    "BB": "Biên bản", "TTR": "Tờ trình", "GM": "Giấy mời", "GUQ": "Giấy ủy quyền", "CD": "Công điện",
    "ND": "Nghị định", "TT": "Thông tư", "PL": "Pháp lệnh", "L": "Lệnh", "KL": "Kết luận", "QY": "Quy định",
}  # fmt: skip
_PARTY = re.compile(r"^\s*\d+[a-z]?\s*-\s*([A-Za-zĐđ]+)\s*/\s*([A-Za-zĐđ]+)\s*$")
_LOCAL_ISSUER = re.compile(r"(?:uy ban nhan dan|hoi dong nhan dan)\s+(?:huyen|xa|phuong|thi tran|quan|thi xa)\b")


def sign_parts(number: str) -> tuple[str, str]:
    """(type code, issuing body) of a số hiệu, folded upper case: "30/2020/NĐ-CP" → ("ND", "CP"), "57-NQ/TW" →
    ("NQ", "TW"), "58/2010/QH12" → ("", "QH12"), "123/UBND-VP" → ("", "UBND") (a công văn has no type code)."""
    if m := _PARTY.match(number):
        return fold_diacritics(m.group(1)).upper(), fold_diacritics(m.group(2)).upper()
    sign = fold_diacritics(number.rsplit("/", 1)[-1]).upper().strip()
    head, _, tail = sign.partition("-")
    if head in _KINDS and tail:
        return head, tail
    return "", head


def legal_rank(doc: DocumentMeta) -> LegalRank:
    """The tier of ``doc`` (see the module doc)."""
    kind = fold_diacritics(doc.doc_type)
    issuer = fold_diacritics(doc.issuer)
    code, body = sign_parts(doc.number) if doc.number else ("", "")
    if kind == "hien phap":
        return LegalRank.CONSTITUTION
    if body.startswith("QH") or ("quoc hoi" in issuer and "uy ban thuong vu" not in issuer):
        return LegalRank.NATIONAL_ASSEMBLY if kind == "nghi quyet" or code == "NQ" else LegalRank.LAW
    if kind in ("luat", "bo luat"):
        return LegalRank.LAW
    if kind == "phap lenh" or body.startswith("UBTVQH") or "uy ban thuong vu quoc hoi" in issuer:
        return LegalRank.ORDINANCE
    if body == "CTN" or "chu tich nuoc" in issuer:
        return LegalRank.PRESIDENT
    if kind == "nghi dinh" or code == "ND" or body == "CP" or issuer == "chinh phu":
        return LegalRank.GOVERNMENT
    if body == "TTG" or "thu tuong" in issuer:
        return LegalRank.PRIME_MINISTER
    if kind == "thong tu" or code == "TT":
        return LegalRank.CIRCULAR
    if body.endswith("TW") or issuer in ("bo chinh tri", "ban bi thu") or "trung uong" in issuer:
        return LegalRank.PARTY_CENTRAL
    if body in ("TU", "HU", "DU") or "tinh uy" in issuer or "thanh uy" in issuer:
        return LegalRank.PARTY_PROVINCIAL
    if issuer.startswith("bo ") or (not issuer and body.startswith("B")):
        return LegalRank.MINISTRY
    if _LOCAL_ISSUER.search(issuer):
        return LegalRank.LOCAL
    if kind == "cong van" or (doc.number and not code):
        return LegalRank.OFFICIAL_LETTER
    if body == "HDND" or "hoi dong nhan dan" in issuer:
        return LegalRank.PROVINCIAL_COUNCIL
    decision = code == "QD" or kind == "quyet dinh"
    if body == "UBND" or "uy ban nhan dan" in issuer:
        if decision:
            return LegalRank.PROVINCIAL_DECISION
        return LegalRank.PROVINCIAL_DIRECTIVE if code == "CT" or kind == "chi thi" else LegalRank.PROVINCIAL_PLAN
    if not doc.number:
        return LegalRank.OTHER
    return LegalRank.DEPARTMENT_DECISION if decision else LegalRank.DEPARTMENT_PLAN


def document_kind(doc: DocumentMeta) -> str:
    """The kind a căn cứ line names ``doc`` by: its type, but the decision that issued it for a Quy chế, Quy
    định, Kế hoạch… carrying a decision's number ("Quyết định" for the Quy chế 35/2025/QĐ-UBND)."""
    code = sign_parts(doc.number)[0] if doc.number else ""
    if code == "QD" and doc.doc_type and fold_diacritics(doc.doc_type) != "quyet dinh":
        return _KINDS["QD"]
    return doc.doc_type or _KINDS.get(code, "Văn bản")


def document_name(doc: DocumentMeta) -> str:
    """ "Quyết định số 35/2025/QĐ-UBND"; the title when the document has no số hiệu."""
    return f"{document_kind(doc)} số {doc.number}" if doc.number else doc.title


def legal_date(day: dt.date) -> str:
    """ "ngày 05 tháng 3 năm 2020": days below 10 and months below 3 with a leading 0 (NĐ 30/2020, Phụ lục I)."""
    return f"ngày {day.day:02d} tháng {_month(day)} năm {day.year}"


def short_date(day: dt.date) -> str:
    """ "01/9/2025", with the same leading zeros as :func:`legal_date`."""
    return f"{day.day:02d}/{_month(day)}/{day.year}"


def _month(day: dt.date) -> str:
    return f"{day.month:02d}" if day.month < 3 else str(day.month)

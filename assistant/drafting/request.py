"""What a user asks to draft: the kind of document, its header fields, the particulars of that kind and the
signature block; and the finished draft. Every field is optional except the kind: a field left empty becomes a
visible placeholder in the document (nothing is invented), and the draft lists those fields."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Any

from assistant.drafting.details import (
    DETAILS_BY_KIND,
    Details,
    DraftKind,
    InvalidDraftRequest,
    clean_lines,
    clean_text,
)

__all__ = ["Draft", "DraftRequest", "SignAuthority", "Signature"]

_NUMBER = re.compile(r"[0-9]{1,6}")
_ABBREVIATION = re.compile(r"[^\W_][\w.]*")  # "UBND", "HĐND", "STTTT", "VP", "P.KT": no space, "/" or "-"
# Kinds whose body is addressed "Kính gửi:" (a báo cáo may be, when the user names a recipient).
KINDS_WITH_RECIPIENTS = frozenset({DraftKind.TO_TRINH, DraftKind.CONG_VAN})
_KINDS_MAY_HAVE_RECIPIENTS = KINDS_WITH_RECIPIENTS | {DraftKind.BAO_CAO}


class SignAuthority(StrEnum):
    """The label above the signer's title (Phụ lục I, mục 7): on behalf of a collective, for the head, by order, by
    delegation, acting; NONE when the head signs in their own name."""

    TM = "TM."
    KT = "KT."
    TL = "TL."
    TUQ = "TUQ."
    Q = "Q."
    NONE = ""

    @classmethod
    def parse(cls, value: object) -> SignAuthority:
        """``"KT."``, ``"kt"`` or ``SignAuthority.KT``; anything else is an error naming the field."""
        if isinstance(value, SignAuthority):
            return value
        text = str(value).strip().upper() if value is not None else ""
        if text and not text.endswith("."):
            text += "."
        for authority in cls:
            if authority.value == text or (not text and authority is cls.NONE):
                return authority
        allowed = ", ".join(a.value for a in cls if a.value)
        raise InvalidDraftRequest(
            "signature.authority", f"'{value}' không phải nhãn thẩm quyền ký; chọn một trong {allowed} hoặc để trống"
        )


@dataclass(frozen=True)
class Signature:
    """The signature block: ``authority`` and ``on_behalf_of`` make its first line ("TM. ỦY BAN NHÂN DÂN",
    "KT. GIÁM ĐỐC"; for TM. the issuing body when empty), then the signer's ``title`` and ``name``."""

    authority: SignAuthority = SignAuthority.NONE
    on_behalf_of: str = ""
    title: str = ""
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "authority", SignAuthority.parse(self.authority))
        for name in ("on_behalf_of", "title", "name"):
            object.__setattr__(self, name, clean_text(getattr(self, name), f"signature.{name}"))


@dataclass(frozen=True)
class DraftRequest:
    """One official document to draft. ``number`` is the số alone ("12"): the ký hiệu is built from the kind and
    the abbreviations. ``drafting_unit`` is the abbreviation of the unit that drafts it ("VP"); ``distribution``
    is the Nơi nhận list without the final "Lưu" line, which is added."""

    kind: DraftKind
    issuing_body: str = ""  # cơ quan ban hành, e.g. "Ủy ban nhân dân tỉnh Lạng Sơn"
    issuing_abbreviation: str = ""  # "UBND"
    superior_body: str = ""  # cơ quan chủ quản (optional: shown only when given)
    drafting_unit: str = ""  # "VP"
    number: str = ""
    place: str = ""  # địa danh, "Lạng Sơn"
    date: dt.date | None = None
    subject: str = ""  # trích yếu ("V/v …" of a công văn, without "V/v")
    recipients: tuple[str, ...] = ()  # Kính gửi
    bases: tuple[str, ...] = ()  # căn cứ lines
    details: Details | None = None  # the particulars of the kind; None: all placeholders
    signature: Signature = field(default_factory=Signature)
    distribution: tuple[str, ...] = ()  # Nơi nhận
    archive_copies: int | None = None  # the count after "Lưu: VT, <unit>" when wanted

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DraftKind.parse(self.kind))
        for spec in fields(self):
            value = getattr(self, spec.name)
            if spec.name in ("issuing_body", "superior_body", "place", "subject"):
                object.__setattr__(self, spec.name, clean_text(value, spec.name))
            elif spec.name in ("recipients", "bases", "distribution"):
                object.__setattr__(self, spec.name, clean_lines(value, spec.name))
        self._check_codes()
        if self.date is not None and not isinstance(self.date, dt.date):
            raise InvalidDraftRequest("date", f"cần một ngày (datetime.date), nhận được {type(self.date).__name__}")
        if not isinstance(self.signature, Signature):
            raise InvalidDraftRequest("signature", "cần một Signature(authority, on_behalf_of, title, name)")
        if self.archive_copies is not None and (not isinstance(self.archive_copies, int) or self.archive_copies < 1):
            raise InvalidDraftRequest(
                "archive_copies", f"số bản lưu phải là số nguyên ≥ 1, nhận được {self.archive_copies!r}"
            )
        if self.recipients and self.kind not in _KINDS_MAY_HAVE_RECIPIENTS:
            raise InvalidDraftRequest("recipients", f"{self.kind.label} không có phần “Kính gửi”; hãy để trống")
        expected = DETAILS_BY_KIND[self.kind]
        if self.details is None:
            object.__setattr__(self, "details", expected())
        elif not isinstance(self.details, expected):
            raise InvalidDraftRequest(
                "details",
                f"{self.kind.label} cần nội dung kiểu {expected.__name__}, nhận được {type(self.details).__name__}",
            )

    def _check_codes(self) -> None:
        for name in ("number", "issuing_abbreviation", "drafting_unit"):
            value = clean_text(getattr(self, name), name)
            object.__setattr__(self, name, value)
            if not value:
                continue
            if name == "number" and not _NUMBER.fullmatch(value):
                raise InvalidDraftRequest(
                    "number", f"'{value}' không phải số văn bản: chỉ ghi phần số (ví dụ '12'), ký hiệu được tự ghép"
                )
            if name != "number" and not _ABBREVIATION.fullmatch(value):
                raise InvalidDraftRequest(
                    name, f"'{value}' không phải chữ viết tắt: viết liền, không dấu cách, '/' hay '-' (ví dụ 'UBND')"
                )

    def with_details(self, **changes: Any) -> DraftRequest:
        """A copy whose particulars have ``changes`` applied."""
        return replace(self, details=replace(self.details, **changes)) if self.details else self


@dataclass(frozen=True)
class Draft:
    """A rendered draft: the DOCX, its "số/ký hiệu" ("12/GM-UBND", "…/GM-UBND" before it is numbered) and the
    request fields that are placeholders in it ("date", "details.time", "signature.name", …)."""

    kind: DraftKind
    content: bytes
    number: str
    placeholders: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"{self.kind.value}.docx"

    @property
    def complete(self) -> bool:
        return not self.placeholders

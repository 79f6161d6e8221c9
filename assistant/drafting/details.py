"""The kinds of document the assistant drafts (Nghị định 30/2020/NĐ-CP, Phụ lục III: tên loại and ký hiệu) and the
particulars each kind states. Empty particulars become placeholders when the draft is rendered."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, fields
from enum import StrEnum

from assistant.errors import InvalidRequest

__all__ = [
    "Article",
    "Decision",
    "Details",
    "DraftKind",
    "InvalidDraftRequest",
    "Invitation",
    "Letter",
    "Plan",
    "Report",
    "Submission",
]


class InvalidDraftRequest(InvalidRequest, ValueError):
    """A draft request field is malformed: ``field`` names it, the message says what to give instead."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"Trường '{field}' của yêu cầu soạn thảo không hợp lệ: {problem}.")
        self.field = field


class DraftKind(StrEnum):
    GIAY_MOI = "giay_moi"
    TO_TRINH = "to_trinh"
    BAO_CAO = "bao_cao"
    CONG_VAN = "cong_van"
    KE_HOACH = "ke_hoach"
    QUYET_DINH = "quyet_dinh"

    @property
    def label(self) -> str:
        """The kind in Vietnamese, "giấy mời"."""
        return _LABEL[self]

    @property
    def code(self) -> str:
        """The ký hiệu of the kind (Phụ lục III); "" for a công văn, which has none."""
        return _CODE[self]

    @property
    def heading(self) -> str:
        """The tên loại printed above the trích yếu; "" for a công văn, which has none."""
        return "" if self is DraftKind.CONG_VAN else self.label.upper()

    @classmethod
    def parse(cls, value: object) -> DraftKind:
        """A kind from its value ("giay_moi") or its Vietnamese name ("giấy mời"); otherwise an error naming it."""
        if isinstance(value, DraftKind):
            return value
        text = unicodedata.normalize("NFC", str(value)).strip().casefold()
        for kind in cls:
            if text in (kind.value, kind.label, kind.value.replace("_", " ")):
                return kind
        allowed = ", ".join(f"{kind.value} ({kind.label})" for kind in cls)
        raise InvalidDraftRequest("kind", f"'{value}' không phải loại văn bản được hỗ trợ; chọn một trong: {allowed}")


_LABEL = {
    DraftKind.GIAY_MOI: "giấy mời",
    DraftKind.TO_TRINH: "tờ trình",
    DraftKind.BAO_CAO: "báo cáo",
    DraftKind.CONG_VAN: "công văn",
    DraftKind.KE_HOACH: "kế hoạch",
    DraftKind.QUYET_DINH: "quyết định",
}
_CODE = {
    DraftKind.GIAY_MOI: "GM",
    DraftKind.TO_TRINH: "TTr",
    DraftKind.BAO_CAO: "BC",
    DraftKind.CONG_VAN: "",
    DraftKind.KE_HOACH: "KH",
    DraftKind.QUYET_DINH: "QĐ",
}


def clean_text(value: object, name: str) -> str:
    """NFC, trimmed, inner whitespace collapsed; a non-string is an error naming the field."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidDraftRequest(name, f"cần một chuỗi văn bản, nhận được {type(value).__name__}")
    return " ".join(unicodedata.normalize("NFC", value).split())


def clean_lines(value: object, name: str) -> tuple[str, ...]:
    """A tuple of cleaned, non-empty lines from a list or tuple of strings (a bare string is one line)."""
    if value is None:
        return ()
    items = (value,) if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidDraftRequest(name, f"cần một danh sách các dòng, nhận được {type(value).__name__}")
    lines = (clean_text(item, f"{name}[{i}]") for i, item in enumerate(items))
    return tuple(line for line in lines if line)


class _Cleaned:
    """Cleans every field of a particulars dataclass: strings trimmed (NFC), sequences made tuples of lines."""

    _prefix = "details"

    def __post_init__(self) -> None:
        for spec in fields(self):  # type: ignore[arg-type]
            value = getattr(self, spec.name)
            name = f"{self._prefix}.{spec.name}"
            cleaned = clean_lines(value, name) if spec.type.startswith("tuple") else clean_text(value, name)
            object.__setattr__(self, spec.name, cleaned)


@dataclass(frozen=True)
class Invitation(_Cleaned):
    """Giấy mời: who is invited, when, where, what about, what to bring, whom to call."""

    invitees: tuple[str, ...] = ()
    time: str = ""
    venue: str = ""
    content: str = ""
    preparation: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Submission(_Cleaned):
    """Tờ trình: why it is needed, what is proposed, what is attached."""

    need: tuple[str, ...] = ()
    proposal: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report(_Cleaned):
    """Báo cáo: results, limits and their causes, tasks for the next period, recommendations."""

    results: tuple[str, ...] = ()
    limits: tuple[str, ...] = ()
    next_tasks: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan(_Cleaned):
    """Kế hoạch: purpose and requirements, content and tasks, how it is organised."""

    purpose: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()


@dataclass(frozen=True)
class Letter(_Cleaned):
    """Công văn: the paragraphs of its body."""

    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article(_Cleaned):
    """One Điều of a quyết định: its text and, optionally, its title ("Điều 2. Hiệu lực thi hành")."""

    text: str = ""
    title: str = ""

    _prefix = "details.articles[]"


@dataclass(frozen=True)
class Decision:
    """Quyết định: the issuing authority ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN"), the "Theo đề nghị của …"
    line, and the articles (plain strings are taken as article texts)."""

    authority: str = ""
    proposal: str = ""
    articles: tuple[Article, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "authority", clean_text(self.authority, "details.authority"))
        object.__setattr__(self, "proposal", clean_text(self.proposal, "details.proposal"))
        items = (self.articles,) if isinstance(self.articles, str | Article) else self.articles
        if not isinstance(items, list | tuple):
            raise InvalidDraftRequest("details.articles", "cần một danh sách các điều (Article hoặc chuỗi)")
        articles = []
        for i, item in enumerate(items):
            if isinstance(item, str):
                item = Article(text=item)
            if not isinstance(item, Article):
                raise InvalidDraftRequest(f"details.articles[{i}]", "cần một Article(text, title) hoặc một chuỗi")
            if item.text or item.title:
                articles.append(item)
        object.__setattr__(self, "articles", tuple(articles))


Details = Invitation | Submission | Report | Plan | Letter | Decision
DETAILS_BY_KIND: dict[DraftKind, type[Invitation | Submission | Report | Plan | Letter | Decision]] = {
    DraftKind.GIAY_MOI: Invitation,
    DraftKind.TO_TRINH: Submission,
    DraftKind.BAO_CAO: Report,
    DraftKind.KE_HOACH: Plan,
    DraftKind.CONG_VAN: Letter,
    DraftKind.QUYET_DINH: Decision,
}

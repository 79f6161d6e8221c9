"""Fixtures of the drafting tests: one complete request of each kind (``complete_request``), and ``read_draft``, which
opens a rendered draft with python-docx and names its parts in reading order."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.drafting import (
    Article,
    Decision,
    DraftKind,
    DraftRequest,
    Invitation,
    Letter,
    Plan,
    Report,
    Signature,
    SignAuthority,
    Submission,
)

UBND = {
    "issuing_body": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "issuing_abbreviation": "UBND",
    "drafting_unit": "VP",
    "place": "Lạng Sơn",
}
SO = {
    "superior_body": "UBND tỉnh Lạng Sơn",
    "issuing_body": "Sở Khoa học và Công nghệ",
    "issuing_abbreviation": "SKHCN",
    "drafting_unit": "CĐS",
    "place": "Lạng Sơn",
}
BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư.",
    "Căn cứ Kế hoạch số 01-KH/BCĐTW ngày 21 tháng 3 năm 2025 của Ban Chỉ đạo Trung ương",
)
DIRECTOR = Signature(SignAuthority.KT, on_behalf_of="Giám đốc", title="Phó Giám đốc", name="Hoàng Văn C")
CHAIRMAN = Signature(SignAuthority.TM, on_behalf_of="Ủy ban nhân dân", title="Chủ tịch", name="Nguyễn Văn A")
DATE = dt.date(2026, 3, 5)

COMPLETE: dict[DraftKind, DraftRequest] = {
    DraftKind.GIAY_MOI: DraftRequest(
        DraftKind.GIAY_MOI, **SO, number="12", date=DATE, subject="Dự Hội nghị triển khai “Bình dân học vụ số”",
        details=Invitation(invitees=("Lãnh đạo các sở, ngành", "Chủ tịch UBND các xã, phường"),
                           time="08 giờ 00 phút, ngày 12 tháng 3 năm 2026", venue="Hội trường tầng 3 của Sở",
                           content="Quán triệt Kế hoạch triển khai", preparation="Ý kiến tham luận",
                           contact="Đồng chí Lê Văn D, điện thoại 0205.3812.345"),
        signature=DIRECTOR, distribution=("Như thành phần mời", "Giám đốc Sở"),
    ),
    DraftKind.TO_TRINH: DraftRequest(
        DraftKind.TO_TRINH, **SO, number="25", date=DATE, subject="Đề nghị ban hành Kế hoạch năm 2026",
        recipients=("Ủy ban nhân dân tỉnh Lạng Sơn",), bases=BASES,
        details=Submission(need=("Phổ cập kỹ năng số cho người dân.",), proposal=("Ban hành Kế hoạch.",),
                           attachments=("Dự thảo Kế hoạch",)),
        signature=DIRECTOR, distribution=("Như trên",),
    ),
    DraftKind.BAO_CAO: DraftRequest(
        DraftKind.BAO_CAO, **SO, number="48", date=DATE, subject="Kết quả triển khai 6 tháng đầu năm 2026",
        details=Report(results=("Tổ chức 215 lớp.",), limits=("Hạ tầng mạng chưa ổn định.",),
                       next_tasks=("Mở rộng lớp học.",), recommendations=("Bố trí kinh phí.",)),
        signature=DIRECTOR, distribution=("UBND tỉnh (b/c)",), archive_copies=2,
    ),
    DraftKind.CONG_VAN: DraftRequest(
        DraftKind.CONG_VAN, **UBND, number="123", date=DATE, subject="triển khai “Bình dân học vụ số”",
        recipients=("Các sở, ban, ngành tỉnh", "UBND các xã, phường"),
        details=Letter(paragraphs=("Đề nghị các cơ quan tổ chức phổ cập kỹ năng số.", "Báo cáo trước ngày 25.")),
        signature=Signature(SignAuthority.KT, on_behalf_of="Chủ tịch", title="Phó Chủ tịch", name="Trần Thị B"),
        distribution=("Như trên", "CT, các PCT UBND tỉnh"),
    ),
    DraftKind.KE_HOACH: DraftRequest(
        DraftKind.KE_HOACH, **UBND, number="56", date=DATE, subject="Triển khai “Bình dân học vụ số” năm 2026",
        bases=BASES[:2],
        details=Plan(purpose=("Phổ cập kỹ năng số.",), tasks=("Tổ chức lớp học.",), organisation=("Sở KHCN chủ trì.",)),
        signature=CHAIRMAN, distribution=("Các sở, ban, ngành tỉnh",),
    ),
    DraftKind.QUYET_DINH: DraftRequest(
        DraftKind.QUYET_DINH, **UBND, number="7", date=DATE,
        subject="Về việc thành lập Ban Chỉ đạo phong trào “Bình dân học vụ số”", bases=BASES,
        details=Decision(authority="Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
                         proposal="Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ",
                         articles=(Article("Thành lập Ban Chỉ đạo."),
                                   Article("Quyết định này có hiệu lực kể từ ngày ký.", title="Hiệu lực thi hành"),
                                   "Chánh Văn phòng UBND tỉnh chịu trách nhiệm thi hành Quyết định này.")),
        signature=CHAIRMAN, distribution=("Như Điều 3",),
    ),
}  # fmt: skip


@pytest.fixture
def requests_by_kind() -> dict[DraftKind, DraftRequest]:
    return COMPLETE


@pytest.fixture(params=list(DraftKind), ids=[kind.value for kind in DraftKind])
def complete_request(request: pytest.FixtureRequest) -> DraftRequest:
    """A request of each kind with every field given."""
    return COMPLETE[request.param]


@dataclass
class DraftView:
    """A rendered draft opened with python-docx: the header table, the paragraphs between it and the closing table
    (tên loại to the body), and the closing table's signature (right) and Nơi nhận (left) cells."""

    document: DocxDocument
    header: Table
    middle: list[Paragraph]
    signature: list[Paragraph]
    distribution: list[Paragraph]

    @property
    def cells(self) -> dict[str, list[Paragraph]]:
        return {
            "bodies": self.header.cell(0, 0).paragraphs,
            "national": self.header.cell(0, 1).paragraphs,
            "number": self.header.cell(1, 0).paragraphs,
            "date": self.header.cell(1, 1).paragraphs,
        }

    @property
    def texts(self) -> list[str]:
        return [paragraph.text for paragraph in self.middle]

    @staticmethod
    def has_rule(paragraph: Paragraph) -> bool:
        """An empty paragraph whose bottom border draws a line."""
        borders = paragraph._p.pPr.find(qn("w:pBdr")) if paragraph._p.pPr is not None else None
        bottom = borders.find(qn("w:bottom")) if borders is not None else None
        return not paragraph.text and bottom is not None and bottom.get(qn("w:val")) == "single"


@pytest.fixture
def read_draft() -> Callable[[bytes], DraftView]:
    def read(content: bytes) -> DraftView:
        document = Document(io.BytesIO(content))
        body = document.element.body
        tables = [Table(element, document._body) for element in body.iterchildren(qn("w:tbl"))]
        assert len(tables) == 2, "a draft is a header table, paragraphs, and a closing table"
        header, closing = tables
        middle = [Paragraph(p, document._body) for p in header._tbl.itersiblings(qn("w:p"))]
        middle = [p for p in middle if p._p.getparent() is body and _before(p._p, closing._tbl)]
        return DraftView(document, header, middle, closing.cell(0, 1).paragraphs, closing.cell(0, 0).paragraphs)

    return read


def _before(element: object, other: object) -> bool:
    return any(sibling is other for sibling in element.itersiblings())  # type: ignore[attr-defined]

"""Test support shared by test modules: sample legal texts and small helpers (importable as ``support``)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assistant.embedding.hashing import HashingEmbedder
from assistant.settings import Settings
from assistant.text.query import QueryNormalizer
from assistant.types import Chunk, DocumentMeta, Evidence, Language, NormalizedQuery, Passage, Validity
from ingest.pipeline import IngestPipeline
from ingest.report import IngestReport

DECREE = """ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/2024/QĐ-UBND
Lạng Sơn, ngày 15 tháng 3 năm 2024
QUYẾT ĐỊNH
Ban hành Quy chế quản lý văn bản điện tử
Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định việc quản lý văn bản đi, văn bản đến trên hệ thống quản lý văn bản và điều hành của tỉnh.
Điều 2. Thời hạn xử lý văn bản đến
1. Văn thư chuyển văn bản đến cho lãnh đạo trong ngày làm việc.
2. Văn bản khẩn phải được xử lý trong vòng 4 giờ làm việc kể từ khi nhận.
Chương II. CHỮ KÝ SỐ
Điều 3. Ký số văn bản đi
1. Văn bản đi phải được ký số bằng chữ ký số chuyên dùng của cơ quan.
2. Người ký gồm:
a) Chủ tịch Ủy ban nhân dân tỉnh;
b) Phó Chủ tịch được phân công;
c) Chánh Văn phòng khi được ủy quyền.
"""

NEW_DECREE = DECREE.replace("12/2024/QĐ-UBND", "30/2025/QĐ-UBND").replace("4 giờ", "2 giờ")

INTERNAL = """SỞ THÔNG TIN VÀ TRUYỀN THÔNG
Số: 77/KH-STTTT
KẾ HOẠCH
Ứng cứu sự cố an toàn thông tin năm 2025
Điều 1. Đội ứng cứu
Đội ứng cứu mang mật danh SAO-BANG-09 gồm 7 thành viên trực 24/7 tại phòng máy chủ tầng 3.
Điều 2. Diễn tập
Diễn tập ứng cứu sự cố được tổ chức vào ngày 14 tháng 9 hằng năm.
"""


# Formal headers used by the header and metadata tests.
UBND_DECISION = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/QĐ-UBND
Lạng Sơn, ngày 15 tháng 3 năm 2025
QUYẾT ĐỊNH
Về việc ban hành Quy chế quản lý, vận hành Nền tảng
công chức số tỉnh Lạng Sơn
-----------
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế quản lý, vận hành Nền tảng công chức số."""

PARTY_RESOLUTION = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 57-NQ/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 22 tháng 12 năm 2024
NGHỊ QUYẾT
CỦA BỘ CHÍNH TRỊ
về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo
và chuyển đổi số quốc gia
-----
I- TÌNH HÌNH VÀ NGUYÊN NHÂN"""


def write_doc(folder: Path, name: str, text: str, meta: str = "") -> Path:
    """Write a Markdown/TXT document and, when given, its ``.meta.yaml`` sidecar."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if meta:
        (folder / f"{name}.meta.yaml").write_text(meta, encoding="utf-8")
    return path


def ingest(settings: Settings, embedder: HashingEmbedder, *paths: Path) -> IngestReport:
    return IngestPipeline(settings, embedder, progress=False).ingest_paths(list(paths))


def make_passage(
    doc_id: str,
    text: str,
    *,
    rank: int = 1,
    article: str = "2",
    number: str = "",
    dense: float | None = 0.88,
    status: Validity = Validity.IN_FORCE,
    superseded_by: tuple[str, ...] = (),
    amended_by: tuple[str, ...] = (),
    page: int | None = 3,
) -> Passage:
    """A hand-made passage for composer tests."""
    doc = DocumentMeta(
        doc_id=doc_id, title=f"Văn bản {doc_id}", number=number, status=status, superseded_by=superseded_by,
        amended_by=amended_by,
    )  # fmt: skip
    chunk = Chunk(
        chunk_id=f"{doc_id}:dieu-{article}", doc_id=doc_id, ordinal=0, text=text, article=article,
        heading=text.splitlines()[0], page_start=page, page_end=page,
    )  # fmt: skip
    scores = {"dense": dense} if dense is not None else {}
    return Passage(chunk=chunk, document=doc, score=1.0 / rank, rank=rank, scores=scores, current=doc.is_current())


def make_query(text: str, language: Language = "vi", history: tuple[str, ...] = ()) -> NormalizedQuery:
    """``text`` analysed as the service would (no diacritic restoration nor abbreviation table)."""
    normalizer = QueryNormalizer(restore_diacritics=False, expand_abbreviations=False)
    normalizer.load()
    return dataclasses.replace(normalizer.normalize(text, history), language=language)


ANSWERABLE = Evidence(0.9, 0.5, "test")
UNANSWERABLE = Evidence(0.1, 0.5, "test")

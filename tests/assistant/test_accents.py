"""A question typed without accents is read as the shelf writes its words (assistant.text.accents): pairs the
documents write decide ("mat khau" is "mật khẩu"), question phrases they never use come from the seeds ("mất bao
lâu"), and nothing is added, dropped or moved. The table is built with each index version, from public
documents only."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.index.manifest import ACCENTS_FILE
from assistant.service import AssistantService
from assistant.text.accents import QUESTION_PHRASES, AccentTable
from assistant.text.followup import GENERIC_PHRASES
from assistant.text.normalize import fold_diacritics
from assistant.text.query import QueryNormalizer
from assistant.types import ANONYMOUS

DOCUMENTS = [
    "Mật khẩu phải được thay đổi định kỳ ít nhất 60 ngày một lần.",
    "Nộp hồ sơ tại Sở Xây dựng; số lượng hồ sơ: 01 bộ. Số hồ sơ tiếp nhận được ghi vào sổ.",
    "Căn cứ Luật Tổ chức chính quyền địa phương; căn cứ Nghị định số 30/2020/NĐ-CP.",
    "Cán bộ mất thẻ phải báo ngay. Thông tin mật không được gửi qua thư điện tử.",
]


@pytest.fixture(scope="module")
def table() -> AccentTable:
    return AccentTable.build(DOCUMENTS, (*GENERIC_PHRASES, *QUESTION_PHRASES))


@pytest.mark.parametrize(
    ("typed", "read"),
    [("doi mat khau dinh ky bao lau mot lan", "đổi mật khẩu định kỳ bao lâu một lần"),  # the pair, not "mất"
     ("nop ho so o so xay dung mat bao lau", "nộp hồ sơ ở sở xây dựng mất bao lâu"),  # "sở xây", though "số" is
     # written more often; "mất" from the question phrases
     ("le phi bao nhieu tien", "lệ phí bao nhiêu tiền")],
)  # fmt: skip
def test_pairs_the_documents_write_decide(table: AccentTable, typed: str, read: str) -> None:
    assert table.restore(typed) == read


def test_codes_and_addresses_are_kept_as_typed(table: AccentTable) -> None:
    restored = table.restore("nghi dinh 30/2020/ND-CP co may dieu, xem tai vanban.langson.gov.vn")
    assert restored == "nghị định 30/2020/nd-cp có mấy điều, xem tại vanban.langson.gov.vn"  # "nd" is not "nđ"
    # "so" and "mat" are words the table writes ("sở", "mật"), not inside an address
    assert table.restore("nop ho so qua so.mat@langson.gov.vn.").endswith(" so.mat@langson.gov.vn.")


def test_only_accents_change(table: AccentTable) -> None:
    typed = "Quyet dinh 30/2020/ND-CP, muc 2: mat khau (wifi) doi the nao?"
    restored = table.restore(typed)
    assert fold_diacritics(restored) == fold_diacritics(typed)  # same words, numbers, codes and punctuation
    assert "30/2020/" in restored and "mật khẩu (wifi)" in restored


def test_a_word_the_documents_never_write_keeps_the_other_guess(table: AccentTable) -> None:
    assert table.restore("mat khau zalo", guess="mặt khẩu zalô") == "mật khẩu zalô"  # the guess fills the gap
    assert table.restore("mat khau zalo", guess="a different sentence") == "mật khẩu zalo"  # a guess that does
    # not re-accent the same words is not used


def test_the_table_survives_a_round_trip(table: AccentTable, tmp_path: Path) -> None:
    table.save(tmp_path / "accents.json")
    again = AccentTable.load(tmp_path / "accents.json")
    assert again.forms == table.forms and again.pairs == table.pairs
    assert again.restore("nop ho so o so xay dung") == table.restore("nop ho so o so xay dung")


def test_an_index_version_keeps_the_public_documents_wording(service: AssistantService) -> None:
    snapshot = service.holder.get()
    assert snapshot.accents is not None
    assert (service.settings.index_dir / "versions" / snapshot.version / ACCENTS_FILE).is_file()
    assert "văn thư" in snapshot.accents.pairs  # the public decree's words
    # The unit-only plan's words ("mật danh", "diễn tập") are not on the public shelf: they do not show through.
    assert not any("danh" in pair or "diễn" in pair for pair in snapshot.accents.pairs)
    normalizer = QueryNormalizer(restore_diacritics=True)
    normalizer.load()
    query = normalizer.normalize("van ban khan xu ly trong bao lau", accents=snapshot.accents)
    assert query.dense_text.startswith("văn bản khẩn xử lý trong bao lâu")


def test_search_reads_an_unaccented_question_with_the_shelf_table(service: AssistantService) -> None:
    result = service.search("van thu chuyen van ban den cho ai", principal=ANONYMOUS)
    assert result.query.restored and result.query.dense_text.startswith("văn thư chuyển văn bản đến cho ai")

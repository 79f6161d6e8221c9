import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text.normalize import (
    fold_diacritics,
    has_diacritics,
    normalize_text,
    normalize_tone_placement,
    slugify,
)
from assistant.text.tokenize import content_tokens, fold_tokens


def test_nfd_input_becomes_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Điều 5. Hồ sơ đề nghị")
    assert nfd != "Điều 5. Hồ sơ đề nghị"
    assert normalize_text(nfd) == "Điều 5. Hồ sơ đề nghị"


def test_new_style_tone_placement_is_rewritten() -> None:
    assert normalize_tone_placement("hoà bình, thuỷ lợi, khoẻ mạnh") == "hòa bình, thủy lợi, khỏe mạnh"
    assert normalize_tone_placement("Hoá đơn") == "Hóa đơn"


def test_tone_placement_leaves_correct_words_alone() -> None:
    for word in ("quý", "hoàng", "thuyết", "quyền", "khuya", "hòa", "luật", "thuận", "hoạt", "quyết", "tuấn"):
        assert normalize_tone_placement(word) == word


def test_whitespace_is_tidied_but_lines_kept() -> None:
    assert normalize_text("Điều  1.\u00a0Phạm vi\r\n\r\n\r\n1. Nội   dung ") == "Điều 1. Phạm vi\n\n1. Nội dung"


def test_folding_and_detection() -> None:
    assert fold_diacritics("Điều 5. HỒ SƠ Đăng ký") == "dieu 5. ho so dang ky"
    assert has_diacritics("đăng ký") and has_diacritics("Đ")
    assert not has_diacritics("dang ky ket hon")


def test_tokens_are_folded_syllables_without_stopwords() -> None:
    assert fold_tokens("Thủ tục cấp GPXD số 12/QĐ-UBND") == ["thu", "tuc", "cap", "gpxd", "so", "12", "qd", "ubnd"]
    assert content_tokens("Thủ tục của xã và huyện") == ["thu", "tuc", "xa", "huyen"]


def test_slugify() -> None:
    assert slugify("Quyết định 1637/QĐ-BNG") == "quyet-dinh-1637-qd-bng"
    assert slugify("  Nghị quyết 57-NQ/TW ") == "nghi-quyet-57-nq-tw"


VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"


def _reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " .,-0123456789\u0301\u0323ßİ€中")) | st.text()
)
def test_fast_folding_equals_the_unicode_decomposition(text: str) -> None:
    assert fold_diacritics(text) == _reference_fold(text)

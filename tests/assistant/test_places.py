"""Places a question names and whether a passage's document covers them (assistant.text.places)."""

from assistant.text.places import as_written, named_places, uncovered_places

LANG_SON = ("Văn bản khẩn được xử lý ngay.", "Quy chế văn thư Ủy ban nhân dân tỉnh Lạng Sơn")
CHI_LANG = ("Tiếp nhận hồ sơ giờ hành chính.", "Thủ tục hộ tịch Ủy ban nhân dân xã Chi Lăng")
NATIONAL = ("Điều 5. Thời hạn thanh tra không quá 45 ngày.", "Luật Thanh tra Quốc hội")


def test_provinces_by_name_and_local_units_after_their_level() -> None:
    assert named_places("Thanh tra tỉnh Cao Bằng quy định thời hạn bao lâu?") == {"cao bang"}
    assert named_places("Cao Bang cung cap bao nhieu dich vu cong") == {"cao bang"}  # without diacritics
    assert named_places("UBND xã Đồng Đăng, huyện Lộc Bình (cũ) tiếp nhận") == {"dong dang", "loc binh"}
    assert named_places("Loc Binh district office hours in Ha Giang province") == {"loc binh", "ha giang"}
    assert named_places("Ông X có dự án tại huyện Z, tỉnh A") == set()  # placeholders are no places
    assert named_places("Tết Nguyên đán năm 2026 được nghỉ mấy ngày?") == set()
    assert as_written("Ở xã Chi Lăng, tỉnh Lạng Sơn", ["chi lang"]) == ("Chi Lăng",)


def test_a_local_text_covers_its_own_places_a_national_one_every_place() -> None:
    assert uncovered_places("Văn bản khẩn ở Lạng Sơn xử lý trong bao lâu?", [LANG_SON]) == ()
    assert uncovered_places("Văn bản khẩn ở Cao Bằng xử lý trong bao lâu?", [LANG_SON]) == ("cao bang",)
    assert uncovered_places("UBND xã Đồng Đăng tiếp nhận hồ sơ khi nào?", [CHI_LANG]) == ("dong dang",)
    # a commune's text that does not repeat its province still answers about the province
    assert uncovered_places("Xã Chi Lăng, Lạng Sơn tiếp nhận hồ sơ khi nào?", [CHI_LANG]) == ()
    assert uncovered_places("Thanh tra tỉnh Cao Bằng được thanh tra bao lâu?", [NATIONAL]) == ()
    # a place the passage itself names is covered, whoever issued the document
    named = ("Cao Bằng có 1.241 tổ công nghệ số cộng đồng.", "Công văn trao đổi kinh nghiệm UBND tỉnh Lạng Sơn")
    assert uncovered_places("Cao Bằng có bao nhiêu tổ công nghệ số?", [named]) == ()


def test_a_province_named_like_a_common_word_needs_its_capital() -> None:
    assert named_places("Bảo vệ hòa bình, ổn định ở cơ sở") == set()
    assert named_places("Tỉnh Hòa Bình có bao nhiêu xã?") == {"hoa binh"}
    assert named_places("Hòa Bình xếp thứ mấy về DTI?") == {"hoa binh"}


def test_a_commune_typed_in_lower_case_is_known_from_the_list_of_units() -> None:
    # without capitals or diacritics: the words after the level are a commune's name
    assert named_places("ubnd xa huu lung giai quyet khai sinh mat bao lau") == {"huu lung"}
    assert named_places("trung tam phuc vu hanh chinh cong phuong hoang van thu") == {"hoang van thu"}
    assert named_places("ủy ban nhân dân xã hữu lũng tiếp nhận hồ sơ khi nào") == {"huu lung"}
    # most words after a level are no name: compared as written, accents included
    assert named_places("Cấp xã thực hiện thủ tục nào? Xã đạt chuẩn nông thôn mới") == set()
    assert named_places("Mức đóng bảo hiểm xã hội phù hợp là bao nhiêu") == set()  # not ward Hội Phú
    assert named_places("bao hiem xa hoi an toan khong") == set()  # "xa hoi" is xã hội, never Hội An
    assert named_places("co quan dai dien cua Viet Nam o nuoc ngoai") == set()
    # a message names the commune as it is spelt
    assert as_written("ubnd xa huu lung", ["huu lung"]) == ("Hữu Lũng",)
    assert as_written("ủy ban nhân dân xã hữu lũng", ["huu lung"]) == ("Hữu Lũng",)
    assert uncovered_places("ubnd xa huu lung tiep nhan ho so khi nao", [CHI_LANG]) == ("huu lung",)
    assert uncovered_places("ubnd xa chi lang tiep nhan ho so khi nao", [CHI_LANG]) == ()
    assert named_places("dia phuong nao phai bao cao") == set()

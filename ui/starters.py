"""Suggested first questions for each unit, drawn from the topics of the sample corpus (a static list)."""

from __future__ import annotations

from collections.abc import Sequence

MAX_STARTERS = 4

COMMON_VI = (
    "Nghị quyết 49-NQ/TU có mấy trụ cột chuyển đổi số, gồm những trụ cột nào?",
    "Hồ sơ đã nộp ở cấp huyện trước ngày 01/7/2025 nhưng chưa giải quyết xong thì xử lý thế nào?",
    "Hình ảnh con dấu trên văn bản điện tử ký số được trình bày như thế nào?",
    "Theo Kế hoạch 01-KH/BCĐTW, đối tượng nào được ưu tiên trong phong trào Bình dân học vụ số?",
)
COMMON_EN = (
    'How should agencies run "Bình dân học vụ số" digital-literacy training sessions?',
    "What are the pillars of Lạng Sơn's digital transformation resolution 49-NQ/TU?",
    "May civil servants use the virtual assistant to process classified documents?",
)

BY_UNIT_VI: dict[str, tuple[str, ...]] = {
    "SXD": (
        "Sở Xây dựng cấp giấy phép xây dựng cho những loại công trình nào?",
        "Lệ phí cấp giấy phép xây dựng đối với công trình không phải nhà ở riêng lẻ là bao nhiêu?",
        "Sở Xây dựng có cấp chứng chỉ hành nghề hoạt động xây dựng hạng I không?",
    ),
    "SYT": (
        "Thời hạn giải quyết thủ tục cấp mới giấy phép hành nghề khám bệnh, chữa bệnh là bao lâu?",
        "Phòng khám đa khoa phải có tối thiểu những chuyên khoa nào?",
        "Từ ngày 01/7/2025, thủ tục nào về giấy phép hành nghề được thực hiện trực tuyến toàn trình?",
    ),
    "STTTT": (
        "Thời hạn cấp giấy phép thiết lập trang thông tin điện tử tổng hợp là bao lâu?",
        "Tài khoản bị khóa tạm thời sau bao nhiêu lần đăng nhập sai liên tiếp?",
        "Người chịu trách nhiệm xuất bản bản tin phải là ai?",
    ),
    "SKHCN": (
        "Phí, lệ phí khi nộp hồ sơ trên Cổng Dịch vụ công tỉnh được thanh toán bằng cách nào?",
        "Các xã, phường gửi báo cáo tỷ lệ hồ sơ trả kết quả điện tử quý III/2025 trước ngày nào?",
    ),
    "SKHDT": ("Hồ sơ đề nghị cấp Giấy chứng nhận đăng ký đầu tư gồm những gì?",),
    "TTT": (
        "Quyết định thanh tra phải được công bố chậm nhất bao lâu kể từ ngày ký?",
        "Nhật ký Đoàn thanh tra do ai ghi và phải ghi như thế nào?",
        "Khi giải quyết khiếu nại lần hai có bắt buộc tổ chức đối thoại không?",
    ),
    "UBND-TINH": (
        "Văn bản nào thay thế Quy chế quản lý văn bản và điều hành ban hành kèm Quyết định 18/2021/QĐ-UBND?",
        "Những phản ánh, kiến nghị nào bị từ chối tiếp nhận trên Hệ thống phản ánh, kiến nghị của tỉnh?",
    ),
    "UBND-CHILANG": ("Thủ tục chứng thực bản sao từ bản chính tại huyện Chi Lăng mất bao lâu?",),
    "XA-CHILANG": ("Lễ trao Giấy chứng nhận kết hôn có yếu tố nước ngoài tại xã Chi Lăng được tổ chức ở đâu?",),
    "TINH-UY": ("Quyết định 204-QĐ/TW phê duyệt đề án gì và do cơ quan nào ban hành?",),
}


def starters_for(units: Sequence[str], lang: str) -> list[str]:
    """Up to four questions: the user's units' own topics first, then questions every unit asks."""
    if lang == "en":
        return list(COMMON_EN[:MAX_STARTERS])
    chosen: list[str] = []
    for unit in units:
        chosen.extend(q for q in BY_UNIT_VI.get(unit.upper(), ()) if q not in chosen)
    chosen.extend(q for q in COMMON_VI if q not in chosen)
    return chosen[:MAX_STARTERS]

"""Render one official draft of each kind (NĐ 30/2020 layout) from a realistic request, convert it to PDF with
LibreOffice headless and its first page to PNG, to look at the layout.

Usage: python bench/render_drafts.py [--out out/drafts]
Prints one JSON object: per kind the files written, the PDF's page count, the placeholders left, and the seconds
spent rendering the DOCX and converting it (LibreOffice starts once per file, so conversion dominates).
Needs `soffice` (Debian: libreoffice-writer-nogui; `make system-deps`) and `pdftoppm` (poppler-utils).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

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
    render_draft,
)

ROOT = Path(__file__).resolve().parents[1]
UBND = "Ủy ban nhân dân tỉnh Lạng Sơn"
BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
    "Căn cứ Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 của Bộ Chính trị về đột phá phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    "Căn cứ Kế hoạch số 01-KH/BCĐTW ngày 21 tháng 3 năm 2025 của Ban Chỉ đạo Trung ương về phát triển khoa học, "
    "công nghệ, đổi mới sáng tạo và chuyển đổi số triển khai phong trào “Bình dân học vụ số”",
)
CHAIRMAN = Signature(SignAuthority.TM, on_behalf_of="Ủy ban nhân dân", title="Chủ tịch", name="Nguyễn Văn A")
DEPUTY = Signature(SignAuthority.KT, on_behalf_of="Chủ tịch", title="Phó Chủ tịch", name="Trần Thị B")
DIRECTOR = Signature(SignAuthority.KT, on_behalf_of="Giám đốc", title="Phó Giám đốc", name="Hoàng Văn C")
SO = {
    "superior_body": "UBND tỉnh Lạng Sơn",
    "issuing_body": "Sở Khoa học và Công nghệ",
    "issuing_abbreviation": "SKHCN",
    "drafting_unit": "CĐS",
    "place": "Lạng Sơn",
}
UB = {"issuing_body": UBND, "issuing_abbreviation": "UBND", "drafting_unit": "KGVX", "place": "Lạng Sơn"}

EXAMPLES: dict[DraftKind, DraftRequest] = {
    DraftKind.GIAY_MOI: DraftRequest(
        DraftKind.GIAY_MOI, **SO, number="12", date=dt.date(2026, 3, 5),
        subject="Dự Hội nghị triển khai phong trào “Bình dân học vụ số” trên địa bàn tỉnh năm 2026",
        details=Invitation(
            invitees=("Lãnh đạo Văn phòng UBND tỉnh", "Lãnh đạo các sở, ban, ngành tỉnh",
                      "Chủ tịch UBND các xã, phường"),
            time="08 giờ 00 phút, ngày 12 tháng 3 năm 2026 (thứ Năm)",
            venue="Hội trường tầng 3, Sở Khoa học và Công nghệ, số 2 đường Hùng Vương, phường Lương Văn Tri",
            content="Quán triệt Kế hoạch triển khai phong trào “Bình dân học vụ số”; phân công nhiệm vụ năm 2026",
            preparation="Các đơn vị chuẩn bị ý kiến tham luận về kết quả phổ cập kỹ năng số tại cơ quan, địa phương",
            contact="Đồng chí Lê Văn D, Phòng Chuyển đổi số, điện thoại 0205.3812.345",
        ),
        signature=DIRECTOR, distribution=("Như thành phần mời", "Giám đốc, các PGĐ Sở"),
    ),
    DraftKind.TO_TRINH: DraftRequest(
        DraftKind.TO_TRINH, **SO, number="25", date=dt.date(2026, 2, 9),
        subject="Đề nghị ban hành Kế hoạch triển khai phong trào “Bình dân học vụ số” trên địa bàn tỉnh năm 2026",
        recipients=(UBND,), bases=BASES[1:],
        details=Submission(
            need=("Phong trào “Bình dân học vụ số” nhằm phổ cập kiến thức, kỹ năng số cơ bản cho toàn dân, để "
                  "người dân sử dụng được dịch vụ công trực tuyến, thanh toán không dùng tiền mặt và bảo vệ thông tin "
                  "cá nhân trên môi trường số.",),
            proposal=("Sở Khoa học và Công nghệ đề nghị UBND tỉnh ban hành Kế hoạch triển khai phong trào năm 2026, "
                      "giao các sở, ngành và UBND các xã, phường tổ chức thực hiện theo chức năng, nhiệm vụ.",),
            attachments=("Dự thảo Kế hoạch", "Bảng tổng hợp ý kiến góp ý của các sở, ngành"),
        ),
        signature=DIRECTOR, distribution=("Như trên", "Giám đốc, các PGĐ Sở"),
    ),
    DraftKind.BAO_CAO: DraftRequest(
        DraftKind.BAO_CAO, **SO, number="48", date=dt.date(2026, 6, 20),
        subject="Kết quả triển khai phong trào “Bình dân học vụ số” 6 tháng đầu năm 2026",
        details=Report(
            results=("1. Công tác chỉ đạo, điều hành: Sở đã tham mưu UBND tỉnh ban hành Kế hoạch triển khai; "
                     "hướng dẫn các sở, ngành, UBND các xã, phường xây dựng kế hoạch của cơ quan, địa phương.",
                     "2. Công tác tuyên truyền: đăng tải 126 tin, bài trên Cổng thông tin điện tử tỉnh và các nền tảng "
                     "mạng xã hội; phát 340 lượt thông báo trên hệ thống truyền thanh cơ sở.",
                     "3. Phổ cập kỹ năng số: tổ chức 215 lớp cho 12.640 lượt người dân tại 65 xã, phường; 4.210 lượt "
                     "cán bộ, công chức, viên chức hoàn thành khóa học kỹ năng số cơ bản trên nền tảng học trực tuyến.",
                     "4. Tổ công nghệ số cộng đồng: thành lập 1.560 Tổ với hơn 9.300 thành viên, hỗ trợ người dân cài "
                     "đặt ứng dụng định danh điện tử, nộp hồ sơ dịch vụ công trực tuyến và thanh toán không dùng tiền "
                     "mặt."),
            limits=("Tỷ lệ người cao tuổi tham gia còn thấp do hạn chế về thiết bị và kỹ năng sử dụng điện thoại "
                    "thông minh; hạ tầng mạng ở một số thôn vùng cao chưa ổn định.",),
            next_tasks=("Mở rộng lớp học tại nhà văn hóa thôn; phối hợp doanh nghiệp viễn thông hỗ trợ thiết bị.",),
            recommendations=("Đề nghị UBND tỉnh bố trí kinh phí hỗ trợ Tổ công nghệ số cộng đồng năm 2026.",),
        ),
        signature=DIRECTOR, distribution=("UBND tỉnh (b/c)", "Giám đốc, các PGĐ Sở"), archive_copies=2,
    ),
    DraftKind.CONG_VAN: DraftRequest(
        DraftKind.CONG_VAN, **UB, number="1234", date=dt.date(2026, 1, 15),
        subject="triển khai phong trào “Bình dân học vụ số” năm 2026",
        recipients=("Các sở, ban, ngành tỉnh", "UBND các xã, phường"),
        details=Letter(paragraphs=(
            "Thực hiện Kế hoạch số 01-KH/BCĐTW ngày 21 tháng 3 năm 2025 của Ban Chỉ đạo Trung ương, Chủ tịch UBND "
            "tỉnh yêu cầu các cơ quan, đơn vị, địa phương tổ chức phổ cập kỹ năng số cho cán bộ, công chức và "
            "người dân trên địa bàn.",
            "Các cơ quan, đơn vị báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 25 hằng tháng để "
            "tổng hợp, báo cáo UBND tỉnh.",
        )),
        signature=DEPUTY, distribution=("Như trên", "CT, các PCT UBND tỉnh", "C, PCVP UBND tỉnh"),
    ),
    DraftKind.KE_HOACH: DraftRequest(
        DraftKind.KE_HOACH, **UB, number="56", date=dt.date(2026, 3, 20),
        subject="Triển khai phong trào “Bình dân học vụ số” trên địa bàn tỉnh Lạng Sơn năm 2026",
        bases=BASES[1:],
        details=Plan(
            purpose=("Phổ cập kiến thức, kỹ năng số cơ bản cho người dân, cán bộ, công chức, viên chức.",
                     "Triển khai đồng bộ, thiết thực, gắn với nhiệm vụ chuyển đổi số của từng cơ quan, địa phương."),
            tasks=("1. Tổ chức các lớp phổ cập kỹ năng số tại xã, phường và thôn, khối phố.",
                   "2. Phát huy vai trò của Tổ công nghệ số cộng đồng trong hướng dẫn người dân."),
            organisation=("Sở Khoa học và Công nghệ là cơ quan thường trực, theo dõi, tổng hợp kết quả thực hiện, "
                          "báo cáo UBND tỉnh định kỳ hằng quý.",),
        ),
        signature=CHAIRMAN, distribution=("Ban Chỉ đạo Trung ương (b/c)", "TT Tỉnh ủy, TT HĐND tỉnh",
                                          "Các sở, ban, ngành tỉnh", "UBND các xã, phường"),
    ),
    DraftKind.QUYET_DINH: DraftRequest(
        DraftKind.QUYET_DINH, **UB,  # a draft before it is numbered and dated: số and date stay placeholders
        subject="Về việc thành lập Ban Chỉ đạo phong trào “Bình dân học vụ số” tỉnh Lạng Sơn",
        bases=BASES,
        details=Decision(
            authority="Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
            proposal="Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ tại Tờ trình số 25/TTr-SKHCN ngày 09 tháng "
                     "02 năm 2026",
            articles=(
                Article("Thành lập Ban Chỉ đạo phong trào “Bình dân học vụ số” tỉnh Lạng Sơn gồm các thành viên có "
                        "tên tại danh sách kèm theo Quyết định này."),
                Article("Quyết định này có hiệu lực kể từ ngày ký.", title="Hiệu lực thi hành"),
                Article("Chánh Văn phòng UBND tỉnh, Giám đốc Sở Khoa học và Công nghệ và các thành viên Ban Chỉ đạo "
                        "chịu trách nhiệm thi hành Quyết định này."),
            ),
        ),
        signature=CHAIRMAN, distribution=("Như Điều 3", "CT, các PCT UBND tỉnh")
    ),
}  # fmt: skip


def convert(docx: Path, out: Path) -> tuple[Path, Path]:
    """DOCX → PDF with LibreOffice headless (its own throwaway profile), then the PDF's first page → PNG at 60 dpi."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(docx)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    pdf = out / f"{docx.stem}.pdf"
    png = out / docx.stem
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
                   check=True, capture_output=True, timeout=60)  # fmt: skip
    return pdf, png.with_suffix(".png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "drafts")
    args = parser.parse_args()
    missing = [tool for tool in ("soffice", "pdftoppm") if shutil.which(tool) is None]
    if missing:
        print(json.dumps({"error": f"not installed: {', '.join(missing)} (run `make system-deps`)"}))
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for kind, request in EXAMPLES.items():
        started = time.perf_counter()
        draft = render_draft(request)
        docx = args.out / draft.filename
        docx.write_bytes(draft.content)
        rendered = time.perf_counter()
        pdf, png = convert(docx, args.out)
        converted = time.perf_counter()
        results[kind.value] = {
            "number": draft.number,
            "files": [str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path) for path in (docx, pdf, png)],
            "pages": len(PdfReader(pdf).pages),
            "placeholders": list(draft.placeholders),
            "render_seconds": round(rendered - started, 3),
            "convert_seconds": round(converted - rendered, 2),
        }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

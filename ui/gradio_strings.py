"""Gradio's own texts (upload boxes, table menus, status lines) in Vietnamese.

Gradio translates its components on the page by the browser's language and has no Vietnamese; a Vietnamese
browser falls back to English ("Drop File Here"). The product speaks Vietnamese first, so these texts are given
for every language Gradio knows: a staff member's browser language does not switch Gradio's part of the page to
English, French or Chinese while the product's own texts stay Vietnamese. Keys are Gradio's (``gradio``'s
frontend locale files, flattened with dots); a key Gradio no longer uses is harmless. A few labels of Gradio's
buttons carry no key at all; a small script in the page's head puts those in Vietnamese as they are drawn.
"""

from __future__ import annotations

import json

import gradio as gr

VI: dict[str, str] = {
    "common.clear": "Xóa",
    "common.complete": "Hoàn tất",
    "common.download": "Tải về",
    "common.download_all": "Tải tất cả",
    "common.edit": "Sửa",
    "common.empty": "Trống",
    "common.error": "Lỗi",
    "common.loading": "Đang tải",
    "common.or": "hoặc",
    "common.remove": "Bỏ",
    "common.settings": "Cài đặt",
    "common.share": "Chia sẻ",
    "common.submit": "Gửi",
    "common.undo": "Hoàn tác",
    "common.language": "Ngôn ngữ",
    "common.display_theme": "Giao diện",
    "common.progress": "Tiến độ",
    "common.run": "Chạy",
    "dataframe.incorrect_format": "Sai định dạng: chỉ nhận tệp CSV và TSV",
    "dataframe.new_column": "Thêm cột",
    "dataframe.new_row": "Thêm dòng",
    "dataframe.add_row_above": "Thêm dòng phía trên",
    "dataframe.add_row_below": "Thêm dòng phía dưới",
    "dataframe.delete_row": "Xóa dòng",
    "dataframe.delete_column": "Xóa cột",
    "dataframe.add_column_left": "Thêm cột bên trái",
    "dataframe.add_column_right": "Thêm cột bên phải",
    "dataframe.sort_column": "Sắp xếp cột",
    "dataframe.sort_ascending": "Sắp xếp tăng dần",
    "dataframe.sort_descending": "Sắp xếp giảm dần",
    "dataframe.drop_to_upload": "Thả tệp CSV hoặc TSV vào đây để nhập dữ liệu vào bảng",
    "dataframe.import_empty_file": "Tệp vừa thả vào không có nội dung.",
    "dataframe.import_no_column_names": "Tệp vừa thả vào không có tên cột.",
    "dataframe.import_ragged_row": "Dòng {line} của tệp có {fields} trường, dòng tiêu đề có {columns}.",
    "dataframe.import_static_columns": "Không nhập được vào bảng có cột chỉ đọc.",
    "dataframe.import_fixed_columns": "Bảng này cần đúng {expected} cột, tệp có {actual}.",
    "dataframe.import_fixed_rows": "Bảng này cần đúng {expected} dòng, tệp có {actual}.",
    "dataframe.clear_sort": "Bỏ sắp xếp",
    "dataframe.filter": "Lọc",
    "dataframe.clear_filter": "Bỏ lọc",
    "errors.contact_page_author": "Hãy báo cho quản trị viên của trang.",
    "errors.runtime_error": "máy chủ gặp lỗi khi chạy",
    "errors.config_error": "cấu hình có lỗi",
    "file.uploading": "Đang tải lên...",
    "upload_text.click_to_upload": "Bấm để chọn tệp",
    "upload_text.drop_file": "Thả tệp vào đây",
    "upload_text.drop_csv": "Thả tệp CSV vào đây",
    "upload_text.drop_image": "Thả ảnh vào đây",
    "upload_text.drop_audio": "Thả tệp âm thanh vào đây",
    "upload_text.drop_video": "Thả video vào đây",
    "upload_text.drop_gallery": "Thả tệp vào đây",
    "upload_text.paste_clipboard": "Dán từ bộ nhớ tạm",
    "status.queue_position": "Đang chờ: thứ {position}/{size}",
    "chatbot.copy_message": "Chép tin nhắn",
    "chatbot.copied_message": "Đã chép tin nhắn",
    "chatbot.clear": "Xóa",
    "chatbot.submit": "Gửi",
    "chatbot.cancel": "Hủy",
    "dropdown.dropdown": "Danh sách chọn",
    "checkbox.checkbox": "Ô đánh dấu",
    "checkbox.checkbox_group": "Nhóm ô đánh dấu",
    "radio.radio": "Lựa chọn",
    "number.number": "Số",
    "blocks.connection_can_break": "Trên điện thoại, kết nối có thể ngắt khi thẻ này bị ẩn hoặc máy ngủ.",
    "blocks.lost_connection": "Mất kết nối vì đã rời trang. Đang kết nối lại...",
    "blocks.waiting_for_inputs": "Đang chờ tải tệp lên xong, hãy thử lại.",
    "login.incorrect_credentials": "Sai thông tin đăng nhập",
    "login.username": "tên đăng nhập",
    "login.password": "mật khẩu",
    "login.login": "Đăng nhập",
}

# The languages Gradio ships (its frontend's locale list, gradio 6.x), plus Vietnamese for when it gains one.
GRADIO_LOCALES = (
    "ar", "ca", "ckb", "de", "en", "es", "et", "eu", "fa", "fi", "fr", "he", "hi", "id", "ja", "ko", "lt", "nb",
    "nl", "pl", "pt-BR", "pt", "ro", "ru", "sv", "ta", "th", "tr", "uk", "ur", "uz", "vi", "zh-CN", "zh-TW",
)  # fmt: skip


# Labels Gradio's frontend writes in English with no translation key (aria-label / title of its own buttons).
UNTRANSLATED_LABELS: dict[str, str] = {
    "Copy table data": "Chép dữ liệu của bảng",
    "Copied to clipboard": "Đã chép",
    "Click to upload or drop files": "Bấm để chọn tệp hoặc thả tệp vào đây",
    "Empty value": "Trống",
    "No value": "Không có giá trị",
    "Copy": "Sao chép",
    "Copied": "Đã sao chép",
    "Clear": "Xóa",
    "Download": "Tải về",
    "Remove": "Bỏ",
    "Table actions": "Thao tác với bảng",
    "Dataframe": "Bảng dữ liệu",
    "Open cell menu": "Mở trình đơn của ô",
    "Fullscreen": "Toàn màn hình",
    "Exit fullscreen": "Thoát toàn màn hình",
    "File upload": "Tải tệp lên",
    "More tabs": "Các thẻ khác",
}


def labels_head() -> str:
    """A script for the page's head that puts those labels in Vietnamese as Gradio draws them."""
    table = json.dumps(UNTRANSLATED_LABELS, ensure_ascii=False)
    return (
        "<script>(() => {\n"
        f"const vi = {table};\n"
        "const fix = (el) => { for (const a of ['aria-label', 'title']) {\n"
        "  const v = el.getAttribute && el.getAttribute(a); if (v && vi[v]) { el.setAttribute(a, vi[v]); } } };\n"
        "const sweep = (root) => { if (root.querySelectorAll) {\n"
        "  fix(root); root.querySelectorAll('[aria-label],[title]').forEach(fix); } };\n"
        "new MutationObserver((changes) => { for (const c of changes) {\n"
        "  if (c.type === 'attributes') { fix(c.target); } else { c.addedNodes.forEach(sweep); } } })\n"
        "  .observe(document.documentElement, {subtree: true, childList: true, attributes: true,\n"
        "           attributeFilter: ['aria-label', 'title']});\n"
        "})();</script>"
    )


def gradio_i18n() -> gr.I18n:
    """Vietnamese for Gradio's own texts whatever the browser's language."""
    return gr.I18n(**{locale: VI for locale in GRADIO_LOCALES})

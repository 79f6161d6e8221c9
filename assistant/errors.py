"""Domain errors raised by the core; the HTTP edge maps them to status codes and the CLI to messages."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: ``str(error)`` is a message a person can act on."""


class IndexNotReady(AssistantError):
    """No published index version is available yet."""

    def __init__(self, index_dir: str) -> None:
        super().__init__(
            f"Chưa có chỉ mục nào được xuất bản trong {index_dir}. "
            "Chạy `assistant ingest corpus/` (hoặc `make run`) để nạp tài liệu trước."
        )


class DocumentNotFound(AssistantError):
    def __init__(self, doc_id: str) -> None:
        super().__init__(f"Không tìm thấy văn bản '{doc_id}'. Xem danh sách tại GET /v1/documents.")
        self.doc_id = doc_id


class PermissionDenied(AssistantError):
    """The caller may not perform this action (never used to reveal that a hidden document exists)."""


class InvalidRequest(AssistantError):
    """A request field is malformed; the message names the field and what to do."""


class UnsupportedDocument(AssistantError):
    """A file cannot be ingested; the message names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NeedsOcr(UnsupportedDocument):
    """A PDF without a text layer, and OCR is not available."""

    def __init__(self, path: str, detail: str = "") -> None:
        reason = "cần OCR (PDF không có lớp văn bản) nhưng Tesseract với gói 'vie' chưa được cài"
        if detail:
            reason = f"{reason}: {detail}"
        super().__init__(path, reason)


class MetadataError(UnsupportedDocument):
    """A sidecar ``.meta.yaml`` is malformed; the message names the file and field."""


class ConfigurationError(AssistantError):
    """Settings or installed components do not fit together."""


class BankNotFound(AssistantError):
    """No quiz bank (or version) with this id that the caller may see: a hidden bank is reported the same way."""

    def __init__(self, bank_id: str, version: int | None = None) -> None:
        which = f"'{bank_id[:64]}'" + (f" phiên bản {version}" if version is not None else "")
        super().__init__(f"Không tìm thấy bộ câu hỏi {which}. Xem danh sách các bộ câu hỏi bạn được xem.")
        self.bank_id = bank_id
        self.version = version


class VersionConflict(AssistantError):
    """An edit was based on a version that is no longer the latest (someone saved in between)."""

    def __init__(self, what: str, expected: int, current: int) -> None:
        super().__init__(
            f"{what} đã được lưu phiên bản {current} trong khi bạn sửa phiên bản {expected}. "
            "Hãy tải lại phiên bản mới nhất rồi sửa lại."
        )
        self.expected = expected
        self.current = current


class NoQuizSource(AssistantError):
    """Trainer mode found no document the caller may see to draw questions or a lesson from."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Không tìm thấy văn bản nào để soạn câu hỏi hoặc bài học ({what}). Hãy chọn văn bản khác, đổi chủ đề, "
            "bỏ bớt điều kiện lọc, hoặc kiểm tra quyền xem văn bản của tài khoản."
        )
        self.what = what

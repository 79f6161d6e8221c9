"""Errors of the HTTP edge: request limits, refused uploads, unknown ingest jobs and saved conversations.
``create_app`` maps them to status codes (429, 413, 415, 404) like the core's domain errors; nothing below the
edge raises them."""

from __future__ import annotations

from assistant.errors import AssistantError


class RateLimited(AssistantError):
    """Too many requests from one user or address; ``retry_after`` is in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Bạn gửi quá nhiều yêu cầu. Hãy thử lại sau {retry_after} giây.")
        self.retry_after = retry_after


class PayloadTooLarge(AssistantError):
    """A request body or an uploaded file over its size limit."""


class UnsupportedUpload(AssistantError):
    """An uploaded file refused by its type or content before ingest (renamed executable, unknown type)."""


class JobNotFound(AssistantError):
    """No ingest job with this id."""

    def __init__(self, job_id: str) -> None:
        super().__init__(f"Không có lượt nạp '{job_id[:64]}'. Kiểm tra mã job_id nhận được khi tải tệp lên.")


class ConversationNotFound(AssistantError):
    """No saved conversation with this id among the caller's own (another user's is reported the same way)."""

    def __init__(self, conversation_id: str) -> None:
        super().__init__(
            f"Không có cuộc hỏi đáp đã lưu '{conversation_id[:64]}' của bạn. Xem danh sách tại "
            "GET /v1/me/conversations."
        )

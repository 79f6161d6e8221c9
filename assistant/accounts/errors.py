"""Errors of accounts and access; the HTTP edge maps them to 401/422 and the CLI prints their message."""

from __future__ import annotations

from assistant.errors import AssistantError, InvalidRequest, PermissionDenied

LOGIN_HINT = "Hãy đăng nhập (POST /v1/auth/login) rồi gửi lại yêu cầu với tiêu đề 'Authorization: Bearer <mã>'."


class AuthenticationRequired(AssistantError):
    """No credentials, or credentials that are not (or no longer) valid: the caller must log in."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message or f"Bạn cần đăng nhập để dùng chức năng này. {LOGIN_HINT}")


class InvalidToken(AuthenticationRequired):
    """A bearer token that is unknown, expired, revoked, or belongs to a disabled account (never says which)."""

    def __init__(self) -> None:
        super().__init__(f"Phiên đăng nhập không hợp lệ hoặc đã hết hạn. {LOGIN_HINT}")


class InvalidCredentials(AuthenticationRequired):
    """Wrong username or password, or a disabled account (never says which)."""

    def __init__(self) -> None:
        super().__init__("Tên đăng nhập hoặc mật khẩu không đúng. Hãy kiểm tra lại, hoặc liên hệ quản trị viên.")


class AccountError(InvalidRequest):
    """A user-management request that cannot be done (unknown user, duplicate name, bad role or unit)."""


class DirectoryUnavailable(AssistantError):
    """The LDAP server or OpenID Connect provider could not be reached or answered in a way we cannot use."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"Không kết nối được {what} để đăng nhập. Hãy thử lại sau ít phút, hoặc báo quản trị viên nếu vẫn lỗi."
        )


class DirectoryAccessDenied(PermissionDenied):
    """The directory vouched for the person, but the mapping file gives them no role here (HTTP 403)."""

    def __init__(self) -> None:
        super().__init__(
            "Tài khoản thư mục của bạn chưa thuộc nhóm nào được cấp quyền dùng trợ lý. "
            "Hãy liên hệ quản trị viên để được thêm vào nhóm phù hợp."
        )

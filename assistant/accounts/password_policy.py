"""The password policy of every local account (ASVS 4 V2.1, level 2).

12 to 128 characters, any characters (no composition rules), and a strength estimate by zxcvbn of at least
``min_score`` (3 of 4 by default). zxcvbn's frequency lists cover common and breached passwords (the top
passwords of public breaches, common words and names); the account's own name, unit and display name and this
deployment's words (Lạng Sơn, the product's name, "mật khẩu", "quản trị") are added as user inputs, so
``langson2025!`` or ``matkhau-admin`` score as weak. A refusal is one Vietnamese line: why, and what to do.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from typing import Any

from zxcvbn import zxcvbn

from assistant.accounts.errors import AccountError

MIN_LENGTH = 12  # ASVS V2.1.1
MAX_LENGTH = 128  # ASVS V2.1.2: at least 64 allowed; longer than 128 is refused
ZXCVBN_MAX_CHARS = 72  # zxcvbn refuses longer input; the first 72 characters decide the estimate
DEPLOYMENT_WORDS = (
    "langson", "lang son", "lạng sơn", "tinhlangson", "ubnd", "ubndtinh", "vietnam", "viet nam", "việt nam",
    "matkhau", "mat khau", "mật khẩu", "quantri", "quan tri", "quản trị", "admin", "administrator", "congchuc",
    "cong chuc", "công chức", "troly", "tro ly", "trợ lý", "trolycongchucso", "tro-ly-cong-chuc-so", "assistant",
    "anhyeuem", "emyeuanh", "iloveyou", "123456", "123456789", "qwerty", "password",
)  # fmt: skip
ADVICE = "Hãy dùng một cụm vài từ ít gặp ghép lại (ví dụ bốn từ không liên quan, cách nhau bằng dấu gạch)."

# zxcvbn keeps the user inputs in a module-level dictionary: one estimate at a time.
_ZXCVBN_LOCK = threading.Lock()


class WeakPassword(AccountError):
    """A password the policy refuses; the message says why and what to do."""


def _plain(text: str) -> str:
    """Lower case without Vietnamese diacritics (đ → d), so 'Lạng Sơn' also matches 'langson'."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def _user_words(values: Iterable[str]) -> list[str]:
    """Each value, its plain form, the value without separators and its parts (e.g. 'sxd-qlxd' → 'sxd', 'qlxd')."""
    words: set[str] = set()
    for value in values:
        for form in (value.lower(), _plain(value)):
            form = form.strip()
            if not form:
                continue
            words.add(form)
            words.add(re.sub(r"[\s._-]+", "", form))
            words.update(part for part in re.split(r"[\s._-]+", form) if len(part) >= 3)
    return sorted(w for w in words if w)


def _reason(sequence: list[dict[str, Any]]) -> str:
    """Why zxcvbn found the password weak, from its longest match (as zxcvbn's own feedback does)."""
    if not sequence:
        return "Mật khẩu quá dễ đoán"
    match = max(sequence, key=lambda m: len(m.get("token", "")))
    pattern = match.get("pattern")
    if pattern == "repeat":
        return "Mật khẩu lặp lại ký tự hoặc cụm ký tự (kiểu 'aaa', 'abcabc') nên rất dễ đoán"
    if pattern == "sequence":
        return "Mật khẩu chứa dãy ký tự liên tiếp (kiểu 'abc', '6543') nên dễ đoán"
    if pattern == "spatial":
        return "Mật khẩu là một đường phím liền nhau trên bàn phím (kiểu 'qwerty') nên dễ đoán"
    if pattern in ("date", "regex"):
        return "Mật khẩu dựa vào ngày tháng hoặc năm nên dễ đoán"
    if pattern == "dictionary":
        if match.get("dictionary_name") == "user_inputs":
            return "Mật khẩu chứa tên đăng nhập, tên người, đơn vị hoặc địa danh, tên hệ thống nên dễ đoán"
        if match.get("dictionary_name") == "passwords":
            return "Mật khẩu nằm trong danh sách mật khẩu phổ biến hoặc đã bị lộ"
        return "Mật khẩu chủ yếu là một từ hoặc một tên thông dụng nên dễ đoán"
    return "Mật khẩu quá dễ đoán"


class PasswordPolicy:
    """Checks a new password; cheap to construct, validates its own limits at once."""

    def __init__(self, *, min_length: int = MIN_LENGTH, max_length: int = MAX_LENGTH, min_score: int = 3) -> None:
        if min_length < MIN_LENGTH:
            raise ValueError(f"min_length must be >= {MIN_LENGTH} (ASVS V2.1.1), got {min_length}")
        if max_length < max(64, min_length):
            raise ValueError(f"max_length must be >= 64 and >= min_length, got {max_length}")
        if not 3 <= min_score <= 4:
            raise ValueError(f"min_score must be 3 or 4, got {min_score}")
        self.min_length = min_length
        self.max_length = max_length
        self.min_score = min_score

    def check(self, password: str, *, user_inputs: Iterable[str] = ()) -> str:
        """``password`` when the policy accepts it; WeakPassword with one clear line otherwise."""
        length = len(password)
        if length < self.min_length:
            raise WeakPassword(
                f"Mật khẩu phải dài ít nhất {self.min_length} ký tự (mật khẩu này có {length}). {ADVICE}"
            )
        if length > self.max_length:
            raise WeakPassword(f"Mật khẩu dài quá {self.max_length} ký tự; hãy dùng mật khẩu ngắn hơn.")
        words = _user_words([*DEPLOYMENT_WORDS, *user_inputs])
        # zxcvbn knows no diacritics: the plain form is estimated too, and the weaker of the two counts.
        forms = dict.fromkeys((password[:ZXCVBN_MAX_CHARS], _plain(password)[:ZXCVBN_MAX_CHARS]))
        with _ZXCVBN_LOCK:
            results = [zxcvbn(form, user_inputs=words) for form in forms]
        weakest = min(results, key=lambda r: float(r["guesses_log10"]))
        if int(weakest["score"]) < self.min_score:
            raise WeakPassword(f"{_reason(weakest.get('sequence', []))}. {ADVICE}")
        return password

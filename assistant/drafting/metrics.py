"""How wide a line of Times New Roman is, to draw the short rules of the header at the lengths Phụ lục I asks for
(under the tiêu ngữ as long as the text; under the issuing body and the trích yếu a third to a half of it).

Advance widths of the printable ASCII letters in thousandths of an em, the same in Times New Roman and in its
metric twin Liberation Serif; a Vietnamese letter is as wide as its base letter (the marks sit above or below)."""

from __future__ import annotations

import unicodedata

_FIRST = 32  # " "
_REGULAR = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 500 500 500 278 278 "
    "564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 722 722 944 "
    "722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 "
    "278 500 500 722 500 500 444 480 200 480 541"
)
_BOLD = (
    "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 500 500 500 333 333 "
    "570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 611 778 722 556 667 722 722 1000 "
    "722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 556 278 333 556 278 833 556 500 556 556 444 389 "
    "333 556 500 722 500 500 444 394 220 394 520"
)
_WIDTHS = {False: tuple(int(w) for w in _REGULAR.split()), True: tuple(int(w) for w in _BOLD.split())}
_BASE = str.maketrans({"đ": "d", "Đ": "D", "…": "...", "–": "-", "“": '"', "”": '"', "\ue000": "", "\ue001": ""})
_MM_PER_PT = 25.4 / 72
_QUOTES = "“”\"'()[],;:."
# Two-syllable words of the names of bodies, titles and subjects that a line should not break.
_WORDS = frozenset(
    "ủy ban|nhân dân|hội đồng|chủ tịch|giám đốc|văn phòng|thông tin|truyền thông|khoa học|công nghệ|tài chính|"
    "nội vụ|tư pháp|giáo dục|đào tạo|y tế|xây dựng|công thương|nông nghiệp|môi trường|văn hóa|thể thao|du lịch|"
    "dân tộc|tôn giáo|thanh tra|kế hoạch|đầu tư|lạng sơn|chỉ đạo|phong trào|bình dân|học vụ|chuyển đổi|triển khai|"
    "thành lập|thực hiện|kết quả|hội nghị|cộng hòa|xã hội|chủ nghĩa|việt nam|thành phố|thị xã|thị trấn|ban hành|"
    "đề nghị|nhiệm vụ|công tác|cán bộ|công chức|viên chức|địa bàn|kỹ năng".split("|")
)


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """The width of ``text`` set on one line in Times New Roman at ``size_pt`` (an unknown letter counts as an
    upper-case one, which over-estimates a little; placeholder marks have no width)."""
    widths = _WIDTHS[bold]
    base = "".join(c for c in unicodedata.normalize("NFD", text.translate(_BASE)) if not unicodedata.combining(c))
    total = 0
    for char in base:
        index = ord(char) - _FIRST
        total += widths[index] if 0 <= index < len(widths) else 722
    return total / 1000 * size_pt * _MM_PER_PT


def balanced_lines(text: str, size_pt: float, width_mm: float, *, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into as few lines as greedy filling of ``width_mm`` needs, with the longest line as
    short as possible: "ỦY BAN NHÂN DÂN" / "TỈNH LẠNG SƠN" rather than a last line of one word."""
    words = text.split()
    if not words or text_width_mm(text, size_pt, bold=bold) <= width_mm:
        return [" ".join(words)] if words else []
    count = len(_greedy(words, size_pt, width_mm, bold))

    def width(i: int, j: int) -> float:
        return text_width_mm(" ".join(words[i:j]), size_pt, bold=bold)

    quoted = [0]  # quoted[j]: 1 when a break before words[j] falls inside “…”
    for word in words:
        quoted.append(max(0, quoted[-1] + word.count("“") - word.count("”")))

    def splits_word(j: int) -> int:  # 1 when a line would end inside a two-syllable word ("ỦY | BAN") or a quote
        if not 0 < j < len(words):
            return 0
        return int(f"{words[j - 1]} {words[j]}".strip(_QUOTES).casefold() in _WORDS or quoted[j] > 0)

    # best[k][j]: (words split, longest line, breaks) setting words[:j] on k lines; the fewest split words, then
    # the shortest longest line.
    n = len(words)
    best: list[dict[int, tuple[int, float, tuple[int, ...]]]] = [{0: (0, 0.0, ())}]
    for k in range(1, count + 1):
        row: dict[int, tuple[int, float, tuple[int, ...]]] = {}
        for j in range(k, n + 1):
            options = [
                (split + splits_word(j), max(longest, width(i, j)), (*breaks, j))
                for i, (split, longest, breaks) in best[k - 1].items()
                if i < j
            ]
            if options:
                row[j] = min(options)
        best.append(row)
    _, _, breaks = best[count][n]
    starts = (0, *breaks[:-1])
    return [" ".join(words[i:j]) for i, j in zip(starts, breaks, strict=True)]


def _greedy(words: list[str], size_pt: float, width_mm: float, bold: bool) -> list[str]:
    lines: list[str] = []
    for word in words:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_mm(candidate, size_pt, bold=bold) <= width_mm:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines

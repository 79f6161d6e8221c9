"""Which clauses of a document no longer read as written: those an amending document repeals, rewrites or changes
words of ("Bãi bỏ khoản 2 Điều 16", "Sửa đổi khoản 1 Điều 6 như sau: …", "Thay thế cụm từ … tại Điều 13").

A document "hết hiệu lực một phần" is still drawn from, but never from such a clause: a question on it would teach
a rule that is no longer the law. Added provisions change nothing of the old text. Nor is a clause that names a body
the 2025 reorganisation ended (the district level, the Sở Thông tin và Truyền thông…) drawn from, whatever the
validity of its document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.amendments import Target, parse_amendments, parse_refs
from assistant.text.normalize import fold_diacritics
from assistant.types import Chunk, DocumentMeta, RelationKind

__all__ = ["changed_provisions", "dissolved_body", "is_changed"]

# Bodies the 2025 reorganisation ended, on folded text: a clause that names one describes an arrangement that no
# longer stands, whatever its own validity (documents from before the reform still name them), so it is neither
# asked nor offered as an option.
_DISSOLVED = (
    ("cấp huyện (chính quyền địa phương hai cấp từ 01/7/2025)", re.compile(r"\bhuyen\b")),
    (
        "thành phố, thị xã thuộc tỉnh (cấp huyện, chính quyền địa phương hai cấp từ 01/7/2025)",
        re.compile(
            r"\b(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan) (?:thanh pho|thi xa|quan) (?!ha noi|ho chi minh"
            r"|hai phong|da nang|can tho|hue)\w"
        ),
    ),
    (
        "Bộ, Sở Thông tin và Truyền thông (hợp nhất vào Khoa học và Công nghệ từ 01/3/2025)",
        re.compile(r"\b(?:bo|so) (?:thong tin va truyen thong|tt ?& ?tt|tttt)\b"),
    ),
    ("Sở Kế hoạch và Đầu tư (hợp nhất vào Sở Tài chính từ 01/3/2025)", re.compile(r"\b(?:bo|so) ke hoach va dau tu\b")),
    (
        "Sở Lao động - Thương binh và Xã hội (hợp nhất vào Sở Nội vụ từ 01/3/2025)",
        re.compile(r"\b(?:bo|so) lao dong\s*-?\s*thuong binh va xa hoi\b"),
    ),
    (
        "Sở Tài nguyên và Môi trường, Sở Nông nghiệp và Phát triển nông thôn (hợp nhất từ 01/3/2025)",
        re.compile(r"\b(?:bo|so) (?:tai nguyen va moi truong|nong nghiep va phat trien nong thon)\b"),
    ),
)

_CHANGING = frozenset({"amend", "repeal", "replace_phrase", "remove_phrase"})


def _articles(chunks: Sequence[Chunk]) -> list[tuple[str, str, str]]:
    """(label, heading, body) of each article of an amending document, its chunks joined in order."""
    articles: dict[str, list[Chunk]] = {}
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        if chunk.article:
            articles.setdefault(chunk.article, []).append(chunk)
    return [
        (f"Điều {number}", parts[0].heading, "\n".join(c.text for c in parts)) for number, parts in articles.items()
    ]


def dissolved_body(text: str) -> str:
    """The body of the 2025 reorganisation that ``text`` names though it no longer exists ("UBND huyện Chi Lăng",
    "Sở Thông tin và Truyền thông"), described; "" when it names none."""
    folded = fold_diacritics(text).lower()
    return next((what for what, pattern in _DISSOLVED if pattern.search(folded)), "")


def changed_provisions(amending: DocumentMeta, chunks: Sequence[Chunk]) -> tuple[Target, ...]:
    """The provisions of the one document ``amending`` amends that its instructions repeal or rewrite; none when
    it amends several documents (an instruction does not say which one it is about)."""
    if sum(r.kind is RelationKind.AMENDS for r in amending.relations) != 1:
        return ()
    parsed = parse_amendments(_articles(chunks))
    return tuple(
        target
        for instruction in parsed.instructions
        if instruction.action in _CHANGING
        for target in instruction.targets
        if target.article
    )


def is_changed(path: str, changed: Sequence[Target]) -> bool:
    """Whether the provision cited as ``path`` ("khoản 2 Điều 16") is, or holds, or lies in a changed one. A clause
    with a changed point counts as changed: the question may be about that point."""
    for cited in parse_refs(path):
        for target in changed:
            if target.article == cited.article and (not target.clause or not cited.clause or
                                                    target.clause == cited.clause):  # fmt: skip
                return True
    return False

"""Which clauses of a document no longer read as written: those an amending document repeals, rewrites or changes
words of ("Bãi bỏ khoản 2 Điều 16", "Sửa đổi khoản 1 Điều 6 như sau: …", "Thay thế cụm từ … tại Điều 13").

A document "hết hiệu lực một phần" is still drawn from, but never from such a clause: a question on it would teach
a rule that is no longer the law. Added provisions change nothing of the old text.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.text.amendments import Target, parse_amendments, parse_refs
from assistant.types import Chunk, DocumentMeta, RelationKind

__all__ = ["changed_provisions", "is_changed"]

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

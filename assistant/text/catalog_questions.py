"""Questions about a named document itself rather than its content: what it replaces or amends, what replaced
it, whether it is in force, who issued it and when, which of two was issued first. They are answered from the
catalog's metadata."""

from __future__ import annotations

import re

from assistant.text.normalize import fold_diacritics
from assistant.types import DocumentQuestion

_KIND = r"(?:van ban|quyet dinh|nghi quyet|nghi dinh|thong tu|ke hoach|huong dan|quy che|quy dinh|chi thi|luat)"
# Checked in order: "văn bản nào thay thế X" asks what replaced X, "X thay thế văn bản nào" what X replaced.
_PATTERNS: list[tuple[DocumentQuestion, re.Pattern[str]]] = [
    ("issued_order", re.compile(rf"\b(?:{_KIND} )?nao (?:duoc )?(?:ban hanh|ky|ra doi|co) (?:truoc|sau)\b"
                                r"|\bban hanh (?:truoc|sau) hay\b|\bcach nhau (?:bao nhieu|may) (?:ngay|thang|nam)\b"
                                r"|\bwhich (?:\w+ )?(?:was|were) (?:issued|signed|adopted) (?:first|earlier|later)\b"
                                r"|\bhow (?:many days|long) apart\b")),
    ("replaced_by", re.compile(rf"\b{_KIND} nao (?:da )?thay the\b|\b(?:bi|duoc) thay the\b|\bthay the boi\b"
                               r"|\bwhich \w+ replaces?\b|\bwhat replaced\b|\breplaced by\b")),
    ("replaces", re.compile(rf"\bthay the (?:cho )?(?:{_KIND} )?(?:nao|gi)\b|\bthay the cho\b"
                            r"|\bwhat does .* replace\b|\bwhich \w+ does .* replace\b")),
    ("amended_by", re.compile(rf"\b{_KIND} nao (?:da )?sua doi\b|\b(?:bi|duoc) sua doi\b|\bsua doi boi\b"
                              r"|\bamended by\b|\bwhich \w+ amends?\b")),
    ("amends", re.compile(rf"\bsua doi,? (?:bo sung )?(?:{_KIND} )?(?:nao|gi)\b|\bwhat does .* amend\b")),
    ("validity", re.compile(r"\bcon hieu luc\b|\bhet hieu luc\b|\bco hieu luc (?:tu|den|khi|khong|chua)\b"
                            r"|\bhieu luc (?:tu|den) (?:ngay|khi) nao\b|\bstill (?:valid|in force)\b|\bin force\b")),
    ("issuer", re.compile(r"\b(?:ai|co quan nao|don vi nao|cap nao) ban hanh\b|\bban hanh (?:ngay|khi|nam) nao\b"
                          r"|\bky (?:ngay|khi) nao\b|\bai ky\b|\bngay ban hanh\b"
                          r"|\bwho issued\b|\bwhen was .* issued\b")),
]  # fmt: skip


def document_question(question: str) -> DocumentQuestion:
    """The kind of question about a document ``question`` is ("" for a question about content)."""
    folded = fold_diacritics(question)
    return next((kind for kind, pattern in _PATTERNS if pattern.search(folded)), "")

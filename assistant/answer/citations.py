"""The citation contract: [n] markers point at numbered passages; every marker resolves or it is an error."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.prompts import PromptLibrary
from assistant.errors import AssistantError
from assistant.text.legal_grammar import CLAUSE, POINT
from assistant.types import Citation, Language, Passage, Validity

MARKER = re.compile(r"\[(\d{1,3})\]")  # a citation marker [n] in answer text


class CitationError(AssistantError):
    """An answer's [n] marker points at no passage."""


def parse_markers(text: str) -> list[int]:
    """Marker numbers in order of first appearance."""
    seen: list[int] = []
    for match in MARKER.finditer(text):
        n = int(match.group(1))
        if n not in seen:
            seen.append(n)
    return seen


def check_markers(text: str, passage_count: int) -> list[int]:
    """The markers of ``text``; raises CitationError when one is out of 1..passage_count or none exist."""
    markers = parse_markers(text)
    if not markers:
        raise CitationError("câu trả lời không có dấu trích dẫn [n] nào")
    bad = [n for n in markers if not 1 <= n <= passage_count]
    if bad:
        raise CitationError(f"dấu trích dẫn {bad} không trỏ tới đoạn trích nào (có {passage_count} đoạn)")
    return markers


def renumber(text: str, mapping: dict[int, int]) -> str:
    return MARKER.sub(lambda m: f"[{mapping[int(m.group(1))]}]", text)


@dataclass(frozen=True)
class Located:
    """Where a quoted unit sits inside its chunk: the clause and point it belongs to."""

    clause: str = ""
    point: str = ""


def locate(chunk_text: str, unit: str) -> Located:
    """Find the khoản/điểm of ``unit`` by scanning the chunk's lines up to it."""
    clause = point = ""
    for line in chunk_text.splitlines():
        stripped = line.strip()
        if m := CLAUSE.match(stripped):
            clause, point = m.group(1), ""
        elif m := POINT.match(stripped):
            point = m.group(1)
        if unit[:60] in stripped or stripped[:60] in unit:
            return Located(clause, point if POINT.match(stripped) or unit.startswith(f"{point})") else "")
    return Located()


def path_label(passage: Passage, located: Located) -> str:
    chunk = passage.chunk
    parts = []
    point = located.point or chunk.point
    clause = located.clause or chunk.clause
    if point:
        parts.append(f"điểm {point}")
    if clause and chunk.article:
        parts.append(f"khoản {clause}")
    if chunk.article:
        parts.append(f"Điều {chunk.article}")
    return " ".join(parts) if parts else chunk.path_label


def build_citation(n: int, passage: Passage, snippet: str, located: Located) -> Citation:
    doc = passage.document
    page = passage.chunk.page_start
    url = f"/v1/documents/{doc.doc_id}/source" + (f"#page={page}" if page else "")
    return Citation(
        n=n,
        chunk_id=passage.chunk.chunk_id,
        doc_id=doc.doc_id,
        title=doc.title,
        number=doc.number,
        path=path_label(passage, located),
        page=page,
        snippet=snippet,
        url=url,
        status=doc.status,
        current=passage.current,
    )


def validity_warnings(
    citations: Sequence[Citation], passages: dict[str, Passage], prompts: PromptLibrary, language: Language
) -> list[tuple[int, str]]:
    """One warning per cited passage whose document is superseded, expired or amended."""
    out: list[tuple[int, str]] = []
    for citation in citations:
        doc = passages[citation.chunk_id].document
        name = f"{doc.number} ({doc.title})" if doc.number else doc.title
        if doc.superseded_by:
            by = ", ".join(doc.superseded_by)
            out.append(
                (
                    citation.n,
                    prompts.render("answer", language, "warning_superseded", n=citation.n, document=name, by=by),
                )
            )
        elif doc.status in (Validity.EXPIRED, Validity.NOT_YET, Validity.PARTLY_EXPIRED):
            out.append(
                (
                    citation.n,
                    prompts.render(
                        "answer", language, "warning_expired", n=citation.n, document=name, status=doc.status.label_vi
                    ),
                )
            )
        elif doc.amended_by:
            out.append(
                (
                    citation.n,
                    prompts.render(
                        "answer", language, "warning_amended", n=citation.n, document=name, by=", ".join(doc.amended_by)
                    ),
                )
            )
    return out

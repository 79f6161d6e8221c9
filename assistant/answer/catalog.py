"""Answers about a named document itself — what it replaces or amends, what replaced or amended it, whether it
is in force, who issued it and when, which of two was issued first (or the order of several) — read from the
catalog's metadata and cited to the document; each related document the answer names and the caller may see is
cited too (its passage that names the document, else its opening), so "415/QĐ-UBND được sửa đổi bởi văn bản
nào?" cites 415 and 1097."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from assistant.answer.citations import Located, build_citation, validity_warnings
from assistant.answer.prompts import PromptLibrary
from assistant.text.numbers import number_key
from assistant.types import Answer, Evidence, Language, NormalizedQuery, Passage, RelationKind

__all__ = ["CatalogComposer"]


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class CatalogComposer:
    """Composes the answer to a :attr:`NormalizedQuery.document_question` from the named document's metadata."""

    name = "catalog"

    def __init__(self, prompts: PromptLibrary) -> None:
        self.prompts = prompts

    def compose(
        self, query: NormalizedQuery, passages: Sequence[Passage], related: Callable[[str, str], Passage | None]
    ) -> Answer | None:
        """None when no passage of a document the question names is among ``passages``; ``related(key, number)``
        finds a passage of the document a số hiệu key names among those the caller may see, preferably one that
        names ``number`` (to name relation targets with their titles and cite them)."""
        if query.document_question == "issued_order":
            return self._issued_order(query, passages, related)
        named = next(
            (p for p in passages if p.document.number and number_key(p.document.number) in query.numbers), None
        )
        if named is None:
            return None
        doc = named.document
        lang = query.language

        def render(key: str, **values: str) -> str:
            return self.prompts.render("answer", lang, key, **values)

        cited: dict[str, tuple[int, Passage]] = {doc.doc_id: (1, named)}

        def name(number: str) -> str:
            found = related(number_key(number), doc.number)
            if found is None:
                return number
            n, _ = cited.setdefault(found.document.doc_id, (len(cited) + 1, found))
            title = f" ({found.document.title})" if found.document.title else ""
            return f"{number}{title} [{n}]" if n > 1 else f"{number}{title}"

        document = name(doc.number)
        kind = query.document_question
        targets = [r.target for r in doc.relations if r.kind == RelationKind.REPLACES]
        amended = [r.target for r in doc.relations if r.kind == RelationKind.AMENDS]
        if kind == "replaces":
            text = (
                render("doc_replaces", document=document, targets="; ".join(name(t) for t in targets))
                if targets
                else render("doc_replaces_none", document=document)
            )
        elif kind == "amends":
            text = (
                render("doc_amends", document=document, targets="; ".join(name(t) for t in amended))
                if amended
                else render("doc_amends_none", document=document)
            )
        elif kind == "replaced_by":
            if doc.superseded_by:
                since = render("since", date=_date(doc.superseded_since)) if doc.superseded_since else ""
                by = "; ".join(name(n) for n in doc.superseded_by)
                text = render("doc_replaced_by", document=document, by=by, since=since)
            else:
                text = render("doc_not_replaced", document=document, status=doc.status.label_vi)
        elif kind == "amended_by":
            text = (
                render("doc_amended_by", document=document, by="; ".join(name(n) for n in doc.amended_by))
                if doc.amended_by
                else render("doc_not_amended", document=document)
            )
        elif kind == "validity":
            text = render(
                "doc_validity",
                document=document,
                status=doc.status.label_vi,
                effective=render("effective", date=_date(doc.effective_date)) if doc.effective_date else "",
                expiry=render("expiry", date=_date(doc.expiry_date)) if doc.expiry_date else "",
                replaced=render("replaced", by="; ".join(name(n) for n in doc.superseded_by))
                if doc.superseded_by
                else "",
            )
        else:
            text = render(
                "doc_issuer",
                document=document,
                issuer=doc.issuer or render("unknown_issuer"),
                issued=render("issued", date=_date(doc.issued_date)) if doc.issued_date else "",
            )
        return self._answer(text, list(cited.values()), passages, lang, warn=1)

    def _issued_order(
        self, query: NormalizedQuery, passages: Sequence[Passage], related: Callable[[str, str], Passage | None]
    ) -> Answer | None:
        """Which of two documents the question names was issued first, and how many days apart, or the order of
        issue of three or more; None unless at least two are visible and dated (the others are left out)."""
        found: dict[str, tuple[dt.date, Passage]] = {}
        for key in dict.fromkeys(query.numbers):
            passage = next(
                (p for p in passages if p.document.number and number_key(p.document.number) == key), None
            ) or related(key, "")
            if passage is not None and passage.document.issued_date:
                found.setdefault(passage.document.doc_id, (passage.document.issued_date, passage))
        if len(found) < 2:
            return None
        ordered = sorted(found.values(), key=lambda x: x[0])
        if len(ordered) > 2:
            cited = [(n, p) for n, (_, p) in enumerate(ordered, 1)]
            items = "; ".join(
                self.prompts.render(
                    "answer", query.language, "doc_issued_item",
                    number=p.document.number, date=_date(p.document.issued_date), n=str(n),
                )
                for n, p in cited
            )  # fmt: skip
            text = self.prompts.render("answer", query.language, "doc_issued_sequence", items=items)
            return self._answer(text, cited, passages, query.language, warn=len(cited))
        (d1, first), (d2, second) = ordered
        text = self.prompts.render(
            "answer", query.language, "doc_issued_same_day" if d1 == d2 else "doc_issued_order",
            first=first.document.number, first_date=_date(d1), second=second.document.number,
            second_date=_date(d2), days=str((d2 - d1).days),
        )  # fmt: skip
        return self._answer(text, [(1, first), (2, second)], passages, query.language, warn=2)

    def _answer(
        self, text: str, cited: Sequence[tuple[int, Passage]], passages: Sequence[Passage], lang: Language, *, warn: int
    ) -> Answer:
        """``text`` cited to ``cited`` (numbered as in the text), with the validity warnings of the first ``warn``
        sources; the ranked passages stay in order and the cited ones not among them follow."""
        citations = [build_citation(n, p, f"{p.document.number} — {p.document.title}", Located()) for n, p in cited]
        by_chunk = {p.chunk.chunk_id: p for _, p in cited}
        lines = [text, *(w for _, w in validity_warnings(citations[:warn], by_chunk, self.prompts, lang))]
        evidence = Evidence(1.0, 0.0, "catalog")
        ranked = {p.chunk.chunk_id for p in passages}
        shown = (*passages, *(p for _, p in cited if p.chunk.chunk_id not in ranked))
        return Answer("\n".join(lines), tuple(citations), shown, False, lang, evidence.score, self.name)

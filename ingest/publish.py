"""Applies prepared documents to a staging version through the IndexWriter, resolving validity relations."""

from __future__ import annotations

import dataclasses
import datetime as dt

from assistant.index.writer import IndexWriter, WriteOutcome
from assistant.text.numbers import group_by_number, number_key
from assistant.types import DocumentMeta, RelationKind
from ingest.report import PreparedDocument


def resolve_relations(docs: list[DocumentMeta]) -> list[DocumentMeta]:
    """Fill ``superseded_by`` (replaced/repealed) and ``amended_by`` from every document's relations."""
    by_number = group_by_number((doc.doc_id, doc.number) for doc in docs)
    superseded: dict[str, set[str]] = {}
    amended: dict[str, set[str]] = {}
    since: dict[str, dt.date] = {}
    for doc in docs:
        for relation in doc.relations:
            targets = by_number.get(number_key(relation.target), [])
            bucket = superseded if relation.kind in (RelationKind.REPLACES, RelationKind.REPEALS) else amended
            if relation.kind == RelationKind.GUIDES:
                continue
            for target in targets:
                if target == doc.doc_id:
                    continue
                bucket.setdefault(target, set()).add(doc.number or doc.doc_id)
                start = doc.effective_date or doc.issued_date
                if bucket is superseded and start and (target not in since or start < since[target]):
                    since[target] = start
    return [
        dataclasses.replace(
            doc,
            superseded_by=tuple(sorted(superseded.get(doc.doc_id, ()))),
            amended_by=tuple(sorted(amended.get(doc.doc_id, ()))),
            superseded_since=since.get(doc.doc_id),
        )
        for doc in docs
    ]


def apply_documents(writer: IndexWriter, prepared: list[PreparedDocument], removals: list[str]) -> WriteOutcome:
    """Write ``prepared`` and ``removals`` into the writer's (staging) folder, then re-resolve every document's
    relations, since a new or removed document can replace or amend one already indexed."""
    outcome = writer.write([(p.meta, p.chunks) for p in prepared], removals)
    docs = writer.documents()
    resolved = resolve_relations(docs)
    writer.update_documents([after for before, after in zip(docs, resolved, strict=True) if before != after])
    return outcome

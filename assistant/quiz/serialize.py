"""Quiz items and bank audiences to and from plain JSON-ready dicts (the store's columns, files, API payloads).

``*_from_dict`` accepts what ``*_to_dict`` wrote and fills fields it lacks with the dataclass defaults, so items
saved before a field was added stay readable; a missing required key or an unknown enum value raises ValueError.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from assistant.quiz.model import (
    BankAudience,
    Difficulty,
    FactKind,
    ItemKind,
    MatchPair,
    QuizItem,
    ReviewStatus,
    SourceRef,
)
from assistant.types import Visibility

_VISIBILITIES = ("public", "unit", "restricted")


def source_to_dict(source: SourceRef) -> dict[str, Any]:
    return {
        "chunk_id": source.chunk_id, "doc_id": source.doc_id, "number": source.number, "title": source.title,
        "doc_type": source.doc_type, "path": source.path, "page": source.page, "text": source.text,
    }  # fmt: skip


def source_from_dict(data: Mapping[str, Any]) -> SourceRef:
    page = data.get("page")
    return SourceRef(
        chunk_id=str(_required(data, "chunk_id")), doc_id=str(_required(data, "doc_id")),
        number=str(data.get("number", "")), title=str(data.get("title", "")), doc_type=str(data.get("doc_type", "")),
        path=str(data.get("path", "")), page=None if page is None else int(page), text=str(data.get("text", "")),
    )  # fmt: skip


def pair_to_dict(pair: MatchPair) -> dict[str, Any]:
    return {"left": pair.left, "right": pair.right, "source": source_to_dict(pair.source)}


def pair_from_dict(data: Mapping[str, Any]) -> MatchPair:
    return MatchPair(
        left=str(_required(data, "left")),
        right=str(_required(data, "right")),
        source=source_from_dict(_required(data, "source")),
    )


def item_to_dict(item: QuizItem) -> dict[str, Any]:
    return {
        "item_id": item.item_id,
        "kind": item.kind.value,
        "stem": item.stem,
        "explanation": item.explanation,
        "sources": [source_to_dict(source) for source in item.sources],
        "fact_kind": item.fact_kind.value,
        "difficulty": item.difficulty.value,
        "options": list(item.options),
        "correct": list(item.correct),
        "answers": list(item.answers),
        "pairs": [pair_to_dict(pair) for pair in item.pairs],
        "topic": item.topic,
        "flags": list(item.flags),
        "status": item.status.value,
        "rephrased": item.rephrased,
    }


def item_from_dict(data: Mapping[str, Any]) -> QuizItem:
    return QuizItem(
        item_id=str(_required(data, "item_id")),
        kind=ItemKind(_required(data, "kind")),
        stem=str(_required(data, "stem")),
        explanation=str(data.get("explanation", "")),
        sources=tuple(source_from_dict(source) for source in data.get("sources", ())),
        fact_kind=FactKind(_required(data, "fact_kind")),
        difficulty=Difficulty(data.get("difficulty", Difficulty.RECALL.value)),
        options=tuple(str(option) for option in data.get("options", ())),
        correct=tuple(int(index) for index in data.get("correct", ())),
        answers=tuple(str(answer) for answer in data.get("answers", ())),
        pairs=tuple(pair_from_dict(pair) for pair in data.get("pairs", ())),
        topic=str(data.get("topic", "")),
        flags=tuple(str(flag) for flag in data.get("flags", ())),
        status=ReviewStatus(data.get("status", ReviewStatus.PENDING.value)),
        rephrased=bool(data.get("rephrased", False)),
    )


def audience_to_dict(audience: BankAudience) -> dict[str, Any]:
    return {
        "visibility": audience.visibility,
        "unit": audience.unit,
        "allowed_units": list(audience.allowed_units),
        "allowed_roles": list(audience.allowed_roles),
    }


def audience_from_dict(data: Mapping[str, Any]) -> BankAudience:
    visibility = data.get("visibility", "public")
    if visibility not in _VISIBILITIES:
        raise ValueError(f"visibility must be one of {', '.join(_VISIBILITIES)}, got {visibility!r}")
    return BankAudience(
        visibility=cast(Visibility, visibility),
        unit=str(data.get("unit", "")),
        allowed_units=tuple(str(unit) for unit in data.get("allowed_units", ())),
        allowed_roles=tuple(str(role) for role in data.get("allowed_roles", ())),
    )


def _required(data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        raise ValueError(f"'{key}' is missing from {sorted(data)}")
    return data[key]

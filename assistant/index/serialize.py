"""JSON round-trips of DocumentMeta and Chunk for the catalog."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from assistant.types import Chunk, DocumentMeta, Relation, RelationKind, Validity

_DATE_FIELDS = ("issued_date", "effective_date", "expiry_date", "superseded_since")
_TUPLE_FIELDS = ("superseded_by", "amended_by", "allowed_units", "allowed_roles")


def document_to_json(doc: DocumentMeta) -> str:
    data = dataclasses.asdict(doc)
    for name in _DATE_FIELDS:
        value = data[name]
        data[name] = value.isoformat() if value else None
    data["status"] = doc.status.value
    data["relations"] = [{"kind": r.kind.value, "target": r.target} for r in doc.relations]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def document_from_json(raw: str) -> DocumentMeta:
    data: dict[str, Any] = json.loads(raw)
    for name in _DATE_FIELDS:
        value = data.get(name)
        data[name] = dt.date.fromisoformat(value) if value else None
    for name in _TUPLE_FIELDS:
        data[name] = tuple(data.get(name) or ())
    data["status"] = Validity(data.get("status", "unknown"))
    data["relations"] = tuple(
        Relation(kind=RelationKind(r["kind"]), target=r["target"]) for r in data.get("relations") or ()
    )
    known = {f.name for f in dataclasses.fields(DocumentMeta)}
    return DocumentMeta(**{k: v for k, v in data.items() if k in known})


def chunk_to_json(chunk: Chunk) -> str:
    return json.dumps(dataclasses.asdict(chunk), ensure_ascii=False, sort_keys=True)


_CHUNK_FIELDS = frozenset(f.name for f in dataclasses.fields(Chunk))


def chunk_from_json(raw: str) -> Chunk:
    """A chunk as stored (read on every question's candidates: kept lean)."""
    data: dict[str, Any] = json.loads(raw)
    data["heading_path"] = tuple(data.get("heading_path") or ())
    if data.keys() <= _CHUNK_FIELDS:
        return Chunk(**data)
    return Chunk(**{k: v for k, v in data.items() if k in _CHUNK_FIELDS})

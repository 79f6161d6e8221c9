"""What an ingest run works on and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.types import Chunk, DocumentMeta


@dataclass(frozen=True)
class TextRecord:
    """A document given as text (benchmark corpora): ``metadata`` may set any DocumentMeta field."""

    doc_id: str
    title: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PreparedDocument:
    meta: DocumentMeta
    chunks: tuple[Chunk, ...]
    source: Path | None


@dataclass(frozen=True)
class FileFailure:
    path: str
    reason: str


@dataclass
class IngestReport:
    """Summary of one run, printed by the CLI and returned by the API."""

    ingested: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    chunks_added: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    embedded: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    version: str = ""

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_added / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ingested": self.ingested,
            "replaced": self.replaced,
            "skipped": len(self.skipped),
            "failed": [{"path": f.path, "reason": f.reason} for f in self.failed],
            "removed": self.removed,
            "chunks_added": self.chunks_added,
            "chunks_total": self.chunks_total,
            "documents_total": self.documents_total,
            "embedded": self.embedded,
            "cache_hits": self.cache_hits,
            "seconds": round(self.seconds, 3),
            "chunks_per_second": round(self.chunks_per_second, 2),
            "version": self.version,
        }

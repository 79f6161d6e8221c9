"""What an ingest run works on and what it reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.types import Chunk, DocumentMeta

FileStatus = Literal["ingested", "replaced", "unchanged", "failed"]


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


@dataclass(frozen=True)
class FileResult:
    """What became of one file of a run: ``chunks`` written by this run, ``reason`` of a failure, ``warnings``
    (e.g. a relation naming a document not on the shelf) that did not stop it."""

    path: str
    doc_id: str
    status: FileStatus
    reason: str = ""
    warnings: tuple[str, ...] = ()
    chunks: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "doc_id": self.doc_id,
            "status": self.status,
            "reason": self.reason,
            "warnings": list(self.warnings),
            "chunks": self.chunks,
        }


@dataclass
class IngestReport:
    """Summary of one run, printed by the CLI and returned by the API."""

    ingested: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)  # one per file of ingest_paths, in the order given
    chunks_added: int = 0
    chunks_total: int = 0
    documents_total: int = 0
    embedded: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    version: str = ""

    @property
    def ok(self) -> bool:
        """Every file (or id) succeeded or was unchanged."""
        return not self.failed

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
            "files": [f.as_dict() for f in self.files],
        }

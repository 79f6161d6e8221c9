"""The ingest pipeline: files or text records → chunks with metadata → a new published index version.

Every run builds beside the serving version and publishes atomically; a file that fails is reported with its
reason and skipped, and nothing already indexed is lost.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from tqdm import tqdm

from assistant.embedding.cache import EmbeddingCache
from assistant.errors import AssistantError
from assistant.files import replacing
from assistant.index.catalog import Catalog
from assistant.index.manifest import ACCENTS_FILE, CATALOG_FILE, read_manifest
from assistant.index.versions import VersionStore
from assistant.index.writer import IndexWriter
from assistant.settings import Settings
from assistant.text.normalize import slugify
from assistant.text.numbers import number_key
from assistant.types import Block, DocumentMeta, Embedder, LoadedDocument, Visibility
from ingest.chunker import chunk_document
from ingest.loaders import is_ingestible, load_document
from ingest.loaders.sniff import SUFFIX_FORMATS, decode_utf8
from ingest.metadata import build_metadata, read_sidecar
from ingest.publish import apply_documents
from ingest.report import FileFailure, FileResult, IngestReport, PreparedDocument, TextRecord
from ingest.trash import TrashBin
from ingest.validation import (
    AccessVocabulary,
    check_chunk_budget,
    check_document_fields,
    check_file,
    check_language,
    relation_warnings,
)

logger = logging.getLogger(__name__)


def sidecar_path(path: Path) -> Path:
    """``a.pdf`` → ``a.pdf.meta.yaml``."""
    return path.with_name(path.name + ".meta.yaml")


# Bump when loaders/parser/chunker or the published index format change, so documents are re-processed (with
# cached embeddings) on the next ingest. 3: BM25 statistics from public documents only.
PIPELINE_VERSION = "3"


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus every ingestible file below named folders (sorted, sidecars excluded)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_ingestible(p)))
        else:
            files.append(path)
    return files


class IngestPipeline:
    """Loads, parses, chunks, embeds and publishes. Build one per run; call ``embedder.load()`` first.

    Every file goes through :mod:`ingest.validation` (the checks the upload route makes) before it is embedded;
    ``vocabulary`` (the unit tree's codes and the account roles, given by the CLI and the API) adds the check of
    ``unit``, ``allowed_units`` and ``allowed_roles``, which is skipped without it (benchmark corpora).
    """

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        *,
        progress: bool = True,
        vocabulary: AccessVocabulary | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.progress = progress
        self.vocabulary = vocabulary
        self.store = VersionStore(
            settings.index_dir, keep=settings.keep_versions, grace_seconds=settings.version_grace_minutes * 60
        )
        self.cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite", embedder.name, embedder.dim)
        self.trash = TrashBin(settings.data_dir / "trash", settings.trash_retention_days)

    # -- public entry points ------------------------------------------------------------------------
    def ingest_paths(
        self,
        paths: Sequence[Path],
        *,
        unit: str = "",
        visibility: Visibility = "public",
        rebuild: bool = False,
    ) -> IngestReport:
        """Ingest files and folders; unchanged documents are skipped unless ``rebuild``. ``report.files`` says
        what became of each file (a failed one with its reason); nothing already indexed is lost by a failure."""
        started = time.perf_counter()
        report = IngestReport()
        files = collect_files(paths)
        with self.store.lock():
            known = {} if rebuild else self._current_hashes()
            outcomes: list[PreparedDocument | FileResult] = []
            seen: dict[str, Path] = {}
            for path in tqdm(files, desc="Nạp tài liệu", unit="tệp", disable=not self.progress):
                outcome = self._prepare_file(path, unit, visibility, known, seen)
                outcomes.append(outcome)
                if isinstance(outcome, PreparedDocument):
                    seen[outcome.meta.doc_id] = path
                elif outcome.status == "failed":
                    report.failed.append(FileFailure(outcome.path, outcome.reason))
                else:
                    report.skipped.append(outcome.path)
            prepared = [o for o in outcomes if isinstance(o, PreparedDocument)]
            warnings = self._relation_warnings(prepared, rebuild=rebuild)
            self._apply(prepared, removals=[], rebuild=rebuild, report=report)
        replaced = set(report.replaced)
        report.files = [
            FileResult(
                path=str(o.source),
                doc_id=o.meta.doc_id,
                status="replaced" if o.meta.doc_id in replaced else "ingested",
                warnings=warnings.get(o.meta.doc_id, ()),
                chunks=len(o.chunks),
            )
            if isinstance(o, PreparedDocument)
            else o
            for o in outcomes
        ]
        report.seconds = time.perf_counter() - started
        return report

    def ingest_records(self, records: Sequence[TextRecord], *, rebuild: bool = False) -> IngestReport:
        """Ingest plain-text records (benchmark corpora: one record per document)."""
        started = time.perf_counter()
        report = IngestReport()
        with self.store.lock():
            known = {} if rebuild else self._current_hashes()
            prepared = []
            for record in tqdm(records, desc="Nạp bản ghi", unit="vb", disable=not self.progress):
                digest = self._hash(record.text.encode("utf-8"), repr(sorted(record.metadata.items())).encode())
                if known.get(record.doc_id) == digest:
                    report.skipped.append(record.doc_id)
                    continue
                prepared.append(self._prepare_record(record, digest))
            self._apply(prepared, removals=[], rebuild=rebuild, report=report)
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, doc_ids: Sequence[str], *, actor: str = "", reason: str = "") -> IngestReport:
        """Move documents to the trash (who, when, why; restorable until the retention period passes), delete them
        and their chunks from both indexes, and publish a new version."""
        started = time.perf_counter()
        report = IngestReport()
        with self.store.lock():
            known = self._current_hashes()
            missing = [d for d in doc_ids if d not in known]
            report.failed.extend(FileFailure(d, "không có văn bản này trong chỉ mục") for d in missing)
            present = list(dict.fromkeys(d for d in doc_ids if d in known))
            current = self.store.current()
            if present and current is not None:
                entries = self.trash.put(
                    current.path, present, sources_dir=self.settings.sources_dir, actor=actor, reason=reason
                )
                try:
                    self._apply([], removals=present, rebuild=False, report=report)
                except BaseException:
                    for entry in entries:
                        self.trash.discard(entry)
                    raise
        report.seconds = time.perf_counter() - started
        return report

    # -- preparation --------------------------------------------------------------------------------
    def _current_hashes(self) -> dict[str, str]:
        current = self.store.current()
        if current is None:
            return {}
        catalog = Catalog(current.path / CATALOG_FILE)
        read_manifest(catalog).check_embedder(self.embedder.name, index=current.version)
        return catalog.document_hashes()

    def _hash(self, *parts: bytes) -> str:
        digest = hashlib.sha256(f"pipeline={PIPELINE_VERSION};chunk={self.settings.chunk_max_chars}".encode())
        for part in parts:
            digest.update(hashlib.sha256(part).digest())
        return digest.hexdigest()

    def _prepare_file(
        self, path: Path, unit: str, visibility: Visibility, known: dict[str, str], seen: dict[str, Path]
    ) -> PreparedDocument | FileResult:
        """The file checked (bytes, metadata, language, chunk budget: all before embedding) and chunked; or a
        FileResult that it failed or is unchanged."""
        where = str(path)
        max_bytes = self.settings.max_file_bytes
        try:
            if not path.is_file():
                return _failed(where, "không tìm thấy tệp — kiểm tra lại đường dẫn")
            size = path.stat().st_size
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
            check_file(where, data, max_bytes=max_bytes, size=size)
            sidecar = read_sidecar(path) or {}
            check_document_fields(where, {"unit": unit, "visibility": visibility, **sidecar}, self.vocabulary)
            if SUFFIX_FORMATS[path.suffix.lower()] in ("txt", "md") and (text := decode_utf8(data)) is not None:
                check_language(where, text)  # before parsing: a 5 MB run without spaces is refused at once
            side = sidecar_path(path)
            digest = self._hash(data, side.read_bytes() if side.exists() else b"")
            loaded = load_document(
                path, max_bytes=max_bytes, ocr_languages=self.settings.ocr_languages, ocr_dpi=self.settings.ocr_dpi
            )
            text = "\n".join(block.text for block in loaded.blocks)
            check_language(where, text)
            meta = build_metadata(
                path,
                loaded,
                content_hash=digest,
                default_unit=unit,
                default_visibility=visibility,
                vocabulary=self.vocabulary,
            )
            if seen_at := seen.get(meta.doc_id):
                return _failed(where, f"trường 'id': trùng mã văn bản '{meta.doc_id}' với {seen_at} — đặt 'id' khác")
            if known.get(meta.doc_id) == digest:
                return FileResult(where, meta.doc_id, "unchanged")
            limit = self.settings.max_chunks_per_document
            check_chunk_budget(where, len(text) // (2 * self.settings.chunk_max_chars), limit, at_least=True)
            chunks = chunk_document(
                meta, loaded, max_chars=self.settings.chunk_max_chars, overlap_chars=self.settings.chunk_overlap_chars
            )
            check_chunk_budget(where, len(chunks), limit)
        except AssistantError as exc:
            return _failed(where, getattr(exc, "reason", str(exc)))
        except Exception as exc:  # a bug or a library error on one file must not stop the batch
            logger.exception("unexpected error while loading %s", path)
            return _failed(where, f"lỗi không mong đợi khi đọc tệp ({type(exc).__name__}: {exc})")
        if not chunks:
            return _failed(where, "không trích được nội dung nào để lập chỉ mục — kiểm tra tệp gốc có chữ")
        return PreparedDocument(meta=meta, chunks=tuple(chunks), source=path)

    def _relation_warnings(self, prepared: list[PreparedDocument], *, rebuild: bool) -> dict[str, tuple[str, ...]]:
        """Per document id, its relations whose target số hiệu is on no document of the shelf after this run."""
        if not any(p.meta.relations for p in prepared):
            return {}
        current = self.store.current()
        stored = [] if rebuild or current is None else Catalog(current.path / CATALOG_FILE).documents()
        numbers = {number_key(d.number) for d in (*stored, *(p.meta for p in prepared)) if d.number}
        found = {p.meta.doc_id: relation_warnings(p.meta.relations, numbers) for p in prepared}
        return {doc_id: warnings for doc_id, warnings in found.items() if warnings}

    def _prepare_record(self, record: TextRecord, digest: str) -> PreparedDocument:
        blocks = tuple(Block(text=line.strip()) for line in record.text.splitlines() if line.strip())
        loaded = LoadedDocument(path=Path(f"{record.doc_id}.txt"), source_format="record", blocks=blocks)
        fields = {f.name for f in dataclasses.fields(DocumentMeta)}
        extra = {k: v for k, v in record.metadata.items() if k in fields}
        meta = DocumentMeta(
            doc_id=record.doc_id or slugify(record.title),
            title=record.title,
            source_format="record",
            content_hash=digest,
            **extra,
        )
        chunks = chunk_document(
            meta, loaded, max_chars=self.settings.chunk_max_chars, overlap_chars=self.settings.chunk_overlap_chars
        )
        return PreparedDocument(meta=meta, chunks=tuple(chunks), source=None)

    # -- build and publish --------------------------------------------------------------------------
    def _apply(
        self, prepared: list[PreparedDocument], *, removals: list[str], rebuild: bool, report: IngestReport
    ) -> None:
        current = self.store.current()
        if not prepared and not removals and not rebuild and (current is None or _complete(current.path)):
            report.version = current.version if current else ""
            report.chunks_total = self._count_chunks()
            return  # nothing to do; a version written before the accent table was kept gets one (a new version)
        self.trash.purge_expired()  # opportunistic: every run that publishes drops what is past retention
        staging = self.store.begin() if not rebuild else self._empty_staging()
        try:
            writer = IndexWriter(staging, self.embedder, self.cache, self.settings, progress=self.progress)
            stored = [dataclasses.replace(p.meta, source_path=self._store_source(p)) for p in prepared]
            outcome = apply_documents(
                writer, [dataclasses.replace(p, meta=m) for p, m in zip(prepared, stored, strict=True)], removals
            )
            report.ingested.extend(outcome.added)
            report.replaced.extend(outcome.replaced)
            report.removed.extend(removals)
            report.chunks_added = outcome.chunks_added
            report.chunks_total = outcome.chunks_total
            report.documents_total = outcome.documents_total
            report.embedded = self.cache.misses
            report.cache_hits = self.cache.hits
            info = self.store.publish(staging, outcome.summary())
            report.version = info.version
        except BaseException:
            self.store.discard(staging)
            raise

    def _empty_staging(self) -> Path:
        staging = self.store.begin()
        shutil.rmtree(staging)
        staging.mkdir()
        return staging

    def _store_source(self, prepared: PreparedDocument) -> str:
        """Keep an immutable copy of the source file for download; returns its path under sources_dir."""
        if prepared.source is None:
            return ""
        name = f"{prepared.meta.content_hash[:16]}/{slugify(prepared.source.stem)}{prepared.source.suffix.lower()}"
        target = self.settings.sources_dir / name
        if not target.exists():
            with replacing(target) as partial:
                shutil.copyfile(prepared.source, partial)
        return name

    def _count_chunks(self) -> int:
        current = self.store.current()
        if current is None:
            return 0
        return Catalog(current.path / CATALOG_FILE).count_chunks()


def _failed(where: str, reason: str) -> FileResult:
    return FileResult(where, "", "failed", reason=reason)


def _complete(version: Path) -> bool:
    """Whether a published version folder has every file this code writes (older ones lack the accent table)."""
    return (version / ACCENTS_FILE).is_file()

"""The catalog of one index version: documents and chunks in SQLite, with stable int64 chunk ids."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.index.serialize import chunk_from_json, chunk_to_json, document_from_json, document_to_json
from assistant.types import Chunk, DocumentMeta

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, doc_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    iid INTEGER PRIMARY KEY, chunk_id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, embed_text TEXT NOT NULL, chunk_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
"""


@dataclass(frozen=True)
class StoredChunk:
    iid: int
    chunk: Chunk
    embed_text: str


class Catalog:
    """Read/write access to ``catalog.sqlite`` of a version folder (staging while being built)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path)
        try:
            conn.executescript(_SCHEMA)
            yield conn
            conn.commit()
        finally:
            conn.close()

    def meta(self) -> dict[str, str]:
        """Every row of the ``meta`` table (the manifest, read through ``assistant.index.manifest``)."""
        with self.connect() as conn:
            return dict(conn.execute("SELECT key, value FROM meta"))

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def document_hashes(self) -> dict[str, str]:
        with self.connect() as conn:
            return dict(conn.execute("SELECT doc_id, content_hash FROM documents"))

    def documents(self) -> list[DocumentMeta]:
        """Every document, by id; read row by row (a province's shelf: the JSON of all at once is 0.6 GB)."""
        with self.connect() as conn:
            return [document_from_json(r[0]) for r in conn.execute("SELECT doc_json FROM documents ORDER BY doc_id")]

    def chunks(self) -> list[StoredChunk]:
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT iid, embed_text, chunk_json FROM chunks ORDER BY doc_id, ordinal, iid"
            ).fetchall()
        return [StoredChunk(iid=r[0], chunk=chunk_from_json(r[2]), embed_text=r[1]) for r in rows]

    def count_chunks(self) -> int:
        with self.connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def chunk_iids(self, conn: sqlite3.Connection, doc_ids: Iterable[str]) -> list[int]:
        out: list[int] = []
        for doc_id in doc_ids:
            out.extend(r[0] for r in conn.execute("SELECT iid FROM chunks WHERE doc_id = ?", (doc_id,)))
        return out

    def delete_documents(self, conn: sqlite3.Connection, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            conn.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def put_document(self, conn: sqlite3.Connection, doc: DocumentMeta) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO documents (doc_id, content_hash, doc_json) VALUES (?, ?, ?)",
            (doc.doc_id, doc.content_hash, document_to_json(doc)),
        )

    def add_chunks(self, conn: sqlite3.Connection, items: list[tuple[Chunk, str]]) -> list[int]:
        """Insert chunks with their embedding text; returns their new iids (never reused)."""
        next_iid = int(self._meta(conn, "next_iid", "1"))
        iids = []
        for chunk, embed_text in items:
            conn.execute(
                "INSERT INTO chunks (iid, chunk_id, doc_id, ordinal, embed_text, chunk_json) VALUES (?, ?, ?, ?, ?, ?)",
                (next_iid, chunk.chunk_id, chunk.doc_id, chunk.ordinal, embed_text, chunk_to_json(chunk)),
            )
            iids.append(next_iid)
            next_iid += 1
        self.set_meta(conn, "next_iid", str(next_iid))
        return iids

    @staticmethod
    def _meta(conn: sqlite3.Connection, key: str, default: str) -> str:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default
